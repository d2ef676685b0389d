import { describe, expect, it } from 'vitest';
import { longestStall } from './cache.js';

/** Holds the event loop for `ms`, as a step of work done in one go does. */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe('the stall meter', () => {
  it('counts a stall that ends the work, not only those between its ticks', async () => {
    const stall = await longestStall(async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      busy(60);
    });
    expect(stall).toBeGreaterThanOrEqual(60);
  });

  it('counts a stall in the middle of the work', async () => {
    const stall = await longestStall(async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      busy(60);
      await new Promise((resolve) => setTimeout(resolve, 20));
    });
    expect(stall).toBeGreaterThanOrEqual(60);
  });
});
