import { deserialize, serialize } from 'node:v8';
import { stateDtos } from '../main/bridge/dto.js';
import { EMPTY_STATE, reduce } from '../main/workbins/state.js';
import { itemAddedEvents } from './payloads.js';

/**
 * A `held`-item snapshot's items and workbins, as the app's window receives them: through
 * V8's serializer and back (what Electron's IPC does to `webContents.send`'s argument; the
 * transfer between processes is not here), and as browser mode's page does: JSON text, parsed.
 * Each is ms per run.
 */
export function snapshotCodingBench(held = 100_000, runs = 5): { clone: number[]; json: number[] } {
  const payload = stateDtos(reduce(EMPTY_STATE, itemAddedEvents(held, 1)).state);
  const clone: number[] = [];
  const json: number[] = [];
  for (let run = 0; run < runs; run++) {
    let t = performance.now();
    const cloned = deserialize(serialize(payload)) as typeof payload;
    clone.push(performance.now() - t);
    t = performance.now();
    const parsed = JSON.parse(JSON.stringify(payload)) as typeof payload;
    json.push(performance.now() - t);
    if (cloned.items.length !== held || parsed.items.length !== held) throw new Error('lost items');
  }
  return { clone, json };
}
