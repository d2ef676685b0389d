/**
 * The list's default order, newest first, shared by the page (its sort) and the host (a
 * large snapshot's preview, `main/bridge/newest-items.ts`): the preview's items must be the
 * rows the page puts at the top.
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
