import { describe, expect, it } from 'vitest';
import type { WorkbinItem } from '../contract/domain.js';
import { fingerprint, Tombstones } from './tombstones.js';

const item = (id: string, summary = 's'): WorkbinItem => ({
  id,
  kind: 'email',
  workbinId: 'w',
  ownerUserId: 'u',
  summary,
  from: '',
  receivedAt: null,
  receivedRaw: '',
  state: '',
  userData: { a: 1 },
});

describe('Tombstones', () => {
  it('recognises a redelivered copy of a removed item, not a changed one', () => {
    const stones = new Tombstones();
    stones.add('k', item('a'), 100);
    expect(stones.removedBefore('k', item('a'), 200, 300)).toBe(true);
    expect(stones.removedBefore('k', item('a', 'changed'), 200, 300)).toBe(false);
    // Removed after the load began: the replay's order decides, not the tombstone.
    expect(stones.removedBefore('k', item('a'), 50, 300)).toBe(false);
    expect(fingerprint(item('a'))).toBe(fingerprint(item('a')));
  });

  it('stays small under a steady stream of removals: bounded in count and age', () => {
    const stones = new Tombstones(100, 1_000);
    for (let i = 0; i < 10_000; i++) stones.add(`k${i}`, item(`i${i}`), i);
    expect(stones.size).toBeLessThanOrEqual(100);
    expect(stones.removedBefore('k0', item('i0'), 20_000, 20_000)).toBe(false);
    const aging = new Tombstones(1_000, 1_000);
    for (let i = 0; i < 500; i++) aging.add(`k${i}`, item(`i${i}`), i * 10);
    expect(aging.size).toBeLessThanOrEqual(101);
  });
});
