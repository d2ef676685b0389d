import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Long work in the main process written once as steps (a generator that yields between
 * them), then run either in one go or in slices of time with the event loop turning between
 * them: the core's events and the page's frames wait at most a slice.
 */

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
