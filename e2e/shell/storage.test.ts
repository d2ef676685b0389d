/**
 * What the shell keeps on disk and across processes: the cache, the password (only ever
 * encrypted by the OS), one instance per user, and a start from the cache with no server.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  fromPage,
  launchApp,
  newHome,
  online,
  sentToPage,
  startShellSimulator,
  TOOLTIP,
  tooltip,
  userDataOf,
  useShellSimulator,
} from './fixtures.js';

const sim = useShellSimulator();

function settingsFile(home: string): { text: string; json: Record<string, unknown>; mode: number } {
  const path = join(userDataOf(home), 'workbin-tray.json');
  const text = readFileSync(path, 'utf8');
  return {
    text,
    json: JSON.parse(text) as Record<string, unknown>,
    mode: statSync(path).mode & 0o777,
  };
}

describe('the cache and the password', () => {
  it('writes the cache owner-only and the password only encrypted', async () => {
    const home = newHome();
    const app = launchApp(home, { server: sim().url });
    await online(app);
    expect(await app.quit()).toBe(0);

    const settings = settingsFile(home);
    expect(settings.mode).toBe(0o600);
    const saved = settings.json.credentials as {
      server: string;
      user: string;
      encryptedPassword: string;
    };
    expect(saved).toMatchObject({ server: `${sim().url}/`, user: 'agent1' });
    // What the OS store encrypted (the double's marker), never the password itself.
    expect(Buffer.from(saved.encryptedPassword, 'base64').subarray(0, 3).toString()).toBe('v11');
    expect(settings.text).not.toContain('"demo"');
    expect(settings.text).not.toContain(Buffer.from('demo').toString('base64'));
    expect(app.calls('safeStorage.encryptString')).toHaveLength(1);

    const state = join(userDataOf(home), 'workbin-tray-state.json');
    expect(statSync(state).mode & 0o777).toBe(0o600);
    expect(readFileSync(state, 'utf8')).toContain('Re: Delivery date');
  });

  for (const backend of ['basic_text', 'unavailable']) {
    it(`stores no password when the OS store is ${backend}`, async () => {
      const home = newHome();
      const app = launchApp(home, { server: sim().url, env: { WBT_DOUBLE_SAFE_STORAGE: backend } });
      await online(app);
      expect(await app.quit()).toBe(0);
      expect(settingsFile(home).json.credentials).toBeUndefined();
      expect(app.calls('safeStorage.encryptString')).toEqual([]);
    });
  }

  it('starts from the cache with the server down, then signs in with the saved password when it is back', async () => {
    const server = await startShellSimulator();
    const home = newHome();
    const first = launchApp(home, { server: server.url });
    await online(first);
    expect(await first.quit()).toBe(0);
    const back = server.restart(4_000);

    // No demo server now: only what was saved.
    const app = launchApp(home);
    await app.until('a tray that does not say online', () =>
      [TOOLTIP('Connecting…'), TOOLTIP('Offline')].includes(tooltip(app) ?? ''),
    );
    // The window's page asks for its list as it loads (the double runs no page): the sign-in
    // to the cached account sends none of its own, as it changes nothing the page shows.
    const start = sentToPage(app).length;
    await fromPage(app, { type: 'hello' });
    const cached = await app.until('the cached list', () =>
      sentToPage(app)
        .slice(start)
        .find((e) => e.type === 'snapshot' && JSON.stringify(e).includes('Re: Delivery date')),
    );
    expect(cached).toMatchObject({ stale: true });
    await back;
    await online(app);
    expect(app.calls('safeStorage.decryptString')).toHaveLength(1);
    await server.stop();
  });
});

describe('one instance', () => {
  it('a second launch exits and the first shows its window', async () => {
    const home = newHome();
    const first = launchApp(home, { server: sim().url, args: ['--hidden'] });
    await online(first);
    // Started hidden (at login): no window until asked.
    expect(first.calls('BrowserWindow.show')).toEqual([]);

    const second = launchApp(home, { server: sim().url });
    expect(await second.exited).toBe(0);
    expect(second.calls('BrowserWindow.new')).toEqual([]);
    await first.until('second-instance', () => first.last('app.second-instance'));
    await first.until('the window shown', () => first.last('BrowserWindow.show'));
  });

  it('start at login from the tray menu registers a hidden start', async () => {
    const home = newHome();
    const app = launchApp(home, { server: sim().url });
    await online(app);
    expect(await app.act({ type: 'click-menu', label: 'Start at login' })).toBe(true);
    expect(app.last('app.setLoginItemSettings')?.detail).toEqual({
      openAtLogin: true,
      args: ['--hidden'],
    });
    await app.act({ type: 'click-menu', label: 'Open in a window' });
    await fromPage(app, { type: 'hello' });
    expect(await app.quit()).toBe(0);
    expect(settingsFile(home).json).toMatchObject({ settings: { startAtLogin: true } });
  });
});
