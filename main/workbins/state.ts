import type {
  SubscriptionStatus,
  WorkbinInfo,
  WorkbinItem,
  WorkbinType,
} from '../contract/domain.js';
import { workbinKey } from '../contract/keys.js';
import { runToEnd } from '../slices/time-slices.js';
import { type ItemDraft, ItemMap } from './item-map.js';
import type { WorkbinMessage } from './messages.js';

export interface WorkbinView {
  readonly key: string;
  readonly ownerUserId: string;
  readonly workbinId: string;
  readonly displayName: string;
  readonly type: WorkbinType;
  readonly subscription: SubscriptionStatus;
  /** Why the last subscription failed; null when it did not. */
  readonly failure: string | null;
  readonly items: ReadonlyMap<string, WorkbinItem>;
  /** When the contents were last loaded from the server (ms), null if never. */
  readonly syncedAt: number | null;
  /** How many of the server's items are not held: the oldest, beyond the limits. */
  readonly dropped: number;
  /** What the items take in memory, by `itemBytes` (for `retainedBytes`). */
  readonly bytes: number;
  /** A watched user's name, as GWS's user resource gives it; null when not known. */
  readonly ownerName: string | null;
}

/** Bounds on what the state may hold: a broken or hostile server must not fill memory. */
export interface StateLimits {
  readonly itemsPerWorkbin: number;
  /**
   * All workbins together, by `itemBytes`. Beyond it the oldest items go, across workbins,
   * until a tenth is free: one sort per tenth, not one per message.
   */
  readonly retainedBytes: number;
}

/**
 * Twice the largest workbins we know of: real work fits, a runaway server does not. 512 MiB
 * by `itemBytes` (which overstates V8's own use by about a third: 1,400 estimated for 1,030
 * measured per item) holds a full workbin of 200,000 items with GWS's usual attached data
 * (2.6 KB each), or a supervisor's 80 workbins of 3,000; 256 MiB did not hold 100,000 of the
 * simulator's items. A server sending megabyte texts meets it long before the item bound.
 */
export const DEFAULT_LIMITS: StateLimits = {
  itemsPerWorkbin: 200_000,
  retainedBytes: 512 * 1024 * 1024,
};

/**
 * What an item holds in memory, roughly: its strings at two bytes a character plus a fixed
 * overhead per object and field. Items are immutable, so adding and removing one count the
 * same (measured, not remembered: a WeakMap per item cost 8 % of ingest). No item: nothing,
 * so that what an item replaced is `itemBytes(item) - itemBytes(previous)`.
 */
export function itemBytes(item: WorkbinItem | undefined): number {
  if (!item) return 0;
  let size =
    200 +
    2 *
      (item.id.length +
        item.summary.length +
        item.from.length +
        item.receivedRaw.length +
        item.state.length);
  for (const key in item.userData) {
    const value = item.userData[key];
    size += 40 + 2 * key.length + (typeof value === 'string' ? 2 * value.length : 8);
  }
  return size;
}

const age = (item: WorkbinItem) => item.receivedAt ?? Number.NEGATIVE_INFINITY;

/** The newest `count` items (by received time; those without one count as oldest). */
function newest(items: readonly WorkbinItem[], count: number): WorkbinItem[] {
  return [...items].sort((a, b) => age(b) - age(a)).slice(0, count);
}

/**
 * The `k`-th smallest of `values` (0-based), reordering them: Hoare's selection, O(n) expected.
 * The pivot is random: the server chooses the order of the values, and a fixed pivot has
 * orders that make it quadratic.
 */
function kthSmallest(values: Float64Array, k: number): number {
  let low = 0;
  let high = values.length - 1;
  while (low < high) {
    const pivot = values[low + Math.floor(Math.random() * (high - low + 1))] as number;
    let i = low;
    let j = high;
    while (i <= j) {
      while ((values[i] as number) < pivot) i++;
      while ((values[j] as number) > pivot) j--;
      if (i <= j) {
        const swap = values[i] as number;
        values[i++] = values[j] as number;
        values[j--] = swap;
      }
    }
    if (k <= j) high = j;
    else if (k >= i) low = i;
    else break;
  }
  return values[k] as number;
}

