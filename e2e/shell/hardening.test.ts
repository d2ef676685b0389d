/**
 * Electron's security checklist, checked on the running shell: what the window is allowed,
 * what the page is served with, and the one IPC gate.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { GwsSimulator } from '../../sim/simulator.js';
import type { DoubleAction } from '../electron-double/journal.js';
import type { ShellProcess } from '../electron-double/launch.js';
import {
  APP_URL,
  fromPage,
  IPC_COMMAND,
  launchApp,
  newHome,
  online,
  quitAll,
  sentToPage,
  startShellSimulator,
} from './fixtures.js';

let sim: GwsSimulator;
let app: ShellProcess;

beforeAll(async () => {
  sim = await startShellSimulator();
  app = launchApp(newHome(), { server: sim.url });
  await online(app);
});
afterAll(async () => {
  await quitAll();
  await sim.stop();
});

describe('the window and the page', () => {
  it('is sandboxed and isolated, with no Node, and our preload only', () => {
    const created = app.calls('BrowserWindow.new');
    expect(created).toHaveLength(1);
    const options = created[0]?.detail as {
      show: boolean;
      webPreferences: Record<string, unknown>;
    };
    expect(options.show).toBe(false);
    expect(options.webPreferences).toEqual({
      preload: expect.stringMatching(/dist\/electron\/preload\.cjs$/),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      spellcheck: false,
      // A development build: `npm start`. The packaged app has none (packaging.test.ts).
      devTools: true,
    });
  });

  it('registers app:// as a secure standard scheme before ready, and serves it after', () => {
    const seq = (api: string) => app.last(api)?.seq ?? Number.NaN;
    expect(seq('protocol.registerSchemesAsPrivileged')).toBeLessThan(seq('app.ready'));
    expect(seq('protocol.handle')).toBeGreaterThan(seq('app.ready'));
    expect(app.last('protocol.handle')?.detail).toEqual({
      scheme: 'app',
      privileges: { standard: true, secure: true },
    });
    expect(app.last('BrowserWindow.loadURL')?.detail).toEqual({ url: APP_URL });
  });

  it('serves the page with the strict CSP as a header, and nothing outside dist/renderer', async () => {
    const page = (await app.act({ type: 'fetch', url: APP_URL })) as {
      status: number;
      headers: Record<string, string>;
      body: string;
    };
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.body).toContain('<html');
    for (const url of [
      'app://workbin-tray/../../package.json',
      'app://workbin-tray/%2e%2e/%2e%2e/package.json',
      'app://workbin-tray/nothing-here.js',
    ]) {
      const answer = (await app.act({ type: 'fetch', url })) as { status: number };
      expect(answer.status, url).toBe(404);
    }
  });

  it('grants no permission, opens no window, navigates nowhere else', async () => {
    for (const permission of ['notifications', 'media', 'geolocation', 'clipboard-read'])
      expect(await app.act({ type: 'permission', permission }), permission).toBe('denied');
    expect(await app.act({ type: 'window-open', url: 'https://example.com/' })).toBe('deny');
    expect(await app.act({ type: 'navigate', url: 'https://example.com/' })).toBe(false);
    expect(await app.act({ type: 'navigate', url: 'file:///etc/passwd' })).toBe(false);
    expect(await app.act({ type: 'navigate', url: APP_URL })).toBe(true);
  });
});

describe('the IPC gate', () => {
  const hello = (from: Pick<Extract<DoubleAction, { type: 'ipc' }>, 'sender' | 'frame' | 'url'>) =>
    app.act({ type: 'ipc', channel: IPC_COMMAND, payload: { type: 'hello' }, ...from });
  const snapshots = () => sentToPage(app).filter((e) => e.type === 'snapshot').length;

  it('answers our own page’s main frame', async () => {
    const before = snapshots();
    await hello({ sender: 'window', frame: 'main', url: APP_URL });
    await app.until('a snapshot for the page', () => snapshots() === before + 1);
  });

  it('drops another webContents, a sub-frame and another origin, and says so', async () => {
    const before = snapshots();
    const warnings = () => app.output.split('Ignored IPC from an untrusted sender').length - 1;
    const warned = warnings();
    await hello({ sender: 'foreign', frame: 'main', url: APP_URL });
    await hello({ sender: 'window', frame: 'sub', url: APP_URL });
    await hello({ sender: 'window', frame: 'main', url: 'https://evil.example/' });
    await app.until('three warnings', () => warnings() === warned + 3);
    // The window's own main frame still works afterwards, and nothing else got an answer.
    await hello({ sender: 'window', frame: 'main', url: APP_URL });
    await app.until('one more snapshot', () => snapshots() === before + 1);
    expect(app.calls('webContents.send').every((e) => (e.detail as { id: number }).id === 2)).toBe(
      true,
    );
  });

  it('drops what is not a command, without harm', async () => {
    for (const payload of [null, 'hello', { type: 'format-disk' }, { type: 'seen', keys: 'all' }])
      await fromPage(app, payload);
    await app.until(
      'four refusals',
      () => app.output.split('Ignored an invalid IPC command').length - 1 === 4,
    );
    await online(app);
  });
});

describe('start-up', () => {
  afterEach(quitAll);

  it('a failure while starting is said and exits non-zero, instead of a half-started tray', async () => {
    const broken = launchApp(newHome(), { server: sim.url, env: { WBT_DOUBLE_FAIL: 'Tray.new' } });
    expect(await broken.exited).toBe(1);
    expect(broken.output).toMatch(/Workbin Tray could not start: Error: Tray\.new failed/);
  });

  it('takes the same bounds as watch and web, and refuses a bad one clearly', async () => {
    const bounded = launchApp(newHome(), {
      server: sim.url,
      args: ['--max-items-per-workbin', '2'],
    });
    const socialInbox = () =>
      sentToPage(bounded)
        .flatMap((e) => (e.workbins ?? []) as Array<{ key: string; dropped: number }>)
        .filter((w) => w.key === 'u-agent1/social-inbox')
        .at(-1);
    await bounded.until('the social inbox bounded', () => socialInbox()?.dropped === 1);
    const bad = launchApp(newHome(), { server: sim.url, args: ['--max-held-mb', 'lots'] });
    expect(await bad.exited).toBe(2);
    expect(bad.output).toContain('--max-held-mb: "lots" is not a whole number from 1 to 65536');
  });
});
