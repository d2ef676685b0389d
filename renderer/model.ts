import { type DiagnosticsReport, EMPTY_DIAGNOSTICS } from '../main/contract/diagnostics.js';
import type { WorkbinItem } from '../main/contract/domain.js';
import {
  itemKey,
  keyOfItem,
  ownerGroup,
  workbinKey,
  workbinOfItemKey,
} from '../main/contract/keys.js';
import type { CoreEvent, WorkbinDto } from '../main/contract/protocol.js';
import type { AccountSession } from '../main/contract/session.js';
import { DEFAULT_SETTINGS, type Settings } from '../main/contract/settings.js';
import type { ConnectionStatus } from '../main/contract/status.js';
import { explain, STRINGS } from '../main/contract/strings.js';

export type SortKey = 'newest' | 'oldest' | 'from' | 'subject' | 'kind';

/** How the UI names whose workbins these are: mine, a team's, or a watched agent's. */
export function ownerTitle(owner: string, me: string | undefined, name?: string | null): string {
  if (owner === me) return STRINGS.list.myWorkbins;
  const group = ownerGroup(owner);
  return group ? STRINGS.list.teamWorkbins(group.name) : STRINGS.list.othersWorkbins(name ?? owner);
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

const COMPARE: Record<SortKey, (a: WorkbinItem, b: WorkbinItem) => number> = {
  newest: (a, b) => (b.receivedAt ?? 0) - (a.receivedAt ?? 0) || collator.compare(a.id, b.id),
  oldest: (a, b) => (a.receivedAt ?? 0) - (b.receivedAt ?? 0) || collator.compare(a.id, b.id),
  from: (a, b) => collator.compare(a.from, b.from) || COMPARE.newest(a, b),
  subject: (a, b) => collator.compare(a.summary, b.summary) || COMPARE.newest(a, b),
  kind: (a, b) => collator.compare(a.kind, b.kind) || COMPARE.newest(a, b),
};

/** Lower-cased text an item is searched by, computed once per item object. */
const haystacks = new WeakMap<WorkbinItem, string>();
function haystack(item: WorkbinItem): string {
  let text = haystacks.get(item);
  if (text === undefined) {
    text = [
      item.summary,
      item.from,
      item.kind,
      item.workbinId,
      item.id,
      ...Object.values(item.userData).map(String),
    ]
      .join('\n')
      .toLowerCase();
    haystacks.set(item, text);
  }
  return text;
}

/** What the UI shows, fed by core events; the visible list is recomputed only when needed. */
export class Model {
  session: AccountSession | null = null;
  status: ConnectionStatus = { state: 'connecting', since: Date.now() };
  stale = false;
  cachedAt: number | null = null;
  settings: Settings = DEFAULT_SETTINGS;
  readonly workbins = new Map<string, WorkbinDto>();
  readonly items = new Map<string, WorkbinItem>();
  /** Item keys that arrived live and have not been seen (the core decides; we show). */
  unseen = new Set<string>();
  private unseenCounts: { of: ReadonlySet<string>; counts: Map<string, number> } | undefined;
  diagnostics: DiagnosticsReport = EMPTY_DIAGNOSTICS;
  filterWorkbin: string | null = null;
  search = '';
  sort: SortKey = 'newest';
  selected: string | null = null;
  signInError: string | null = null;
  signingIn = false;
  /** Bumped on every change to the item set; the visible list is cached per version. */
  private version = 0;
  private cache: { key: string; list: WorkbinItem[] } | undefined;

  apply(event: CoreEvent): void {
    switch (event.type) {
      case 'snapshot':
        this.session = event.session;
        this.status = event.status;
        this.stale = event.stale;
        this.cachedAt = event.cachedAt;
        this.settings = event.settings;
        this.workbins.clear();
        for (const w of event.workbins) this.workbins.set(w.key, w);
        this.items.clear();
        for (const item of event.items) this.items.set(keyOfItem(item), item);
        this.unseen = new Set(event.unseen);
        this.diagnostics = event.diagnostics;
        if (this.filterWorkbin && !this.workbins.has(this.filterWorkbin)) this.filterWorkbin = null;
        this.version++;
        return;
      case 'delta':
        this.stale = event.stale;
        for (const key of event.removedWorkbins) {
          this.workbins.delete(key);
          for (const [k, item] of this.items) {
            if (workbinKey(item.ownerUserId, item.workbinId) === key) this.items.delete(k);
          }
        }
        for (const w of event.workbins) this.workbins.set(w.key, w);
        for (const r of event.removed) this.items.delete(itemKey(r.workbinKey, r.id));
        for (const item of event.upserted) this.items.set(keyOfItem(item), item);
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
        this.unseen = new Set(event.keys);
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

  /** What the list shows, apart from the items themselves: filter, search and sort. */
  get view(): string {
    return `${this.filterWorkbin}\u0000${this.search}\u0000${this.sort}`;
  }

  /** The filtered, sorted list, cached until items, filter, search or sort change. */
  visible(): WorkbinItem[] {
    const key = `${this.version}\u0000${this.view}`;
    if (this.cache?.key === key) return this.cache.list;
    const needle = this.search.trim().toLowerCase();
    const list: WorkbinItem[] = [];
    for (const item of this.items.values()) {
      if (this.filterWorkbin && workbinKey(item.ownerUserId, item.workbinId) !== this.filterWorkbin)
        continue;
      if (needle && !haystack(item).includes(needle)) continue;
      list.push(item);
    }
    list.sort(COMPARE[this.sort]);
    this.cache = { key, list };
    return list;
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

  /**
   * Unseen items in one workbin. Counted for all workbins at once, again only when the unseen
   * set is replaced: the sidebar asks for every workbin on every frame.
   */
  unseenIn(workbinKey: string): number {
    if (this.unseenCounts?.of !== this.unseen) {
      const counts = new Map<string, number>();
      for (const key of this.unseen) {
        const workbin = workbinOfItemKey(key);
        counts.set(workbin, (counts.get(workbin) ?? 0) + 1);
      }
      this.unseenCounts = { of: this.unseen, counts };
    }
    return this.unseenCounts.counts.get(workbinKey) ?? 0;
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
        workbins: workbins.sort((a, b) => collator.compare(a.displayName, b.displayName)),
      }))
      .sort((a, b) => rank(a.owner) - rank(b.owner) || collator.compare(a.title, b.title));
  }
}
