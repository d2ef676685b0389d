import type { WorkbinItem } from '../../main/contract/domain.js';
import type { WorkbinDto } from '../../main/contract/protocol.js';
import { STRINGS } from '../../main/contract/strings.js';
import { revealInvisible } from '../../main/contract/text.js';
import { clear, el } from '../dom.js';
import { exactTime, relativeTime } from '../format.js';

/**
 * Every field of the selected item, userData included, as plain text. On a narrow window it
 * is a full-height panel with a Back control (outside the part that is redrawn, so it keeps
 * focus).
 */
export class Details {
  readonly root = el('aside', { class: 'details', attrs: { 'aria-label': STRINGS.details.title } });
  private readonly back = el('button', {
    class: 'back',
    text: STRINGS.details.back,
    attrs: { type: 'button' },
  });
  private readonly content = el('div', { class: 'details-content' });
  /** What the content shows now: it is built again only when that changes. */
  private shown: readonly unknown[] = [];

  constructor(onBack: () => void) {
    this.back.addEventListener('click', onBack);
    this.root.append(this.back, this.content);
  }

  focusBack(): void {
    this.back.focus();
  }

  render(
    item: WorkbinItem | undefined,
    workbin: WorkbinDto | undefined,
    whose: string | null,
    now: number,
  ): void {
    const received =
      item === undefined
        ? ''
        : item.receivedAt === null
          ? `${STRINGS.details.unknownDate} (${item.receivedRaw})`
          : `${exactTime(item.receivedAt)} (${relativeTime(item.receivedAt, now)})`;
    const shows = [item, workbin?.displayName, whose, received];
    if (shows.length === this.shown.length && shows.every((part, i) => part === this.shown[i]))
      return;
    this.shown = shows;
    clear(this.content);
    if (!item) {
      this.content.append(el('p', { class: 'muted', text: STRINGS.details.none }));
      return;
    }
    const facts = el('dl', { class: 'facts' });
    const rows: Array<[string, string]> = [
      [STRINGS.details.kind, STRINGS.kinds[item.kind]],
      [STRINGS.details.from, item.from],
      [STRINGS.details.received, received],
      [STRINGS.details.workbin, workbin?.displayName ?? item.workbinId],
      [STRINGS.details.owner, whose ?? STRINGS.details.mine],
      [STRINGS.details.state, item.state],
      [STRINGS.details.id, item.id],
    ];
    // Server text, isolated and with its hidden characters shown: here the agent inspects it.
    const shown = (text: string) => ({
      class: 'server-text',
      text: revealInvisible(text),
      attrs: { dir: 'auto' },
    });
    for (const [label, value] of rows)
      facts.append(el('dt', { text: label }), el('dd', shown(value)));
    const entries = Object.entries(item.userData);
    const data = el('table', { class: 'userdata' });
    for (const [key, value] of entries) {
      data.append(
        el(
          'tr',
          {},
          el('th', { ...shown(key), attrs: { scope: 'row', dir: 'auto' } }),
          el('td', shown(String(value))),
        ),
      );
    }
    this.content.append(
      el('h2', {
        ...shown(item.summary || STRINGS.kinds[item.kind]),
        class: 'details-title server-text',
      }),
      facts,
      el('h3', { text: STRINGS.details.userData }),
      entries.length > 0 ? data : el('p', { class: 'muted', text: STRINGS.details.noUserData }),
    );
  }
}
