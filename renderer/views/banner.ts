import { STRINGS } from '../../main/contract/strings.js';
import { el } from '../dom.js';
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

  constructor(onRetry: () => void) {
    this.retry.addEventListener('click', onRetry);
    this.root.append(this.text, this.retry);
  }

  render(model: Model, now: number): void {
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
      case 'reconnecting':
        text = STRINGS.status.reconnecting(
          status.nextRetryAt === null
            ? null
            : Math.max(0, Math.ceil((status.nextRetryAt - now) / 1000)),
        );
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
        text = STRINGS.status.signedOut(status.reason);
        break;
      case 'stopped':
        text = STRINGS.status.stopped;
        break;
    }
    if (model.stale && model.cachedAt !== null && status.state !== 'offline') {
      text = `${text}. ${STRINGS.status.stale(relativeTime(model.cachedAt, now))}`;
    }
    this.root.dataset.state = status.state;
    this.root.dataset.stale = String(model.stale);
    if (this.text.textContent !== text) this.text.textContent = text;
    this.retry.hidden = !retry;
  }
}

function latestSync(model: Model): number | null {
  let latest: number | null = null;
  for (const w of model.workbins.values()) {
    if (w.syncedAt !== null && (latest === null || w.syncedAt > latest)) latest = w.syncedAt;
  }
  return latest;
}
