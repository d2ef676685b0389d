import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Long work in the main process written once as steps (a generator that yields between
 * them), then run either in one go or in slices of time with the event loop turning between
 * them: the core's events and the page's frames wait at most a slice.
 */

/**
 * The longest one turn of the main process should take: a quarter of a 60 Hz frame, so that
 * a live event, an IPC answer or a page's request waits at most that much behind long work.
 * Measured reasons, each where the work is: a 100,000-item answer read (140 ms in one turn),
 * folded (250 ms), its newest found ahead (28 ms at 10,000), a cache loaded (15-21 ms stalls
 * with 4 ms slices, 22-25 ms with 8: the scavenges among them grow too).
 */
export const MAIN_SLICE_MS = 4;

/** Runs `steps` through in one go. */
export function runToEnd<T>(steps: Generator<void, T, undefined>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Runs `steps` through, letting the event loop turn whenever `sliceMs` have passed. */
export async function runInSlices<T>(
  steps: Generator<void, T, undefined>,
  sliceMs: number,
): Promise<T> {
  let slice = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (performance.now() - slice < sliceMs) continue;
    await nextTurn();
    slice = performance.now();
  }
}