/** The `count` oldest items of a workbin, in one pass and a selection: no sort. */
function oldest(items: ReadonlyMap<string, WorkbinItem>, count: number): WorkbinItem[] {
  if (count <= 0) return [];
  const ages = new Float64Array(items.size);
  let n = 0;
  for (const item of items.values()) ages[n++] = age(item);
  const threshold = kthSmallest(ages, Math.min(count, n) - 1);
  const older: WorkbinItem[] = [];
  const same: WorkbinItem[] = [];
  for (const item of items.values()) {
    const a = age(item);
    if (a < threshold) older.push(item);
    else if (a === threshold) same.push(item);
  }
  return older.concat(same.slice(0, count - older.length));
}

export interface WorkbinState {
  readonly workbins: ReadonlyMap<string, WorkbinView>;
}

export type WorkbinEvent =
  /** The server's list of one owner's workbins: adds new ones, drops vanished ones. */
  | {
      readonly type: 'workbins-listed';
      readonly ownerUserId: string;
      readonly workbins: readonly WorkbinInfo[];
      /** The owner's name, when it was looked up (watched users). */
      readonly ownerName?: string | null;
    }
  /** A REST load of one workbin: the server's truth replaces what we had. */
  | {
      readonly type: 'contents-loaded';
      readonly ownerUserId: string;
      readonly workbinId: string;
      readonly items: readonly WorkbinItem[];
      readonly at: number;
    }
  | {
      readonly type: 'subscription-requested';
      readonly ownerUserId: string;
      readonly workbinId: string;
    }
  /** The owners now watched: workbins of anyone else are dropped. */
  | { readonly type: 'owners-watched'; readonly owners: readonly string[] }
  /** The owner's workbins cannot be listed now: what is held of them is not live. */
  | { readonly type: 'owner-unavailable'; readonly ownerUserId: string; readonly reason: string }
  /** `replayed`: seen before, applied again after a load; its changes are not live news. */
  | { readonly type: 'message'; readonly message: WorkbinMessage; readonly replayed?: boolean };

export type WorkbinChange =
  /** `live`: pushed by the server now, as opposed to found by a (re)load. */
  | {
      readonly type: 'item-added';
      readonly key: string;
      readonly item: WorkbinItem;
      readonly live: boolean;
    }
  /** A known item arrived again with other content (GWS re-sends ItemAdded on a change). */
  | {
      readonly type: 'item-updated';
      readonly key: string;
      readonly item: WorkbinItem;
      readonly previous: WorkbinItem;
      readonly live: boolean;
    }
  | {
      readonly type: 'item-removed';
      readonly key: string;
      readonly item: WorkbinItem;
      readonly live: boolean;
    }
  | { readonly type: 'workbin-updated'; readonly key: string }
  | { readonly type: 'workbin-removed'; readonly key: string }
  | { readonly type: 'subscription-failed'; readonly key: string; readonly reason: string };

export const EMPTY_STATE: WorkbinState = { workbins: new Map() };

function emptyView(ownerUserId: string, workbinId: string): WorkbinView {
  return {
    key: workbinKey(ownerUserId, workbinId),
    ownerUserId,
    workbinId,
    displayName: workbinId,
    type: 'Unknown',
    subscription: 'pending',
    failure: null,
    items: ItemMap.EMPTY,
    syncedAt: null,
    dropped: 0,
    bytes: 0,
    ownerName: null,
  };
}

/**
 * A draft of the state for one batch: the workbin map is copied once per batch (it holds a
 * few hundred views at most), item maps are persistent drafts (no copy), so a message costs
 * the same whatever is held.
 */
class Draft {
  private workbins: Map<string, WorkbinView> | undefined;
  private readonly itemDrafts = new Map<string, ItemDraft>();
  /** Byte changes per workbin in this batch: written into the views once, at the end. */
  private readonly grown = new Map<string, number>();
  readonly changes: WorkbinChange[] = [];
  /** Messages about workbins not in the state: never allowed to create one. */
  ignored = 0;

  constructor(
    private readonly base: WorkbinState,
    readonly limits: StateLimits,
  ) {}

  view(key: string): WorkbinView | undefined {
    return (this.workbins ?? this.base.workbins).get(key);
  }

  ensure(ownerUserId: string, workbinId: string): WorkbinView {
    const key = workbinKey(ownerUserId, workbinId);
    const existing = this.view(key);
    if (existing) return existing;
    const created = emptyView(ownerUserId, workbinId);
    this.put(created);
    return created;
  }

