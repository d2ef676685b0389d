import { describe, expect, it } from 'vitest';
import { trayStateOf, trayTooltip } from './tray-state.js';

describe('trayStateOf', () => {
  const ok = [{ subscription: 'subscribed' as const }];
  it('maps connection states', () => {
    expect(trayStateOf({ state: 'online', since: 0, syncing: false }, ok)).toBe('online');
    expect(trayStateOf({ state: 'connecting', since: 0 }, ok)).toBe('reconnecting');
    const lost = { since: 0, attempt: 1, nextRetryAt: null, reason: '' };
    expect(trayStateOf({ state: 'reconnecting', ...lost }, ok)).toBe('reconnecting');
    expect(trayStateOf({ state: 'offline', ...lost }, ok)).toBe('offline');
    expect(trayStateOf({ state: 'stopped', since: 0 }, ok)).toBe('offline');
  });

  it('shows an error for signed-out, a failed subscription or a partial sync', () => {
    expect(trayStateOf({ state: 'signed-out', since: 0, reason: 'x' }, ok)).toBe('error');
    const problem = { ownerUserId: 'u', workbinKey: 'u/w', step: 'load' as const, reason: 'x' };
    expect(
      trayStateOf(
        { state: 'degraded', since: 0, syncing: false, problems: [problem], nextRetryAt: null },
        ok,
      ),
    ).toBe('error');
    expect(
      trayStateOf({ state: 'online', since: 0, syncing: false }, [
        ...ok,
        { subscription: 'failed' },
      ]),
    ).toBe('error');
  });

  it('puts the unseen count in the tooltip', () => {
    expect(trayTooltip('online', 0)).toBe('Workbin Tray: Online');
    expect(trayTooltip('online', 3)).toBe('Workbin Tray: Online, 3 new');
  });
});
