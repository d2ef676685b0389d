/**
 * The list's default order, newest first, shared by the page (its sort) and the host (a
 * large snapshot's preview, `main/bridge/newest-items.ts`, and the newest items the cache
 * writes first): the preview's items must be the rows the page puts at the top.
 */
import type { WorkbinItem } from './domain.js';

const ordinal = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The last word of every order: total (no two items compare equal), and cheap. Ids are GWS
 * hex strings: collating them cost more than half the renderer's time in a burst.
 */
export const tieBreak = (a: WorkbinItem, b: WorkbinItem): number =>
  ordinal(a.id, b.id) || ordinal(a.workbinId, b.workbinId) || ordinal(a.ownerUserId, b.ownerUserId);

/** Newest first; an item whose date could not be read goes last. */
export const newestFirst = (a: WorkbinItem, b: WorkbinItem): number =>
  (b.receivedAt ?? 0) - (a.receivedAt ?? 0) || tieBreak(a, b);

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

/**
 * The `count` newest of `items`, newest first, read a step of `stepItems` items at a time:
 * each step yields `pause`, where a caller that runs it in slices (the cache's writer, a
 * snapshot's sender) may stop.
 */
export function* newestOf<Pause>(
  items: Iterable<WorkbinItem>,
  count: number,
  stepItems: number,
  pause: Pause,
): Generator<Pause, WorkbinItem[], undefined> {
  const newest = new NewestItems(count);
  let read = 0;
  for (const item of items) {
    newest.offer(item);
    if (++read % stepItems === 0) yield pause;
  }
  return [...newest.items()].sort(newestFirst);
}
