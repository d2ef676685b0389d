import { STRINGS } from '../../main/contract/strings.js';
import { bellIcon, clear, el } from '../dom.js';
import type { Model } from '../model.js';

/** Workbins grouped by owner, with counts; choosing one filters the list. */
export class Sidebar {
  readonly root = el('nav', { class: 'sidebar', attrs: { 'aria-label': 'Workbins' } });

  constructor(
    private readonly onSelect: (workbinKey: string | null) => void,
    private readonly onMute: (workbinKey: string) => void,
  ) {}

  render(model: Model): void {
    clear(this.root);
    const all = this.button(
      STRINGS.list.allItems,
      model.items.size,
      model.filterWorkbin === null,
      null,
    );
    this.root.append(el('ul', { class: 'workbins' }, el('li', {}, all)));
    for (const group of model.groups()) {
      const title = group.title;
      const list = el('ul', { class: 'workbins', attrs: { 'aria-label': title } });
      for (const w of group.workbins) {
        const button = this.button(w.displayName, w.count, model.filterWorkbin === w.key, w.key);
        const fresh = model.unseenIn(w.key);
        if (fresh > 0)
          button.insertBefore(
            el('span', { class: 'workbin-new', text: STRINGS.list.newIn(fresh) }),
            button.lastChild,
          );
        if (w.subscription === 'failed') {
          button.classList.add('failed');
          button.title = STRINGS.list.subscriptionFailed(w.failure ?? '');
        } else if (w.subscription === 'unavailable') {
          button.classList.add('failed');
          button.title = STRINGS.list.unavailable(w.failure ?? '');
        } else if (w.subscription === 'pending') {
          button.title = STRINGS.list.subscriptionPending;
        }
        const muted = model.isMuted(w.key);
        const mute = el('button', {
          class: 'mute',
          attrs: {
            type: 'button',
            'aria-pressed': String(muted),
            'aria-label': STRINGS.list.mute(w.displayName),
            title: muted ? STRINGS.list.muted : STRINGS.list.notifying,
          },
        });
        mute.append(bellIcon(muted));
        mute.addEventListener('click', () => this.onMute(w.key));
        list.append(el('li', { class: 'workbin-row' }, button, mute));
      }
      this.root.append(el('h2', { class: 'owner', text: title }), list);
    }
  }

  private button(
    label: string,
    count: number,
    current: boolean,
    key: string | null,
  ): HTMLButtonElement {
    const button = el(
      'button',
      { class: 'workbin', attrs: { type: 'button', 'aria-pressed': String(current) } },
      el('span', { class: 'workbin-name', text: label }),
      el('span', { class: 'workbin-count', text: String(count) }),
    );
    if (key) button.dataset.key = key;
    button.addEventListener('click', () => this.onSelect(key));
    return button;
  }
}
