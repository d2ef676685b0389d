import type { SyncProblem } from '../../main/contract/status.js';
import { STRINGS } from '../../main/contract/strings.js';
import { el, setText } from '../dom.js';
import { relativeTime } from '../format.js';
import type { Model } from '../model.js';

/** The connection line: what state we are in, what the user sees, and a retry button. */
export class Banner {
  readonly root = el('div', { class: 'banner' });
  private readonly text = el('span', {
    class: 'banner-text',
    attrs: { role: 'status', 'aria-live': 'polite' },
  });
  private readonly retry = el('button', {
    text: STRINGS.status.retryNow,
    attrs: { type: 'button' },
  });
  /** One line per failed workbin, with what failed and its own Retry. */
  private readonly problems = el('ul', { class: 'banner-problems' });
  private problemsShown = '';

  constructor(
    onRetry: () => void,
    private readonly onRetryWorkbin: (workbinKey: string) => void,
  ) {
    this.retry.addEventListener('click', onRetry);
    this.root.append(this.text, this.retry, this.problems);
  }

  /** Rebuilt only when the problems change: the countdown must not steal a button's focus. */
  private renderProblems(model: Model): void {
    // Lost, the app cannot be asked to retry: its last problems are not offered.
    const problems =
      model.link === 'live' && model.status.state === 'degraded' ? model.status.problems : [];
    const lines = problems.map((p) => {
      const name = problemName(model, p);
      return {
        key: p.workbinKey,
        text: `${name}: ${STRINGS.status.problemSteps[p.step]}`,
        name,
        retry: p.step !== 'not-allowed' && p.workbinKey !== null,
      };
    });
    const shown = JSON.stringify(lines);
    if (shown === this.problemsShown) return;
    this.problemsShown = shown;
    this.problems.replaceChildren(
      ...lines.map((line) => {
        const item = el('li', {}, el('span', { text: line.text }));
        if (line.retry && line.key) {
          const key = line.key;
          const button = el('button', {
            text: STRINGS.status.retry,
            attrs: { type: 'button', 'aria-label': STRINGS.status.retryWorkbin(line.name) },
          });
          button.addEventListener('click', () => this.onRetryWorkbin(key));
          item.append(button);
        }
        return item;
      }),
    );
    this.problems.hidden = lines.length === 0;
  }

  render(model: Model, now: number): void {
    const live = model.link === 'live';
    // Until the app is heard from again, its last status would be a guess: say what is known.
    const line = live
      ? connectionLine(model, now)
      : {
          text: model.link === 'loading' ? STRINGS.status.loading : STRINGS.web.appLost,
          retry: false,
        };
    let { text } = line;
    if (live && model.stale && model.cachedAt !== null && model.status.state !== 'offline') {
      text = `${text}. ${STRINGS.status.stale(relativeTime(model.cachedAt, now))}`;
    }
    // For as long as it lasts: the password and customer data cross the network unencrypted.
    if (model.session?.insecure) text = `${STRINGS.status.insecure}. ${text}`;
    this.root.dataset.insecure = String(model.session?.insecure === true);
    this.root.dataset.state = live ? model.status.state : model.link;
    this.renderProblems(model);
    this.root.dataset.stale = String(model.stale);
    setText(this.text, text);
    this.retry.hidden = !line.retry;
  }
}

/** The line for the app's connection to GWS, and whether a retry is offered. */
function connectionLine(model: Model, now: number): { text: string; retry: boolean } {
  const { status } = model;
  let text: string;
  let retry = false;
  switch (status.state) {
    case 'connecting':
      text = STRINGS.status.connecting;
      break;
    case 'online':
      text = status.syncing ? STRINGS.status.syncing : STRINGS.status.online;
      break;
    case 'degraded':
      text = STRINGS.status.degraded(
        problemNames(model, status.problems),
        secondsUntil(status.nextRetryAt, now),
      );
      retry = true;
      break;
    case 'reconnecting':
      text = STRINGS.status.reconnecting(secondsUntil(status.nextRetryAt, now));
      retry = true;
      break;
    case 'offline': {
      const known = model.cachedAt ?? latestSync(model);
      text =
        known === null
          ? STRINGS.status.offlineNever
          : STRINGS.status.offline(relativeTime(known, now));
      retry = true;
      break;
    }
    case 'signed-out':
      // Fixed wording: the server's own message is in the log, not in a line the agent trusts.
      text = STRINGS.status.signedOut;
      break;
    case 'stopped':
      text = STRINGS.status.stopped;
      break;
  }
  return { text, retry };
}

function secondsUntil(at: number | null, now: number): number | null {
  return at === null ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

function problemName(model: Model, problem: SyncProblem): string {
  return problem.workbinKey === null
    ? model.ownerTitleOf(problem.ownerUserId)
    : (model.workbins.get(problem.workbinKey)?.displayName ?? problem.workbinKey);
}

/** The workbins a degraded status is about, each named once. */
function problemNames(model: Model, problems: readonly SyncProblem[]): string {
  return [...new Set(problems.map((p) => problemName(model, p)))].join(', ');
}

function latestSync(model: Model): number | null {
  let latest: number | null = null;
  for (const w of model.workbins.values()) {
    if (w.syncedAt !== null && (latest === null || w.syncedAt > latest)) latest = w.syncedAt;
  }
  return latest;
}