  put(view: WorkbinView): void {
    this.workbins ??= new Map(this.base.workbins);
    this.workbins.set(view.key, view);
  }

  remove(key: string): void {
    this.workbins ??= new Map(this.base.workbins);
    this.workbins.delete(key);
    this.itemDrafts.delete(key);
    this.grown.delete(key);
  }

  grow(key: string, bytes: number): void {
    this.grown.set(key, (this.grown.get(key) ?? 0) + bytes);
  }

  bytes(view: WorkbinView): number {
    return view.bytes + (this.grown.get(view.key) ?? 0);
  }

  /** The writable item map of a workbin, installed in a copy of its view. */
  items(view: WorkbinView): ItemDraft {
    let items = this.itemDrafts.get(view.key);
    if (!items) {
      items = ItemMap.of(view.items).draft();
      this.itemDrafts.set(view.key, items);
      this.put({ ...view, items });
    }
    return items;
  }

  /** The state so far (byte counts excepted: `finish` writes them). */
  result(): WorkbinState {
    return this.workbins ? { workbins: this.workbins } : this.base;
  }

  /** Seals the batch: item drafts become persistent maps, byte counts are written. */
  finish(): WorkbinState {
    for (const [key, items] of this.itemDrafts) {
      const view = this.view(key);
      if (view) this.put({ ...view, items: items.seal() });
    }
    this.itemDrafts.clear();
    for (const [key, bytes] of this.grown) {
      const view = this.view(key);
      if (view && bytes !== 0) this.put({ ...view, bytes: view.bytes + bytes });
    }
    this.grown.clear();
    return this.result();
  }
}

/** Whether two deliveries of an item say the same thing (a duplicate changes nothing). */
export function sameItem(a: WorkbinItem, b: WorkbinItem): boolean {
  return (
    a.kind === b.kind &&
    a.summary === b.summary &&
    a.from === b.from &&
    a.receivedRaw === b.receivedRaw &&
    a.state === b.state &&
    sameUserData(a.userData, b.userData)
  );
}

/**
 * The same keys with the same values, in any order (values are scalars). Compared as JSON
 * text before: two strings made per item, a third of a 100,000-item reload in a profile.
 */
function sameUserData(a: WorkbinItem['userData'], b: WorkbinItem['userData']): boolean {
  if (a === b) return true;
  let keys = 0;
  for (const key in a) {
    if (!Object.hasOwn(b, key) || a[key] !== b[key]) return false;
    keys++;
  }
  for (const _ in b) keys--;
  return keys === 0;
}

/** One event other than a contents load (`loadContents`, which goes in steps). */
function applyOne(draft: Draft, event: Exclude<WorkbinEvent, { type: 'contents-loaded' }>): void {
  switch (event.type) {
    case 'workbins-listed': {
      const listed = new Set<string>();
      for (const info of event.workbins) {
        const view = draft.ensure(info.ownerUserId, info.id);
        listed.add(view.key);
        const ownerName = event.ownerName ?? view.ownerName;
        if (
          view.displayName !== info.displayName ||
          view.type !== info.type ||
          view.ownerName !== ownerName
        ) {
          draft.put({
            ...(draft.view(view.key) ?? view),
            displayName: info.displayName,
            type: info.type,
            ownerName,
          });
          draft.changes.push({ type: 'workbin-updated', key: view.key });
        }
      }
      for (const [key, view] of draft.result().workbins) {
        if (view.ownerUserId === event.ownerUserId && !listed.has(key)) {
          draft.remove(key);
          draft.changes.push({ type: 'workbin-removed', key });
        }
      }
      return;
    }
    case 'owners-watched': {
      const watched = new Set(event.owners);
      for (const [key, view] of draft.result().workbins) {
        if (watched.has(view.ownerUserId)) continue;
        draft.remove(key);
        draft.changes.push({ type: 'workbin-removed', key });
      }
      return;
    }
    case 'owner-unavailable': {
      for (const view of draft.result().workbins.values()) {
        if (view.ownerUserId !== event.ownerUserId) continue;
        if (view.subscription === 'unavailable' && view.failure === event.reason) continue;
        draft.put({ ...view, subscription: 'unavailable', failure: event.reason });
        draft.changes.push({ type: 'workbin-updated', key: view.key });
      }
      return;
    }
    case 'subscription-requested': {
      const view = draft.ensure(event.ownerUserId, event.workbinId);
      if (view.subscription !== 'pending') {
        draft.put({ ...view, subscription: 'pending' });
        draft.changes.push({ type: 'workbin-updated', key: view.key });
      }
      return;
    }
    case 'message':
      applyMessage(draft, event.message, event.replayed !== true);
      return;
  }
}

