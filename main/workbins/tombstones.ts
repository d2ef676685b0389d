import type { WorkbinItem } from '../contract/domain.js';

/** What a removed item said, as a number: enough to tell a redelivered copy from a change. */
export function fingerprint(item: WorkbinItem): number {
  const text = [
    item.kind,
    item.summary,
    item.from,
    item.receivedRaw,
    item.state,
    JSON.stringify(item.userData),
  ].join('\u0000');
  // FNV-1a, 32 bits.
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * Recent live removals, by item key: what a replay during a load must not bring back (an
 * old ItemAdded delivered again). Small and short-lived on purpose: redeliveries follow a
 * reconnect within seconds, and a steady stream of removals must not grow the heap.
 */
export class Tombstones {
  private readonly stones = new Map<string, { at: number; print: number | undefined }>();

  constructor(
    private readonly limit = 2_000,
    private readonly maxAge = 2 * 60_000,
  ) {}

  get size(): number {
    return this.stones.size;
  }

  /** `item`: what was held when it was removed, if anything. */
  add(key: string, item: WorkbinItem | undefined, now: number): void {
    this.stones.delete(key);
    this.stones.set(key, { at: now, print: item && fingerprint(item) });
    // Oldest first in a Map: drop the expired, then anything over the limit.
    for (const [old, stone] of this.stones) {
      if (now - stone.at <= this.maxAge && this.stones.size <= this.limit) break;
      this.stones.delete(old);
    }
  }

  /** Whether `item` was removed, looking like this, before `since`, and not too long ago. */
  removedBefore(key: string, item: WorkbinItem, since: number, now: number): boolean {
    const stone = this.stones.get(key);
    if (!stone || stone.at > since || now - stone.at > this.maxAge) return false;
    return stone.print === undefined || stone.print === fingerprint(item);
  }
}
