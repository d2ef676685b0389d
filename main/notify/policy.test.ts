import { describe, expect, it } from 'vitest';
import type { WorkbinItem } from '../contract/domain.js';
import { DEFAULT_SETTINGS, type Settings } from '../contract/settings.js';
import { plainLine } from '../contract/text.js';
import { EMPTY_STATE, type WorkbinChange } from '../workbins/state.js';
import { NotificationPolicy } from './policy.js';

function item(id: string, summary = `s-${id}`): WorkbinItem {
  return {
    id,
    kind: 'email',
    workbinId: 'w',
    ownerUserId: 'u',
    summary,
    from: '',
    receivedAt: null,
    receivedRaw: '',
    state: '',
    userData: {},
  };
}

const added = (id: string, key = 'u/email', live = true): WorkbinChange => ({
  type: 'item-added',
  key,
  item: item(id),
  live,
});

function policy(settings: Partial<Settings> = {}) {
  return new NotificationPolicy(
    () => ({ ...DEFAULT_SETTINGS, ...settings }),
    (key) => (key === 'u/email' ? 'Email' : key),
    { coalesceMs: 1_000, lostAfterMs: 60_000 },
  );
}

describe('NotificationPolicy', () => {
  it('announces a live item once the coalescing window closes, and opens it on click', () => {
    const p = policy();
    p.onChanges(EMPTY_STATE, [added('a')], 0);
    expect(p.due(999)).toEqual([]);
    expect(p.nextDueAt()).toBe(1_000);
    expect(p.due(1_000)).toEqual([
      {
        kind: 'items',
        title: 'New item in Email',
        body: 's-a',
        target: { workbinKey: 'u/email', id: 'a' },
      },
    ]);
    expect(p.due(5_000)).toEqual([]);
  });

  it('coalesces a burst: "12 new items in Email"', () => {
    const p = policy();
    for (let i = 0; i < 12; i++) p.onChanges(EMPTY_STATE, [added(`i${i}`)], i * 10);
    expect(p.due(1_000)).toMatchObject([{ title: '12 new items in Email', target: { id: 'i11' } }]);
  });

  it('says "N new items" across workbins', () => {
    const p = policy();
    p.onChanges(EMPTY_STATE, [added('a'), added('b', 'u/chat')], 0);
    expect(p.due(1_000)).toMatchObject([{ title: '2 new items', body: 'In several workbins' }]);
  });

  it('stays quiet for loads, resyncs and items removed within the window', () => {
    const p = policy();
    p.onChanges(EMPTY_STATE, [added('a', 'u/email', false)], 0);
    p.onChanges(
      EMPTY_STATE,
      [added('b'), { type: 'item-removed', key: 'u/email', item: item('b'), live: true }],
      0,
    );
    expect(p.due(2_000)).toEqual([]);
  });

  it('shows the latest content of an item changed before its notification, and no second one', () => {
    const p = policy();
    p.onChanges(EMPTY_STATE, [added('a')], 0);
    p.onChanges(
      EMPTY_STATE,
      [
        {
          type: 'item-updated',
          key: 'u/email',
          item: item('a', 'corrected subject'),
          previous: item('a'),
          live: true,
        },
      ],
      10,
    );
    expect(p.due(1_000)).toMatchObject([{ title: 'New item in Email', body: 'corrected subject' }]);
    expect(p.due(5_000)).toEqual([]);
  });

  it('respects do-not-disturb and muted workbins', () => {
    const paused = policy({ notificationsPaused: true });
    paused.onChanges(EMPTY_STATE, [added('a')], 0);
    expect(paused.due(1_000)).toEqual([]);
    expect(paused.due(2_000)).toEqual([]);
    const muted = policy({ mutedWorkbins: ['u/email'] });
    muted.onChanges(EMPTY_STATE, [added('a'), added('b', 'u/chat')], 0);
    expect(muted.due(1_000)).toMatchObject([{ title: 'New item in u/chat' }]);
  });

  it('takes bidi and control tricks out of every notification, and keeps it short', () => {
    const p = new NotificationPolicy(
      () => DEFAULT_SETTINGS,
      () => 'Inbox \u202Eevil',
      { coalesceMs: 1_000, lostAfterMs: 60_000 },
    );
    const spoof: WorkbinChange = {
      type: 'item-added',
      key: 'u/email',
      item: item('a', `Invoice for you \u202Efdp.exe\u0007${'x'.repeat(500)}`),
      live: true,
    };
    p.onChanges(EMPTY_STATE, [spoof], 0);
    const [notice] = p.due(1_000);
    expect(notice?.title).toBe('New item in Inbox evil');
    expect(notice?.body.startsWith('Invoice for you fdp.exe')).toBe(true);
    expect(notice?.body.length).toBeLessThanOrEqual(200);
    expect(notice?.body).toBe(plainLine(notice?.body ?? '', 200));
    expect(notice?.body).not.toContain('\u202E');
    expect(notice?.body).not.toContain('\u0007');
  });

  it('reports a failed subscription once until it recovers', () => {
    const p = policy();
    const failed: WorkbinChange = {
      type: 'subscription-failed',
      key: 'u/email',
      reason: 'Call +1 555 0100 to restore service',
    };
    p.onChanges(EMPTY_STATE, [failed], 0);
    p.onChanges(EMPTY_STATE, [failed], 1);
    expect(p.due(1)).toEqual([
      {
        kind: 'subscription-failed',
        title: 'Not receiving updates for Email',
        // The server's text is not repeated in a place the agent trusts.
        body: 'GWS refused to send updates for this workbin. Open Workbin Tray for details.',
        target: null,
      },
    ]);
    const subscribed = {
      workbins: new Map([['u/email', { subscription: 'subscribed' }]]),
    } as unknown as typeof EMPTY_STATE;
    p.onChanges(subscribed, [{ type: 'workbin-updated', key: 'u/email' }], 2);
    p.onChanges(EMPTY_STATE, [failed], 3);
    expect(p.due(3)).toHaveLength(1);
  });

  it('tells about a long outage once, and once when it is over', () => {
    const p = policy();
    const lost = {
      state: 'reconnecting',
      since: 0,
      attempt: 1,
      nextRetryAt: 1_000,
      reason: 'x',
    } as const;
    p.onStatus(lost, 0);
    p.onStatus({ ...lost, attempt: 5 }, 30_000);
    expect(p.due(59_999)).toEqual([]);
    expect(p.nextDueAt()).toBe(60_000);
    expect(p.due(60_000)).toMatchObject([
      { kind: 'lost', body: 'No connection for 1 min. Showing saved contents.' },
    ]);
    expect(p.due(120_000)).toEqual([]);
    p.onStatus({ state: 'online', since: 130_000, syncing: false }, 130_000);
    expect(p.due(130_000)).toMatchObject([{ kind: 'recovered' }]);
    p.onStatus({ ...lost, since: 140_000 }, 140_000);
    p.onStatus({ state: 'online', since: 150_000, syncing: false }, 150_000);
    expect(p.due(200_000)).toEqual([]);
  });
});