/**
 * Items a contents load folds in between the points where it may pause: a step of 1,000 took
 * 10-12 ms, more than twice the slice it runs in.
 */
const LOAD_STEP_ITEMS = 200;

/**
 * A workbin's contents folded in, as steps: it yields every `LOAD_STEP_ITEMS` items, so that
 * a batcher may let the event loop turn while 100,000 of them are folded (some 250 ms on a
 * 2-core machine). Nothing sees the draft meanwhile.
 */
function* loadContents(
  draft: Draft,
  event: Extract<WorkbinEvent, { type: 'contents-loaded' }>,
): Generator<void, void, undefined> {
  const view = draft.ensure(event.ownerUserId, event.workbinId);
  const cap = draft.limits.itemsPerWorkbin;
  const kept = event.items.length > cap ? newest(event.items, cap) : event.items;
  const next = new Map<string, WorkbinItem>();
  for (const item of kept) if (next.set(item.id, item).size % LOAD_STEP_ITEMS === 0) yield;
  // Only what differs is written: a reload that finds most items unchanged (a resync)
  // leaves them, their objects and the persistent map's nodes as they were. Building the
  // whole map anew took a third of a 100,000-item reload.
  const current = draft.items(view);
  const gone: WorkbinItem[] = [];
  let seen = 0;
  for (const [id, item] of current) {
    if (!next.has(id)) gone.push(item);
    if (++seen % LOAD_STEP_ITEMS === 0) yield;
  }
  let grown = 0;
  for (const item of gone) {
    current.delete(item.id);
    grown -= itemBytes(item);
    draft.changes.push({ type: 'item-removed', key: view.key, item, live: false });
  }
  seen = 0;
  for (const [id, item] of next) {
    if (++seen % LOAD_STEP_ITEMS === 0) yield;
    const previous = current.get(id);
    if (previous && sameItem(previous, item)) continue;
    current.set(id, item);
    grown += itemBytes(item) - itemBytes(previous);
    draft.changes.push(
      previous
        ? { type: 'item-updated', key: view.key, item, previous, live: false }
        : { type: 'item-added', key: view.key, item, live: false },
    );
  }
  draft.grow(view.key, grown);
  const loaded = draft.view(view.key) ?? view;
  draft.put({ ...loaded, syncedAt: event.at, dropped: event.items.length - kept.length });
  draft.changes.push({ type: 'workbin-updated', key: view.key });
}

function applyMessage(draft: Draft, message: WorkbinMessage, live: boolean): void {
  switch (message.type) {
    case 'item-added': {
      const { item } = message;
      const view = draft.view(workbinKey(item.ownerUserId, item.workbinId));
      if (!view) {
        draft.ignored++;
        return;
      }
      const known = view.items.get(item.id);
      if (known && sameItem(known, item)) return; // a duplicate delivery changes nothing
      const items = draft.items(view);
      const cap = draft.limits.itemsPerWorkbin;
      if (!known && items.size >= cap) {
        // Full: the oldest go, 1 % of the bound at once (finding them is a pass over the
        // workbin, so once per 1 % of messages, not per message), and the workbin says how
        // many it no longer holds.
        const evicted = oldest(items, items.size - cap + 1 + Math.floor(cap / 100));
        for (const gone of evicted) {
          items.delete(gone.id);
          draft.grow(view.key, -itemBytes(gone));
          draft.changes.push({ type: 'item-removed', key: view.key, item: gone, live: false });
        }
        const current = draft.view(view.key) ?? view;
        draft.put({ ...current, dropped: current.dropped + evicted.length });
        draft.changes.push({ type: 'workbin-updated', key: view.key });
      }
      items.set(item.id, item);
      draft.grow(view.key, itemBytes(item) - itemBytes(known));
      draft.changes.push(
        known
          ? { type: 'item-updated', key: view.key, item, previous: known, live }
          : { type: 'item-added', key: view.key, item, live },
      );
      return;
    }
    case 'item-removed': {
      const view = draft.view(workbinKey(message.ownerUserId, message.workbinId));
      const known = view?.items.get(message.itemId);
      if (!view || !known) return; // removing what we never saw is not an error
      draft.items(view).delete(message.itemId);
      draft.grow(view.key, -itemBytes(known));
      draft.changes.push({ type: 'item-removed', key: view.key, item: known, live });
      return;
    }
    case 'subscription': {
      const view = draft.view(workbinKey(message.ownerUserId, message.workbinId));
      if (!view) {
        draft.ignored++;
        return;
      }
      const subscription: SubscriptionStatus =
        message.state === 'Subscribed'
          ? 'subscribed'
          : message.state === 'Unsubscribed'
            ? 'unsubscribed'
            : 'failed';
      const failure = subscription === 'failed' ? (message.reason ?? 'Subscription failed') : null;
      if (view.subscription === subscription && view.failure === failure) return;
      draft.put({ ...view, subscription, failure });
      draft.changes.push({ type: 'workbin-updated', key: view.key });
      if (failure !== null)
        draft.changes.push({ type: 'subscription-failed', key: view.key, reason: failure });
      return;
    }
  }
}

