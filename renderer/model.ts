import { type DiagnosticsReport, EMPTY_DIAGNOSTICS } from '../main/contract/diagnostics.js';
import type { WorkbinItem } from '../main/contract/domain.js';
import { newestFirst, tieBreak } from '../main/contract/item-order.js';
import {
  itemKey,
  keyOfItem,
  ownerGroup,
  workbinKey,
  workbinOfItemKey,
} from '../main/contract/keys.js';
import type { PageEvent, WorkbinDto } from '../main/contract/protocol.js';
import type { AccountSession } from '../main/contract/session.js';
import { DEFAULT_SETTINGS, type Settings } from '../main/contract/settings.js';
import type { ConnectionStatus } from '../main/contract/status.js';
import { explain, STRINGS } from '../main/contract/strings.js';
import { searchText } from './search-text.js';

export type SortKey = 'newest' | 'oldest' | 'from' | 'subject' | 'kind';

/** How the UI names whose workbins these are: mine, a team's, or a watched agent's. */
export function ownerTitle(owner: string, me: string | undefined, name?: string | null): string {
  if (owner === me) return STRINGS.list.myWorkbins;
  const group = ownerGroup(owner);
  return group ? STRINGS.list.teamWorkbins(group.name) : STRINGS.list.othersWorkbins(name ?? owner);
}

let collator: Intl.Collator | undefined;
/** Text in the user's order; the collator is made on first use (app.ts makes it early). */
export function compareText(a: string, b: string): number {
  collator ??= new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
  return collator.compare(a, b);
}

const COMPARE: Record<SortKey, (a: WorkbinItem, b: WorkbinItem) => number> = {
  newest: newestFirst,
  oldest: (a, b) => (a.receivedAt ?? 0) - (b.receivedAt ?? 0) || tieBreak(a, b),
  from: (a, b) => compareText(a.from, b.from) || COMPARE.newest(a, b),
  subject: (a, b) => compareText(a.summary, b.summary) || COMPARE.newest(a, b),
  kind: (a, b) => compareText(a.kind, b.kind) || COMPARE.newest(a, b),
};

/** The text an item is searched by (see searchText), computed once per item object. */
const haystacks = new WeakMap<WorkbinItem, string>();
function haystack(item: WorkbinItem): string {
  let text = haystacks.get(item);
  if (text === undefined) {
    text = searchText(
      [
        item.summary,
        item.from,
        item.kind,
        item.workbinId,
        item.id,
        ...Object.values(item.userData).map(String),
      ].join('\n'),
    );
    haystacks.set(item, text);
  }
  return text;
}

/** What the UI shows, fed by core events; the visible list is recomputed only when needed. */
export class Model {
  /**
   * What the page has heard from the app: nothing yet (`loading`: not even whether anyone is
   * signed in), a snapshot and what followed it (`live`), or nothing since its link was lost
   * (`lost`: what shows is what it last heard).
   */
  link: 'loading' | 'live' | 'lost' = 'loading';
  /**
   * How many items the snapshot on its way holds, while only its preview (the newest of
   * them) is here; null once the whole snapshot is.
   */
  loading: number | null = null;
  session: AccountSession | null = null;
  status: ConnectionStatus = { state: 'connecting', since: Date.now() };
  stale = false;
  cachedAt: number | null = null;
  settings: Settings = DEFAULT_SETTINGS;
  readonly workbins = new Map<string, WorkbinDto>();
  readonly items = new Map<string, WorkbinItem>();
  /** Item keys that arrived live and have not been seen (the core decides; we show). */
  unseen = new Set<string>();
  /** Unseen items per workbin, kept up to date with `unseen` (the sidebar asks every frame). */
  private readonly unseenCounts = new Map<string, number>();
  diagnostics: DiagnosticsReport = EMPTY_DIAGNOSTICS;
  filterWorkbin: string | null = null;
  search = '';
  sort: SortKey = 'newest';
  selected: string | null = null;
  signInError: string | null = null;
  signingIn = false;
  /**
   * The items whose search text is still to be prepared ahead of a search (see
   * prepareSearch); null when all are. A Map's iterator goes on to entries added after it.
   */
  private unprepared: Iterator<WorkbinItem> | null = null;
  /** Bumped on every change to the item set; the lists below are kept per version. */
  private version = 0;
  private readonly visibleList = new KeptList();
  /**
   * Every item in the current order, kept for a new search or workbin filter: it only filters
   * this list, where it sorted again (0.1-0.45 s a keystroke with 100,000 held).
   */
  private readonly sortedList = new KeptList();

