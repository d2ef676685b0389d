import type { WorkbinItem } from '../contract/domain.js';
import type { Notice } from '../contract/notice.js';

export type { Notice };

import type { Settings } from '../contract/settings.js';
import type { ConnectionStatus } from '../contract/status.js';
import { STRINGS } from '../contract/strings.js';
import { plainLine } from '../contract/text.js';
import type { WorkbinChange, WorkbinState } from '../workbins/state.js';

export interface PolicyOptions {
  /** New items within this window after the first become one notification. */
  readonly coalesceMs?: number;
  /** A connection lost for this long is worth telling the user about. */
  readonly lostAfterMs?: number;
}

/** Limits for a notification: long enough to read, short enough for every desktop. */
const TITLE_MAX = 100;
const BODY_MAX = 200;

/** Server text (subjects, senders, workbin names) with no bidi or control tricks left. */
function clean(notice: Notice): Notice {
  return {
    ...notice,
    title: plainLine(notice.title, TITLE_MAX),
    body: plainLine(notice.body, BODY_MAX),
  };
}

/**
 * Decides which core events become desktop notifications. Pure bookkeeping over explicit
 * times: the caller feeds changes and status, and asks what is due.
 */
export class NotificationPolicy {
  private readonly coalesceMs: number;
  private readonly lostAfterMs: number;
  private burst: { startedAt: number; items: Array<{ key: string; item: WorkbinItem }> } | null =
    null;
  private readonly immediate: Notice[] = [];
  private readonly failedNotified = new Set<string>();
  private lostSince: number | null = null;
  private lostNotified = false;

  constructor(
    private readonly settings: () => Settings,
    private readonly workbinName: (workbinKey: string) => string,
    options: PolicyOptions = {},
  ) {
    this.coalesceMs = options.coalesceMs ?? 1_500;
    this.lostAfterMs = options.lostAfterMs ?? 60_000;
  }

  onChanges(state: WorkbinState, changes: readonly WorkbinChange[], now: number): void {
    const muted = new Set(this.settings().mutedWorkbins);
    for (const change of changes) {
      switch (change.type) {
        case 'item-added':
          // Initial loads, resyncs and replays are not news.
          if (!change.live) break;
          if (muted.has(change.key)) break;
          this.burst ??= { startedAt: now, items: [] };
          this.burst.items.push({ key: change.key, item: change.item });
          break;
        case 'item-updated':
          // Not news in itself; a notification still waiting shows the latest content.
          if (this.burst) {
            this.burst.items = this.burst.items.map((e) =>
              e.key === change.key && e.item.id === change.item.id
                ? { key: e.key, item: change.item }
                : e,
            );
          }
          break;
        case 'item-removed':
          // Gone before we said anything: say nothing.
          if (this.burst) {
            this.burst.items = this.burst.items.filter(
              (e) => !(e.key === change.key && e.item.id === change.item.id),
            );
          }
          break;
        case 'subscription-failed':
          if (!this.failedNotified.has(change.key)) {
            this.failedNotified.add(change.key);
            // The server's reason stays out of the notification (it is in the details and the
            // log): a notification is a place the agent trusts.
            const n = STRINGS.notify.subscriptionFailed(this.workbinName(change.key));
            this.immediate.push({ kind: 'subscription-failed', ...n, target: null });
          }
          break;
        case 'workbin-updated':
          if (state.workbins.get(change.key)?.subscription === 'subscribed')
            this.failedNotified.delete(change.key);
          break;
        case 'workbin-removed':
          this.failedNotified.delete(change.key);
          break;
      }
    }
  }

  onStatus(status: ConnectionStatus, now: number): void {
    if (status.state === 'reconnecting' || status.state === 'offline') {
      this.lostSince ??= Math.min(status.since, now);
      return;
    }
    if (status.state === 'online' && this.lostNotified) {
      this.immediate.push({ kind: 'recovered', ...STRINGS.notify.recovered, target: null });
    }
    this.lostSince = null;
    this.lostNotified = false;
  }

  /** When `due` should next be asked, or null if nothing is waiting. */
  nextDueAt(): number | null {
    const times: number[] = [];
    if (this.immediate.length > 0) times.push(0);
    if (this.burst) times.push(this.burst.startedAt + this.coalesceMs);
    if (this.lostSince !== null && !this.lostNotified)
      times.push(this.lostSince + this.lostAfterMs);
    return times.length > 0 ? Math.min(...times) : null;
  }

  /** The notifications to show now. While paused, they are dropped, not saved for later. */
  due(now: number): Notice[] {
    const notices = this.immediate.splice(0);
    if (this.burst && now - this.burst.startedAt >= this.coalesceMs) {
      const notice = this.burstNotice(this.burst.items);
      this.burst = null;
      if (notice) notices.push(notice);
    }
    if (this.lostSince !== null && !this.lostNotified && now - this.lostSince >= this.lostAfterMs) {
      this.lostNotified = true;
      notices.push({
        kind: 'lost',
        ...STRINGS.notify.lost(Math.round((now - this.lostSince) / 60_000)),
        target: null,
      });
    }
    return this.settings().notificationsPaused ? [] : notices.map(clean);
  }

  private burstNotice(items: Array<{ key: string; item: WorkbinItem }>): Notice | null {
    const last = items[items.length - 1];
    if (!last) return null;
    const target = { workbinKey: last.key, id: last.item.id };
    const keys = new Set(items.map((e) => e.key));
    if (keys.size > 1)
      return { kind: 'items', ...STRINGS.notify.addedAcross(items.length), target };
    const name = this.workbinName(last.key);
    const text =
      items.length === 1
        ? STRINGS.notify.added(last.item.summary || STRINGS.kinds[last.item.kind], name)
        : STRINGS.notify.addedMany(items.length, name);
    return { kind: 'items', ...text, target };
  }
}
