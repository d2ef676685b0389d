import type { WorkbinItem } from '../../main/contract/domain.js';
import { keyOfItem } from '../../main/contract/keys.js';
import { STRINGS } from '../../main/contract/strings.js';
import { revealInvisible } from '../../main/contract/text.js';
import { el, setAttr, setText } from '../dom.js';
import { exactTime, relativeTime } from '../format.js';
import type { Model, SortKey } from '../model.js';
import { VirtualList } from '../virtual-list.js';

export const ROW_HEIGHT = 56;

const BADGES: Record<WorkbinItem['kind'], string> = {
  chat: 'CH',
  email: 'EM',
  facebook: 'FB',
  tweet: 'TW',
  facebooksession: 'FM',
  workitem: 'WI',
  openmedia: 'OM',
};

const SORTS: Array<[SortKey, string]> = [
  ['newest', STRINGS.list.sortNewest],
  ['oldest', STRINGS.list.sortOldest],
  ['from', STRINGS.list.sortFrom],
  ['subject', STRINGS.list.sortSubject],
  ['kind', STRINGS.list.sortKind],
];

/** What a row's content is made of; its place in the list is set apart, and cheaply. */
interface RowContent {
  readonly item: WorkbinItem;
  readonly fresh: boolean;
  readonly when: string;
  readonly whose: string | null;
}

/** The virtualised item list with its count and sort control; arrow keys move the selection. */
export class ItemList {
  readonly root = el('section', { class: 'items' });
  private readonly count = el('span', { class: 'count', attrs: { 'aria-live': 'polite' } });
  private readonly sort = el('select', { attrs: { 'aria-label': STRINGS.list.sort } });
  private readonly empty = el('p', { class: 'empty muted' });
  private readonly viewport = el('div', {
    class: 'vlist',
    attrs: { role: 'listbox', tabindex: '0', 'aria-label': STRINGS.list.allItems },
  });
  /** Rows that arrived above a reader who has scrolled down: a click goes up to them. */
  private readonly newAbove = el('button', {
    class: 'new-above',
    attrs: { type: 'button', hidden: '' },
  });
  private newAboveCount = 0;
  /** Filter, search and sort: within one view a reader's place is kept. */
  private viewKey = '';
  private readonly list: VirtualList<WorkbinItem>;
  private visible: WorkbinItem[] = [];
  private selected: string | null = null;
  /** Read by rows rendered on scroll, between renders: what is new and whose items are. */
  private model: Model | undefined;
  private now = Date.now();
  /** What each row element shows: a row is filled again only when that changes. */
  private readonly filled = new WeakMap<HTMLElement, RowContent>();

  constructor(
    private readonly onSelect: (key: string) => void,
    onSort: (sort: SortKey) => void,
  ) {
    for (const [value, label] of SORTS)
      this.sort.append(el('option', { text: label, attrs: { value } }));
    this.sort.addEventListener('change', () => onSort(this.sort.value as SortKey));
    this.list = new VirtualList<WorkbinItem>(
      this.viewport,
      ROW_HEIGHT,
      (row, item, index) => this.renderRow(row, item, index),
      keyOfItem,
    );
    this.viewport.addEventListener(
      'scroll',
      () => {
        if (this.newAboveCount > 0 && this.list.atTop) this.setNewAbove(0);
      },
      { passive: true },
    );
    this.newAbove.addEventListener('click', () => {
      this.viewport.scrollTop = 0;
      this.setNewAbove(0);
      this.viewport.focus();
    });
    this.viewport.addEventListener('pointerover', showExactTime);
    this.viewport.addEventListener('keydown', (event) => this.onKey(event));
    this.viewport.addEventListener('click', (event) => {
      const row = (event.target as Element).closest<HTMLElement>('[data-key]');
      if (row?.dataset.key) this.onSelect(row.dataset.key);
    });
    this.root.append(
      el('div', { class: 'list-bar' }, this.count, this.newAbove, this.sort),
      this.empty,
      this.viewport,
    );
  }

  focus(): void {
    this.viewport.focus();
  }

  render(model: Model, now: number): void {
    this.now = now;
    this.visible = model.visible();
    this.selected = model.selected;
    this.model = model;
    // The list first: it reads the viewport's geometry, which costs nothing before this
    // frame's first write and a whole layout of the page after it.
    const sameView = model.view === this.viewKey;
    this.viewKey = model.view;
    const moved = this.list.setItems(this.visible, sameView);
    this.sort.value = model.sort;
    // Counted within the chosen workbin, and an empty workbin says it is empty: "no match"
    // only when a search hides what is there.
    const workbin = model.filterWorkbin ? model.workbins.get(model.filterWorkbin) : undefined;
    const total = workbin ? workbin.count : model.itemCount;
    const listName = workbin?.displayName ?? STRINGS.list.allItems;
    setAttr(this.viewport, 'aria-label', listName);
    // Assistive technology waits for the whole list rather than read out a part of it.
    setAttr(this.viewport, 'aria-busy', String(model.loading !== null));
    const count = model.loading === null ? STRINGS.list.count : STRINGS.list.countLoading;
    setText(this.count, count(this.visible.length, total, workbin?.displayName ?? null));
    setText(
      this.empty,
      model.loading !== null
        ? STRINGS.status.loading
        : total > 0
          ? STRINGS.list.noMatch
          : workbin
            ? STRINGS.list.emptyWorkbin(workbin.displayName)
            : STRINGS.list.empty,
    );
    this.empty.hidden = this.visible.length > 0;
    if (!sameView || this.list.atTop) this.setNewAbove(0);
    else if (moved !== 0) this.setNewAbove(Math.max(0, this.newAboveCount + moved));
    const index = this.selectedIndex();
    if (index >= 0) this.viewport.setAttribute('aria-activedescendant', `row-${index}`);
    else this.viewport.removeAttribute('aria-activedescendant');
  }

