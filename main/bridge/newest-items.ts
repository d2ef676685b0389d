import { setImmediate as nextTurn } from 'node:timers/promises';
import type { WorkbinItem } from '../contract/domain.js';
import { newestFirst } from '../contract/item-order.js';

/** Items read a turn: reading 100,000 in one stopped the host for 10-25 ms. */
const READ_PER_TURN = 10_000;

/**
 * `items` with the `count` newest ahead of the rest, read over event-loop turns: a large
 * snapshot's first part is the top of the page's list.
 */
export async function newestAhead(
  items: Iterable<WorkbinItem>,
  count: number,
): Promise<WorkbinItem[]> {
  const all: WorkbinItem[] = [];
  const newest = new NewestItems(count);
  for (const item of items) {
    all.push(item);
    newest.offer(item);
    if (all.length % READ_PER_TURN === 0) await nextTurn();
  }
  const ahead = new Set(newest.items());
  return [...ahead].sort(newestFirst).concat(all.filter((item) => !ahead.has(item)));
}

/**
 * The `count` newest items (the page's default order) among those offered one at a time:
 * a heap of the newest so far with the oldest of them on top, so that each of 100,000 items
 * costs one comparison unless it is among the newest.
 */
export class NewestItems {
  readonly #heap: WorkbinItem[] = [];

  constructor(private readonly count: number) {}

  offer(item: WorkbinItem): void {
    const heap = this.#heap;
    if (heap.length < this.count) {
      heap.push(item);
      this.#up(heap.length - 1);
    } else if (heap.length > 0 && newestFirst(item, heap[0] as WorkbinItem) < 0) {
      heap[0] = item;
      this.#down(0);
    }
  }

  /** The newest, in no particular order. */
  items(): readonly WorkbinItem[] {
    return this.#heap;
  }

  /** Later in the order: nearer the top of the heap. */
  #later(i: number, j: number): boolean {
    return newestFirst(this.#heap[i] as WorkbinItem, this.#heap[j] as WorkbinItem) > 0;
  }

  #swap(i: number, j: number): void {
    const heap = this.#heap;
    [heap[i], heap[j]] = [heap[j] as WorkbinItem, heap[i] as WorkbinItem];
  }

  #up(at: number): void {
    let i = at;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#later(i, parent)) return;
      this.#swap(i, parent);
      i = parent;
    }
  }

  #down(at: number): void {
    const size = this.#heap.length;
    let i = at;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let top = i;
      if (left < size && this.#later(left, top)) top = left;
      if (right < size && this.#later(right, top)) top = right;
      if (top === i) return;
      this.#swap(i, top);
      i = top;
    }
  }
}
