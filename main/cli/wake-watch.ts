import { performance } from 'node:perf_hooks';

/**
 * Tells a machine's sleep from the clocks: while it sleeps, the monotonic clock stands still
 * (Linux, macOS) and the wall clock does not. Where the monotonic clock runs on through a
 * sleep, the CometD client's own timers fire late on waking and notice a dead connection by
 * themselves; this is for where they do not.
 */
export class SleepDetector {
  #lastWall: number;
  #lastMonotonic: number;

  constructor(
    /** How much further the wall clock may move than the monotonic one: clock adjustments. */
    private readonly slackMs = 10_000,
    private readonly wall: () => number = Date.now,
    private readonly monotonic: () => number = () => performance.now(),
  ) {
    this.#lastWall = wall();
    this.#lastMonotonic = monotonic();
  }

  /** Whether the machine slept since the last look. */
  slept(): boolean {
    const wall = this.wall();
    const monotonic = this.monotonic();
    const asleep = wall - this.#lastWall - (monotonic - this.#lastMonotonic);
    this.#lastWall = wall;
    this.#lastMonotonic = monotonic;
    return asleep > this.slackMs;
  }
}

/**
 * The headless modes' stand-in for the app's `powerMonitor` resume: Node has no event for a
 * machine waking. The CometD client's network timeout runs on the monotonic clock, so after a
 * sleep that killed the connection the long poll is given up only when that timeout ends (up
 * to 40 s on GWS), and the status says Online meanwhile. Calls `onWake` at the first look
 * after a sleep (every `everyMs`); returns the stop.
 */
export function watchForWake(onWake: () => void, everyMs = 5_000): () => void {
  const detector = new SleepDetector();
  const timer = setInterval(() => {
    if (detector.slept()) onWake();
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