  apply(event: PageEvent): void {
    switch (event.type) {
      case 'snapshot-preview':
        // Only for a page with no list yet (or an empty one): one that shows a list keeps it
        // until the next whole snapshot (after a sync, say), rather than shrink to the newest
        // for a moment.
        if (this.link !== 'loading' && this.loading === null && this.items.size > 0) return;
        this.take(event.snapshot);
        this.loading = event.total;
        return;
      case 'snapshot':
        this.take(event);
        this.loading = null;
        return;
      case 'delta':
        this.stale = event.stale;
        if (event.removedWorkbins.length > 0) this.loseChanges();
        for (const key of event.removedWorkbins) {
          this.workbins.delete(key);
          for (const [k, item] of this.items) {
            if (workbinKey(item.ownerUserId, item.workbinId) === key) this.items.delete(k);
          }
        }
        for (const w of event.workbins) this.workbins.set(w.key, w);
        for (const r of event.removed) {
          const key = itemKey(r.workbinKey, r.id);
          this.track(this.items.get(key), undefined);
          this.items.delete(key);
        }
        for (const item of event.upserted) {
          const key = keyOfItem(item);
          this.track(this.items.get(key), item);
          this.items.set(key, item);
        }
        this.version++;
        return;
      case 'status':
        this.status = event.status;
        return;
      case 'settings':
        this.settings = event.settings;
        return;
      case 'sign-in-result':
        this.signingIn = false;
        this.signInError = event.error ? explain(event.error) : null;
        return;
      case 'unseen':
        this.markUnseen(event.added, event.removed);
        return;
      case 'diagnostics':
        this.diagnostics = event.diagnostics;
        return;
      case 'notify':
        return;
      case 'reveal': // an action for the page (app.ts), not data
        return;
    }
  }

  /** Everything in `snapshot`, in place of what was here. */
  private take(snapshot: Extract<PageEvent, { type: 'snapshot' }>): void {
    this.link = 'live';
    this.session = snapshot.session;
    this.status = snapshot.status;
    this.stale = snapshot.stale;
    this.cachedAt = snapshot.cachedAt;
    this.settings = snapshot.settings;
    this.workbins.clear();
    for (const w of snapshot.workbins) this.workbins.set(w.key, w);
    this.items.clear();
    for (const item of snapshot.items) this.items.set(keyOfItem(item), item);
    this.unprepared = this.items.values();
    this.loseChanges();
    this.unseen = new Set();
    this.unseenCounts.clear();
    this.markUnseen(snapshot.unseen, []);
    this.diagnostics = snapshot.diagnostics;
    if (this.filterWorkbin && !this.workbins.has(this.filterWorkbin)) this.filterWorkbin = null;
    this.version++;
  }

  /** All the items, counting those of a snapshot still on its way. */
  get itemCount(): number {
    return this.loading ?? this.items.size;
  }

  /** The link to the app is lost: nothing comes until it sends a new snapshot. */
  loseLink(): void {
    this.link = 'lost';
  }

  /**
   * Prepares the search text of the items a snapshot brought, while `hasTime()` (asked every
   * 100 items), so that the first keystroke of a search only searches: preparing 100,000 in
   * it stopped the page for 0.17 s. True while some are left. Items that change later are
   * prepared by the search that first needs them, a few at a time.
   */
  prepareSearch(hasTime: () => boolean): boolean {
    const items = this.unprepared;
    if (!items) return false;
    while (hasTime()) {
      for (let i = 0; i < 100; i++) {
        const next = items.next();
        if (next.done) {
          this.unprepared = null;
          return false;
        }
        haystack(next.value);
      }
    }
    return true;
  }

  /** What the list shows, apart from the items themselves: filter, search and sort. */
  get view(): string {
    return `${this.filterWorkbin}\u0000${this.search}\u0000${this.sort}`;
  }

