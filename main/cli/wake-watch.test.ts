import { describe, expect, it } from 'vitest';
import { SleepDetector } from './wake-watch.js';

/**
 * A machine's clocks as a script: `run(ms)` moves both, `sleep(ms)` only the wall clock (the
 * monotonic clock stands still while Linux or macOS sleeps), `adjust(ms)` steps the wall clock
 * (NTP). The real ones cannot be made to sleep in a test.
 */
function machine() {
  let wall = 1_700_000_000_000;
  let monotonic = 5_000;
  return {
    detector: new SleepDetector(
      10_000,
      () => wall,
      () => monotonic,
    ),
    run(ms: number) {
      wall += ms;
      monotonic += ms;
    },
    sleep(ms: number) {
      wall += ms;
    },
    adjust(ms: number) {
      wall += ms;
    },
  };
}

describe('the sleep detector', () => {
  it('says the machine slept at the first look after a sleep, and only then', () => {
    const m = machine();
    m.run(5_000);
    expect(m.detector.slept()).toBe(false);
    m.run(2_000);
    m.sleep(15 * 60_000);
    m.run(3_000);
    expect(m.detector.slept()).toBe(true);
    m.run(5_000);
    expect(m.detector.slept()).toBe(false);
  });

  it('takes a busy or stopped process for awake: both clocks moved, and its timers fire late by themselves', () => {
    const m = machine();
    m.run(60_000);
    expect(m.detector.slept()).toBe(false);
  });

  it('takes clock adjustments for awake: a step back, and a step forward within the slack', () => {
    const m = machine();
    m.run(5_000);
    m.adjust(-3_600_000);
    expect(m.detector.slept()).toBe(false);
    m.run(5_000);
    m.adjust(9_000);
    expect(m.detector.slept()).toBe(false);
  });
});
