import type { WorkbinItem } from '../contract/domain.js';
import { newestOf } from '../contract/item-order.js';
import { MAIN_SLICE_MS, runInSlices } from '../slices/time-slices.js';

/** Steps of `STEP_ITEMS`: reading the clock per item would cost more than the item. */
const STEP_ITEMS = 500;

/**
 * `items` with the `count` newest ahead of the rest, read over event-loop turns: a large
 * snapshot's first part is the top of the page's list.
 */
export function newestAhead(items: Iterable<WorkbinItem>, count: number): Promise<WorkbinItem[]> {
  return runInSlices(newestAheadSteps(items, count), MAIN_SLICE_MS);
}

function* newestAheadSteps(
  items: Iterable<WorkbinItem>,
  count: number,
): Generator<void, WorkbinItem[], undefined> {
  // Read into an array first: they are read twice, and a generator around them cost more.
  const all: WorkbinItem[] = [];
  for (const item of items) if (all.push(item) % STEP_ITEMS === 0) yield;
  const ordered = yield* newestOf(all, count, STEP_ITEMS, undefined);
  const ahead = new Set(ordered);
  for (let i = 0; i < all.length; i++) {
    const item = all[i] as WorkbinItem;
    if (!ahead.has(item)) ordered.push(item);
    if (i % STEP_ITEMS === 0) yield;
  }
  return ordered;
}