  /**
   * The filtered, sorted list, cached until items, filter, search or sort change. A change of
   * a few items is applied to the cached list (work proportional to the change); a new view,
   * a snapshot or a large change sorts again.
   */
  visible(): WorkbinItem[] {
    const shows = this.shows();
    // Unfiltered, it is every item in order: the sorted list itself, kept up to date here, so
    // that the first search after thousands of changes filters it instead of sorting again.
    if (shows === everything) return this.sorted();
    return this.visibleList.get(this.version, this.view, COMPARE[this.sort], shows, () =>
      this.sorted().filter(shows),
    );
  }

  /** Whether an item passes the workbin filter and the search; `everything` without either. */
  private shows(): (item: WorkbinItem) => boolean {
    const workbin = this.filterWorkbin;
    const needle = searchText(this.search.trim());
    if (!workbin && !needle) return everything;
    return (item) =>
      (!workbin || workbinKey(item.ownerUserId, item.workbinId) === workbin) &&
      (!needle || haystack(item).includes(needle));
  }

  /** Every item in the current order. */
  private sorted(): WorkbinItem[] {
    const compare = COMPARE[this.sort];
    return this.sortedList.get(this.version, this.sort, compare, everything, () =>
      [...this.items.values()].sort(compare),
    );
  }

  /** Notes an item change for the kept lists. */
  private track(out: WorkbinItem | undefined, into: WorkbinItem | undefined): void {
    const change = { ...(out && { out }), ...(into && { in: into }) };
    this.visibleList.note(change);
    this.sortedList.note(change);
  }

  /** Items went without a change for each: the kept lists are made again. */
  private loseChanges(): void {
    this.visibleList.lose();
    this.sortedList.lose();
  }

  isMuted(workbinKey: string): boolean {
    return this.settings.mutedWorkbins.includes(workbinKey);
  }

  /** The muted list with `workbinKey` toggled. */
  toggledMute(workbinKey: string): string[] {
    const muted = this.settings.mutedWorkbins.filter((k) => k !== workbinKey);
    return this.isMuted(workbinKey) ? muted : [...muted, workbinKey];
  }

  /** The name GWS gave a watched user, where it gave one. */
  private ownerNameOf(owner: string): string | null {
    for (const w of this.workbins.values())
      if (w.ownerUserId === owner && w.ownerName !== null) return w.ownerName;
    return null;
  }

  /** Whose an item is, for rows and details: null for the user's own. */
  ownerLabel(owner: string): string | null {
    if (owner === this.session?.userId) return null;
    const group = ownerGroup(owner);
    if (group) return STRINGS.list.teamWorkbins(group.name);
    return this.ownerNameOf(owner) ?? owner;
  }

  /** How the UI names an owner: by the name GWS gave, where it gave one. */
  ownerTitleOf(owner: string): string {
    return ownerTitle(owner, this.session?.userId, this.ownerNameOf(owner));
  }

  /** Unseen items in one workbin. */
  unseenIn(workbinKey: string): number {
    return this.unseenCounts.get(workbinKey) ?? 0;
  }

  /** Only the difference: with 30,000 unseen, an event costs what it changes. */
  private markUnseen(added: readonly string[], removed: readonly string[]): void {
    const count = (key: string, by: number) => {
      const workbin = workbinOfItemKey(key);
      const next = (this.unseenCounts.get(workbin) ?? 0) + by;
      if (next > 0) this.unseenCounts.set(workbin, next);
      else this.unseenCounts.delete(workbin);
    };
    for (const key of removed) if (this.unseen.delete(key)) count(key, -1);
    for (const key of added) {
      if (this.unseen.has(key)) continue;
      this.unseen.add(key);
      count(key, 1);
    }
  }

  selectedItem(): WorkbinItem | undefined {
    return this.selected ? this.items.get(this.selected) : undefined;
  }

