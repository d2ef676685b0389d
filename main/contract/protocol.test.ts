import { describe, expect, it } from 'vitest';
import { parseCommand, parseCoreEvent } from './protocol.js';

describe('bridge protocol', () => {
  it('accepts well-formed commands and nothing else', () => {
    expect(parseCommand({ type: 'reconnect', extra: 1 })).toEqual({ type: 'reconnect' });
    expect(parseCommand({ type: 'sign-in', server: 'http://x', user: 'u', password: 'p' })).toEqual(
      {
        type: 'sign-in',
        server: 'http://x',
        user: 'u',
        password: 'p',
      },
    );
    for (const bad of [
      null,
      'reconnect',
      { type: 'eval', code: '1' },
      { type: 'sign-in', server: 'x', user: 'u' },
      { type: 'sign-in', server: 'x'.repeat(5_000), user: 'u', password: 'p' },
      { type: 'open-item', workbinKey: 1, id: 'a' },
      { type: 'settings', settings: { notificationsPaused: 'yes' } },
      { type: 'settings', settings: { mutedWorkbins: [1] } },
    ]) {
      expect(parseCommand(bad)).toBeNull();
    }
  });

  it('accepts a seen mark for some items or all, and nothing else', () => {
    expect(parseCommand({ type: 'seen' })).toEqual({ type: 'seen' });
    expect(parseCommand({ type: 'seen', keys: ['u/w\u0000a'] })).toEqual({
      type: 'seen',
      keys: ['u/w\u0000a'],
    });
    expect(parseCommand({ type: 'seen', keys: 'all' })).toBeNull();
    expect(parseCommand({ type: 'seen', keys: [1] })).toBeNull();
  });

  it('accepts partial settings', () => {
    expect(
      parseCommand({ type: 'settings', settings: { mutedWorkbins: ['u/w'], other: 1 } }),
    ).toEqual({
      type: 'settings',
      settings: { mutedWorkbins: ['u/w'] },
    });
  });

  it('checks core event envelopes', () => {
    expect(
      parseCoreEvent({ type: 'status', status: { state: 'online', since: 1, syncing: false } }),
    ).not.toBeNull();
    expect(parseCoreEvent({ type: 'delta', upserted: [], removed: [], workbins: [] })).toBeNull();
    expect(parseCoreEvent({ type: 'nope' })).toBeNull();
    const diagnostics = { problems: 1, rejected: 0, recent: [], logFile: null };
    expect(parseCoreEvent({ type: 'diagnostics', diagnostics })).toEqual({
      type: 'diagnostics',
      diagnostics,
    });
    expect(parseCoreEvent({ type: 'diagnostics', diagnostics: 3 })).toBeNull();
  });
});