  private setNewAbove(count: number): void {
    if (count === this.newAboveCount) return;
    this.newAboveCount = count;
    this.newAbove.hidden = count === 0;
    this.newAbove.textContent = STRINGS.list.newAbove(count);
  }

  /** Brings the selected row into view (after keyboard moves or a notification click). */
  revealSelected(): void {
    const index = this.selectedIndex();
    if (index >= 0) this.list.reveal(index);
  }

  private selectedIndex(): number {
    return this.selected === null
      ? -1
      : this.visible.findIndex((item) => keyOfItem(item) === this.selected);
  }

  private renderRow(row: HTMLElement, item: WorkbinItem, index: number): void {
    const key = keyOfItem(item);
    // Only the rows in view exist: tell assistive technology where this one stands.
    setAttr(row, 'id', `row-${index}`);
    setAttr(row, 'aria-setsize', String(this.visible.length));
    setAttr(row, 'aria-posinset', String(index + 1));
    setAttr(row, 'aria-selected', String(key === this.selected));
    const shows: RowContent = {
      item,
      fresh: this.model?.unseen.has(key) === true,
      when: item.receivedAt === null ? '' : relativeTime(item.receivedAt, this.now),
      whose: this.model?.ownerLabel(item.ownerUserId) ?? null,
    };
    const was = this.filled.get(row);
    if (
      was?.item === shows.item &&
      was.fresh === shows.fresh &&
      was.when === shows.when &&
      was.whose === shows.whose
    )
      return;
    this.filled.set(row, shows);
    row.className = shows.fresh ? 'row new' : 'row';
    row.dataset.key = key;
    row.dataset.kind = item.kind;
    row.setAttribute('role', 'option');
    const time = el('time', { class: 'when', text: shows.when });
    // Its exact time as a tooltip comes on hover (showExactTime).
    if (item.receivedAt !== null) time.dateTime = new Date(item.receivedAt).toISOString();
    const marker = shows.fresh
      ? [
          el('span', {
            class: 'new-dot',
            attrs: { role: 'img', 'aria-label': STRINGS.list.newMarker },
          }),
        ]
      : [];
    row.replaceChildren(
      ...marker,
      el('span', {
        class: `badge kind-${item.kind}`,
        text: BADGES[item.kind],
        attrs: { role: 'img', 'aria-label': STRINGS.kinds[item.kind] },
      }),
      el('span', {
        class: 'summary server-text',
        text: revealInvisible(item.summary) || STRINGS.kinds[item.kind],
        attrs: { dir: 'auto' },
      }),
      this.fromLine(item, shows.whose),
      time,
    );
  }

  /** Who sent it and, when it is not the user's own, whose workbin it is in. */
  private fromLine(item: WorkbinItem, whose: string | null): HTMLElement {
    const line = el('span', { class: 'from' });
    line.append(el('bdi', { class: 'server-text', text: revealInvisible(item.from) }));
    if (whose !== null)
      line.append(
        el('bdi', { class: 'whose server-text', text: STRINGS.list.whose(revealInvisible(whose)) }),
      );
    return line;
  }

  private onKey(event: KeyboardEvent): void {
    if (this.visible.length === 0) return;
    const current = this.selectedIndex();
    const last = this.visible.length - 1;
    const moves: Record<string, number> = {
      ArrowDown: Math.min(last, current + 1),
      ArrowUp: Math.max(0, current - 1),
      Home: 0,
      End: last,
      PageDown: Math.min(last, current + this.list.pageSize),
      PageUp: Math.max(0, current - this.list.pageSize),
    };
    const next = moves[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const item = this.visible[next];
    if (item) this.onSelect(keyOfItem(item));
  }
}

/**
 * A row's time gets its exact-time tooltip when the pointer comes over it, not each time the
 * row is drawn: the page's first date formatter took 2.5-9 ms to make in a fresh Chromium
 * renderer on a 2-core machine (15-45 ms as a page's first Intl object), and the first list
 * waited for it, for tooltips most rows never show.
 */
function showExactTime(event: PointerEvent): void {
  const time = (event.target as Element).closest('time.when');
  if (!(time instanceof HTMLTimeElement) || time.title || !time.dateTime) return;
  time.title = exactTime(Date.parse(time.dateTime));
}