  /** Workbins grouped by owner: the signed-in user's own first, then teams, then agents. */
  groups(): Array<{ owner: string; title: string; workbins: WorkbinDto[] }> {
    const byOwner = new Map<string, WorkbinDto[]>();
    for (const w of this.workbins.values()) {
      const list = byOwner.get(w.ownerUserId);
      if (list) list.push(w);
      else byOwner.set(w.ownerUserId, [w]);
    }
    const me = this.session?.userId;
    const rank = (owner: string) => (owner === me ? 0 : ownerGroup(owner) ? 1 : 2);
    return [...byOwner.entries()]
      .map(([owner, workbins]) => ({
        owner,
        title: ownerTitle(owner, me, workbins[0]?.ownerName),
        workbins: workbins.sort((a, b) => compareText(a.displayName, b.displayName)),
      }))
      .sort((a, b) => rank(a.owner) - rank(b.owner) || compareText(a.title, b.title));
  }
}

/** An item's change, in order: `out` replaced by `in` (either may be absent). */
interface ItemChange {
  readonly out?: WorkbinItem;
  readonly in?: WorkbinItem;
}

/**
 * A list made from the items for one key (a view, an order), kept until the items change and
 * then brought up to date from the item changes since: a few are put in by binary search
 * instead of making it again. It is made again for a new key, and once the changes are lost
 * (a snapshot, a workbin gone) or past a few thousand, when sorting again is cheaper.
 */
class KeptList {
  private kept: { version: number; key: string; list: WorkbinItem[] } | undefined;
  private changes: ItemChange[] | null = null;

  note(change: ItemChange): void {
    if (this.changes === null) return;
    if (this.changes.length >= 2_000) this.changes = null;
    else this.changes.push(change);
  }

  lose(): void {
    this.changes = null;
  }

  /** The list for `key` at `version`: as kept, patched with `compare` and `shows`, or `make`'s. */
  get(
    version: number,
    key: string,
    compare: (a: WorkbinItem, b: WorkbinItem) => number,
    shows: (item: WorkbinItem) => boolean,
    make: () => WorkbinItem[],
  ): WorkbinItem[] {
    const kept = this.kept;
    if (kept?.key === key && kept.version === version) return kept.list;
    const list =
      kept?.key === key && this.changes !== null
        ? patched(kept.list, this.changes, compare, shows)
        : make();
    this.kept = { version, key, list };
    this.changes = [];
    return list;
  }
}

const everything = (_item: WorkbinItem): boolean => true;

/**
 * A new array (views compare the old one with it): the changes put in place. The items that
 * go are filtered out in one pass; the items that come are sorted among themselves, found
 * their places by binary search, and the runs between them copied whole: splicing them in
 * one by one moved the whole list each time (10 ms for 1,000 new items at the top of
 * 100,000).
 */
function patched(
  previous: readonly WorkbinItem[],
  changes: readonly ItemChange[],
  compare: (a: WorkbinItem, b: WorkbinItem) => number,
  shows: (item: WorkbinItem) => boolean,
): WorkbinItem[] {
  // In order: an item that came and went again within the changes is neither.
  const gone = new Set<WorkbinItem>();
  const come = new Set<WorkbinItem>();
  for (const change of changes) {
    if (change.out && !come.delete(change.out)) gone.add(change.out);
    if (change.in && shows(change.in)) come.add(change.in);
  }
  const kept = gone.size > 0 ? previous.filter((item) => !gone.has(item)) : previous.slice();
  if (come.size <= FEW) {
    // A new copy already: a few moves of it cost less than copying it again in runs.
    for (const item of come) kept.splice(lowerBound(kept, item, compare), 0, item);
    return kept;
  }
  const parts: WorkbinItem[][] = [];
  let from = 0;
  for (const item of [...come].sort(compare)) {
    const at = lowerBound(kept, item, compare, from);
    parts.push(kept.slice(from, at), [item]);
    from = at;
  }
  const last = kept.slice(from);
  return parts.length === 0 ? last : ([] as WorkbinItem[]).concat(...parts, last);
}

/** Up to this many new items are spliced into the sorted list one by one. */
const FEW = 8;

/** The first position in sorted `list`, from `from` on, whose item is not before `item`. */
function lowerBound(
  list: readonly WorkbinItem[],
  item: WorkbinItem,
  compare: (a: WorkbinItem, b: WorkbinItem) => number,
  from = 0,
): number {
  let low = from;
  let high = list.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compare(list[mid] as WorkbinItem, item) < 0) low = mid + 1;
    else high = mid;
  }
  return low;
}
