import { parseWorkbinMessage } from '../main/workbins/messages.js';
import {
  EMPTY_STATE,
  reduce,
  type WorkbinEvent,
  type WorkbinState,
} from '../main/workbins/state.js';
import { itemAddedPayloads } from './payloads.js';
import { median } from './stats.js';

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error('run with node --expose-gc (npm run bench does)');
  collect();
  collect();
}

/** The process heap with a 10,000-item workbin held in the core's state. */
export function heapBench(count = 10_000, runs = 3): { total: number; state: number } {
  const totals: number[] = [];
  const deltas: number[] = [];
  for (let run = 0; run < runs; run++) {
    gc();
    const before = process.memoryUsage().heapUsed;
    const payloads = itemAddedPayloads(count, 1);
    const events: WorkbinEvent[] = [];
    for (const p of payloads) {
      const parsed = parseWorkbinMessage(JSON.parse(p), 'u-agent1');
      if (parsed.ok) events.push({ type: 'message', message: parsed.message });
    }
    let state: WorkbinState | undefined = reduce(EMPTY_STATE, events).state;
    events.length = 0;
    payloads.length = 0;
    gc();
    const after = process.memoryUsage().heapUsed;
    if ([...state.workbins.values()][0]?.items.size !== count) throw new Error('state incomplete');
    totals.push(after / 2 ** 20);
    deltas.push((after - before) / 2 ** 20);
    state = undefined;
  }
  return { total: median(totals), state: median(deltas) };
}