/**
 * Folds events into the state, in order. Pure: the input state is never modified, and the
 * same events on the same state always give the same result and changes. Messages about a
 * workbin the state does not hold change nothing and are counted in `ignored`: only a
 * listing creates workbins.
 */
export function reduce(
  state: WorkbinState,
  events: readonly WorkbinEvent[],
  limits: StateLimits = DEFAULT_LIMITS,
): Reduced {
  return runToEnd(reduceSteps(state, events, limits));
}

/** What a reduction gives. */
export interface Reduced {
  readonly state: WorkbinState;
  readonly changes: WorkbinChange[];
  readonly ignored: number;
}

/**
 * `reduce` as steps: it yields inside a large contents load (every `LOAD_STEP_ITEMS` items),
 * and gives the same as `reduce` once run to its end.
 */
export function* reduceSteps(
  state: WorkbinState,
  events: readonly WorkbinEvent[],
  limits: StateLimits = DEFAULT_LIMITS,
): Generator<void, Reduced, undefined> {
  const draft = new Draft(state, limits);
  for (const event of events)
    if (event.type === 'contents-loaded') yield* loadContents(draft, event);
    else applyOne(draft, event);
  keepWithinBytes(draft);
  return { state: draft.finish(), changes: draft.changes, ignored: draft.ignored };
}

/** Over `retainedBytes`: the oldest items go, whichever workbin holds them, down to 90 %. */
function keepWithinBytes(draft: Draft): void {
  // Runs on every reduce: no allocation unless over the bound.
  const views = draft.result().workbins;
  let total = 0;
  for (const view of views.values()) total += draft.bytes(view);
  const limit = draft.limits.retainedBytes;
  if (total <= limit) return;
  const held: Array<{ key: string; item: WorkbinItem }> = [];
  for (const view of views.values())
    for (const item of view.items.values()) held.push({ key: view.key, item });
  held.sort((a, b) => age(a.item) - age(b.item));
  const dropped = new Map<string, number>();
  const target = limit * 0.9;
  for (const { key, item } of held) {
    if (total <= target) break;
    const view = draft.view(key);
    if (!view) continue;
    draft.items(view).delete(item.id);
    const size = itemBytes(item);
    draft.grow(key, -size);
    total -= size;
    dropped.set(key, (dropped.get(key) ?? 0) + 1);
    draft.changes.push({ type: 'item-removed', key, item, live: false });
  }
  for (const [key, count] of dropped) {
    const view = draft.view(key);
    if (!view) continue;
    draft.put({ ...view, dropped: view.dropped + count });
    draft.changes.push({ type: 'workbin-updated', key });
  }
}

/**
 * Every item `state` holds, workbin by workbin, read only as far as it is consumed: the state
 * is persistent, so a read spread over many turns still gives this state's items.
 */
export function* stateItems(state: WorkbinState): Generator<WorkbinItem, void, undefined> {
  for (const view of state.workbins.values()) yield* view.items.values();
}

export function itemCount(state: WorkbinState): number {
  let count = 0;
  for (const view of state.workbins.values()) count += view.items.size;
  return count;
}
