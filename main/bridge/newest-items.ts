import { setImmediate as nextTurn } from 'node:timers/promises';
import type { WorkbinItem } from '../contract/domain.js';
import { NewestItems, newestFirst } from '../contract/item-order.js';

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
