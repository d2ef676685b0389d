import { STRINGS } from '../../main/contract/strings.js';
import { clear, el, setText } from '../dom.js';
import { exactTime, relativeTime } from '../format.js';
import type { Model } from '../model.js';

/**
 * What went wrong, for the agent and for support: how many problems and rejected messages,
 * the latest reasons with their times, and where the durable log is. Opened from the header;
 * re-rendered only when the report changes, so reading it is never interrupted.
 */
export class DiagnosticsPanel {
  readonly toggle = el('button', {
    attrs: { type: 'button', 'aria-expanded': 'false', 'aria-controls': 'diagnostics' },
  });
  readonly root = el('section', {
    class: 'diagnostics',
    attrs: { id: 'diagnostics', 'aria-labelledby': 'diagnostics-title', tabindex: '-1' },
  });
  private readonly body = el('div');
  private shown: Model['diagnostics'] | null = null;
  private shownAt = 0;

  constructor(private readonly onOpen: () => void) {
    const close = el('button', { text: STRINGS.diagnostics.close, attrs: { type: 'button' } });
    this.root.append(
      el('h2', { text: STRINGS.diagnostics.title, attrs: { id: 'diagnostics-title' } }),
      this.body,
      close,
    );
    this.root.hidden = true;
    this.toggle.addEventListener('click', () => this.open(this.root.hidden));
    close.addEventListener('click', () => this.open(false));
    this.root.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') this.open(false);
    });
  }

  render(model: Model, now: number): void {
    const report = model.diagnostics;
    const total = report.problems + report.rejected;
    const label = STRINGS.diagnostics.button(total);
    setText(this.toggle, label);
    // Relative times move on once a minute; the content is rebuilt only then or on news.
    if (this.root.hidden || (report === this.shown && now - this.shownAt < 60_000)) return;
    this.shown = report;
    this.shownAt = now;
    clear(this.body);
    const counts = el('dl', { class: 'facts' });
    counts.append(
      el('dt', { text: STRINGS.diagnostics.problems }),
      el('dd', { text: String(report.problems) }),
      el('dt', { text: STRINGS.diagnostics.rejected }),
      el('dd', { text: String(report.rejected) }),
      el('dt', { text: STRINGS.diagnostics.logFile }),
      el('dd', { text: report.logFile ?? STRINGS.diagnostics.noLogFile }),
    );
    this.body.append(counts);
    if (report.recent.length === 0) {
      this.body.append(el('p', { class: 'muted', text: STRINGS.diagnostics.none }));
      return;
    }
    const list = el('ol', { class: 'diagnostics-list', attrs: { reversed: '' } });
    for (const entry of [...report.recent].reverse()) {
      const time = el('time', { text: relativeTime(entry.at, now) });
      time.dateTime = new Date(entry.at).toISOString();
      time.title = exactTime(entry.at);
      list.append(
        el(
          'li',
          {},
          time,
          el('span', { class: 'diagnostics-kind', text: STRINGS.diagnostics.kinds[entry.kind] }),
          el('span', { class: 'server-text', text: entry.text, attrs: { dir: 'auto' } }),
        ),
      );
    }
    this.body.append(list);
  }

  private open(open: boolean): void {
    this.root.hidden = !open;
    this.shown = null;
    this.toggle.setAttribute('aria-expanded', String(open));
    if (open) {
      this.onOpen();
      this.root.focus();
    } else this.toggle.focus();
  }
}
