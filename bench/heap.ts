import { EMPTY_STATE, reduce } from '../main/workbins/state.js';
import { holdItems, probeLine, startSimProcess } from './core.js';
import { itemAddedEvents } from './payloads.js';

function heapAfterGc(): number {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error('run with node --expose-gc (npm run bench does)');
  collect();
  collect();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

/**
 * Builds a `count`-item workbin state and measures the heap while it is held. A function of
 * its own, so that nothing of it is left in the caller's stack frame for the next run.
 */
function heapWithState(count: number): number {
  const events = itemAddedEvents(count, 1);
  const state = reduce(EMPTY_STATE, events).state;
  events.length = 0;
  const heap = heapAfterGc();
  if ([...state.workbins.values()][0]?.items.size !== count) throw new Error('state incomplete');
  return heap;
}

/** The process heap with a 10,000-item workbin held in the core's state, and the state's share. */
export function heapBench(count = 10_000, runs = 3): { totals: number[]; states: number[] } {
  const totals: number[] = [];
  const deltas: number[] = [];
  for (let run = 0; run < runs; run++) {
    const before = heapAfterGc();
    const after = heapWithState(count);
    totals.push(after);
    deltas.push(after - before);
  }
  return { totals, states: deltas };
}

/**
 * The heap of a process running the core with `held` items synced from the simulator (its
 * own process too), after GC: what the app's main process holds for them, without the
 * bench's own modules and steps (this process's heap has both).
 */
export async function coreHeapBench(held = 10_000, runs = 3): Promise<number[]> {
  const sim = await startSimProcess();
  const heaps: number[] = [];
  try {
    await holdItems(sim, held);
    for (let run = 0; run < runs; run++) {
      const [, heap, , items] = await probeLine(
        ['--expose-gc', '--import', 'tsx', 'bench/heap-probe.ts', sim.urls['GWS simulator'] ?? ''],
        'heap ',
        'the heap probe',
      );
      if (Number(items) < held) throw new Error(`the heap probe held ${items} of ${held}`);
      heaps.push(Number(heap));
    }
  } finally {
    await sim.stop();
  }
  return heaps;
}
