import { deserialize, serialize } from 'node:v8';
import { CoreBridge } from '../main/bridge/core-bridge.js';
import { workbinDtos } from '../main/bridge/dto.js';
import { snapshotFrames } from '../main/contract/snapshot-parts.js';
import { EMPTY_STATE, reduce, stateItems } from '../main/workbins/state.js';
import { itemAddedEvents } from './payloads.js';

/**
 * A `held`-item snapshot's items and workbins, as the app's window receives them: through
 * V8's serializer and back (what Electron's IPC does to `webContents.send`'s argument; the
 * transfer between processes is not here), and as browser mode's page does: JSON text, parsed;
 * and the slowest part of it serialised, as the app sends it (`snapshotFrames`). Each is ms
 * per run.
 */
export function snapshotCodingBench(
  held = 100_000,
  runs = 5,
): { clone: number[]; json: number[]; slowestPart: number[] } {
  const state = reduce(EMPTY_STATE, itemAddedEvents(held, 1)).state;
  const payload = { workbins: workbinDtos(state), items: [...stateItems(state)] };
  const clone: number[] = [];
  const json: number[] = [];
  const slowestPart: number[] = [];
  const head = new CoreBridge().snapshot();
  for (let run = 0; run < runs; run++) {
    // What the app's main process does per frame now: serialise one part (the page's side,
    // the parse, is another process's).
    let slowest = 0;
    for (const frame of snapshotFrames(head, payload.items)) {
      const t = performance.now();
      serialize(frame);
      slowest = Math.max(slowest, performance.now() - t);
    }
    slowestPart.push(slowest);
    let t = performance.now();
    const cloned = deserialize(serialize(payload)) as typeof payload;
    clone.push(performance.now() - t);
    t = performance.now();
    const parsed = JSON.parse(JSON.stringify(payload)) as typeof payload;
    json.push(performance.now() - t);
    if (cloned.items.length !== held || parsed.items.length !== held) throw new Error('lost items');
  }
  return { clone, json, slowestPart };
}
