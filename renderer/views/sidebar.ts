import type { WorkbinDto } from '../../main/contract/protocol.js';
import { STRINGS } from '../../main/contract/strings.js';
import { bellIcon, el, setAttr, setText } from '../dom.js';
import type { Model } from '../model.js';

/** The elements of one workbin's row, kept across renders. */
interface Row {
  readonly li: HTMLLIElement;
  readonly button: HTMLButtonElement;
  readonly name: HTMLSpanElement;
  readonly fresh: HTMLSpanElement;
  readonly count: HTMLSpanElement;
  readonly mute: HTMLButtonElement;
  muted: boolean | null;
}

/**
 * Workbins grouped by owner, with counts; choosing one filters the list. Updated in place:
 * a live item or a mute toggle changes text and attributes, never the elements, so focus
 * and the screen reader's place stay where the agent left them. Elements are only rebuilt
 * when the set or order of workbins changes, and then focus goes back to the same control.
 */
export class Sidebar {
  readonly root = el('nav', { class: 'sidebar', attrs: { 'aria-label': 'Workbins' } });
  private readonly rows = new Map<string, Row>();
  private readonly all: Row;
  private layout = '';

  constructor(
    private readonly onSelect: (workbinKey: string | null) => void,
    private readonly onMute: (workbinKey: string) => void,
  ) {
    this.all = this.row(null);
  }

  render(model: Model): void {
    const groups = model.groups();
    const layout = JSON.stringify(groups.map((g) => [g.title, g.workbins.map((w) => w.key)]));
    if (layout !== this.layout) {
      this.layout = layout;
      this.rebuild(groups);
    }
    this.fill(this.all, STRINGS.list.allItems, model.itemCount, 0, model.filterWorkbin === null);
    for (const group of groups) {
      for (const w of group.workbins) {
        const row = this.rows.get(w.key);
        if (row) this.update(row, w, model);
      }
    }
  }

  private rebuild(groups: ReturnType<Model['groups']>): void {
    const focused = document.activeElement;
    const focusKey =
      focused instanceof HTMLElement && this.root.contains(focused)
        ? `${focused.dataset.key ?? ''}\u0000${focused.className}`
        : null;
    const wanted = new Set(groups.flatMap((g) => g.workbins.map((w) => w.key)));
    for (const key of this.rows.keys()) if (!wanted.has(key)) this.rows.delete(key);
    const children: HTMLElement[] = [el('ul', { class: 'workbins' }, this.all.li)];
    for (const group of groups) {
      const list = el('ul', { class: 'workbins', attrs: { 'aria-label': group.title } });
      for (const w of group.workbins) {
        let row = this.rows.get(w.key);
        if (!row) {
          row = this.row(w.key);
          this.rows.set(w.key, row);
        }
        list.append(row.li);
      }
      children.push(el('h2', { class: 'owner', text: group.title }), list);
    }
    this.root.replaceChildren(...children);
    if (focusKey === null) return;
    for (const candidate of this.root.querySelectorAll<HTMLElement>('button')) {
      if (`${candidate.dataset.key ?? ''}\u0000${candidate.className}` === focusKey) {
        candidate.focus();
        return;
      }
    }
  }

  private update(row: Row, w: WorkbinDto, model: Model): void {
    this.fill(row, w.displayName, w.count, model.unseenIn(w.key), model.filterWorkbin === w.key);
    const problem = workbinProblem(model, w);
    row.button.classList.toggle('failed', problem !== null);
    const title =
      problem ??
      (w.subscription === 'pending'
        ? STRINGS.list.subscriptionPending
        : w.dropped > 0
          ? STRINGS.list.dropped(w.dropped)
          : '');
    if (row.button.title !== title) row.button.title = title;
    const muted = model.isMuted(w.key);
    if (row.muted !== muted) {
      row.muted = muted;
      row.mute.setAttribute('aria-pressed', String(muted));
      row.mute.setAttribute('aria-label', STRINGS.list.mute(w.displayName));
      row.mute.title = muted ? STRINGS.list.muted : STRINGS.list.notifying;
      row.mute.replaceChildren(bellIcon(muted));
    }
  }

  private fill(row: Row, label: string, count: number, fresh: number, current: boolean): void {
    setText(row.name, label);
    setText(row.count, STRINGS.count(count));
    setText(row.fresh, fresh > 0 ? STRINGS.list.newIn(fresh) : '');
    row.fresh.hidden = fresh === 0;
    setAttr(row.button, 'aria-pressed', String(current));
  }

  private row(key: string | null): Row {
    const name = el('span', { class: 'workbin-name' });
    const fresh = el('span', { class: 'workbin-new' });
    const count = el('span', { class: 'workbin-count' });
    const button = el(
      'button',
      { class: 'workbin', attrs: { type: 'button' } },
      name,
      fresh,
      count,
    );
    button.addEventListener('click', () => this.onSelect(key));
    const mute = el('button', { class: 'mute', attrs: { type: 'button' } });
    const li = el('li', key === null ? {} : { class: 'workbin-row' }, button);
    if (key !== null) {
      button.dataset.key = key;
      mute.dataset.key = key;
      mute.addEventListener('click', () => this.onMute(key));
      li.append(mute);
    }
    return { li, button, name, fresh, count, mute, muted: null };
  }
}

/**
 * Why `w` is not the server's current truth, if it is not: its subscription failed or is not
 * allowed, or a step of its last sync failed and it shows its last known contents.
 */
export function workbinProblem(model: Model, w: WorkbinDto): string | null {
  if (w.subscription === 'failed') return STRINGS.list.subscriptionFailed(w.failure ?? '');
  if (w.subscription === 'unavailable') return STRINGS.list.unavailable(w.failure ?? '');
  if (model.status.state !== 'degraded') return null;
  const behind = model.status.problems.find(
    (p) => p.workbinKey === w.key || (p.workbinKey === null && p.ownerUserId === w.ownerUserId),
  );
  return behind ? STRINGS.list.notCurrent(STRINGS.status.problemSteps[behind.step]) : null;
}
