/**
 * The app's own window, as near as Chromium gets without Electron: the page is served by the
 * shell's `protocol.handle('app')` handler (so its CSP header is what Chromium enforces), the
 * built preload runs before the page with the double's contextBridge and ipcRenderer, and IPC
 * is carried to and from the shell's ipcMain (running under the double) by a Playwright
 * binding. Only a real Electron shows context isolation and the sandbox themselves.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { CHROMIUM, CHROMIUM_ARGS } from '../../playwright.config.js';
import type { GwsSimulator } from '../../sim/simulator.js';
import { ShellProcess } from '../electron-double/launch.js';
import { APP_URL, newHome, ROOT, startShellSimulator } from '../shell/fixtures.js';

test.use({ launchOptions: { executablePath: CHROMIUM, args: CHROMIUM_ARGS } });
test.describe.configure({ mode: 'serial' });

/** Stands in for app://workbin-tray: Chromium cannot navigate to a scheme only Electron knows. */
const ORIGIN = 'http://workbin-tray.test';

/**
 * The built preload, run as Electron runs a sandboxed preload: a `require` that knows only
 * `electron`, here the renderer half of the double, whose IPC goes through two bindings.
 */
function preloadScript(): string {
  const preload = readFileSync(join(ROOT, 'dist/electron/preload.cjs'), 'utf8');
  return `(() => {
    const listeners = new Map();
    const ipcRenderer = {
      send: (channel, payload) => globalThis.__doubleToMain(channel, payload),
      on: (channel, listener) => { listeners.set(listener, channel); return ipcRenderer; },
      removeListener: (channel, listener) => { listeners.delete(listener); return ipcRenderer; },
    };
    const deliver = (channel, payload) => {
      for (const [listener, on] of listeners) if (on === channel) listener({ sender: ipcRenderer }, payload);
    };
    Object.defineProperty(globalThis, '__doubleFromMain', { value: deliver });
    const contextBridge = {
      exposeInMainWorld: (key, api) => Object.defineProperty(globalThis, key, { value: Object.freeze(api) }),
    };
    const require = (name) => {
      if (name === 'electron') return { contextBridge, ipcRenderer };
      throw new Error('module not found: ' + name);
    };
    const module = { exports: {} };
    (function (require, module, exports) {\n${preload}\n})(require, module, module.exports);
  })();`;
}

let sim: GwsSimulator;
let shell: ShellProcess;
let page: Page;

test.beforeAll(async ({ browser }) => {
  sim = await startShellSimulator();
  shell = ShellProcess.launch({
    appDir: ROOT,
    home: newHome(),
    env: { WORKBIN_TRAY_DEMO_SERVER: sim.url },
  });
  await shell.until('the window loaded', () => shell.last('BrowserWindow.loadURL'));
  page = await browser.newPage({ viewport: { width: 1180, height: 760 } });
  page.on('pageerror', (error) => {
    throw error;
  });
  await page.route(`${ORIGIN}/**`, async (route) => {
    const path = new URL(route.request().url()).pathname;
    const answer = (await shell.act({ type: 'fetch', url: `app://workbin-tray${path}` })) as {
      status: number;
      headers: Record<string, string>;
      body: string;
    };
    await route.fulfill({ status: answer.status, headers: answer.headers, body: answer.body });
  });
  // Renderer → main: what Electron's IPC would carry, from the window's own main frame.
  await page.exposeBinding('__doubleToMain', (_source, channel: string, payload: unknown) =>
    shell.act({ type: 'ipc', channel, payload, sender: 'window', frame: 'main', url: APP_URL }),
  );
  await page.addInitScript({ content: preloadScript() });
  // Main → renderer: each webContents.send the shell makes, delivered in order.
  let delivery = Promise.resolve();
  const carry = (channel: string, payload: unknown) => {
    delivery = delivery
      .then(() =>
        page.evaluate(
          ([c, p]) =>
            (
              globalThis as { __doubleFromMain?: (c: unknown, p: unknown) => void }
            ).__doubleFromMain?.(c, p),
          [channel, payload] as const,
        ),
      )
      .catch(() => {});
  };
  for (const entry of shell.calls('webContents.send')) {
    const { channel, args } = entry.detail as { channel: string; args: unknown[] };
    carry(channel, args[0]);
  }
  shell.onEntry((entry) => {
    if (entry.api !== 'webContents.send') return;
    const { channel, args } = entry.detail as { channel: string; args: unknown[] };
    carry(channel, args[0]);
  });
  await page.goto(`${ORIGIN}/index.html`);
});

test.afterAll(async () => {
  await page?.close();
  await shell?.quit();
  await sim?.stop();
});

test('the page shows the list online, with no Node and a two-function bridge', async () => {
  await expect(page.getByRole('status').first()).toHaveText(/^Online$/, { timeout: 20_000 });
  await expect(page.getByText('8 items')).toBeVisible();
  expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe(
    'undefined',
  );
  expect(await page.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe(
    'undefined',
  );
  expect(
    await page.evaluate(() => Object.keys((globalThis as { workbins?: object }).workbins ?? {})),
  ).toEqual(['send', 'onEvent']);
  await page.screenshot({ path: 'test-results/screenshots/app-window.png' });
});

test('the CSP header blocks inline script', async () => {
  const outcome = await page.evaluate(
    () =>
      new Promise<{ ran: boolean; violated: string | null }>((resolve) => {
        let violated: string | null = null;
        document.addEventListener('securitypolicyviolation', (e) => {
          violated = e.violatedDirective;
        });
        const script = document.createElement('script');
        script.textContent = '(globalThis).__inlineRan = true;';
        document.head.append(script);
        setTimeout(
          () =>
            resolve({
              ran: (globalThis as { __inlineRan?: boolean }).__inlineRan === true,
              violated,
            }),
          200,
        );
      }),
  );
  expect(outcome).toEqual({ ran: false, violated: 'script-src-elem' });
});

test('an added item shows its row and one notification; clicking it opens the item', async () => {
  await expect.poll(() => sim.watchedWorkbins('u-agent1').length).toBe(4);
  const item = sim.addItem({
    kind: 'email',
    workbinId: 'workitems',
    ownerUserId: 'u-agent1',
    subject: 'Invoice dispute 7781',
  });
  await page.getByRole('button', { name: /^Work items/ }).click();
  await expect(page.getByRole('option', { name: /Invoice dispute 7781/ })).toBeVisible();
  await expect.poll(() => shell.calls('Notification.show').length, { timeout: 10_000 }).toBe(1);
  expect(shell.last('Notification.show')?.detail).toMatchObject({
    title: 'New item in Work items',
  });

  await shell.act({ type: 'click-notification', index: 0 });
  await expect(page.getByRole('heading', { name: 'Invoice dispute 7781' })).toBeVisible();
  expect(
    shell.calls('webContents.send').some((e) => JSON.stringify(e.detail).includes(item.id)),
  ).toBe(true);
  await page.waitForTimeout(2_000);
  expect(shell.calls('Notification.show')).toHaveLength(1);
});

test('the header’s Pause reaches the tray menu', async () => {
  const paused = () => {
    const menu = shell.last('Tray.setContextMenu')?.detail as {
      items: Array<{ label: string; checked: boolean }>;
    };
    return menu.items.find((i) => i.label === 'Pause notifications')?.checked;
  };
  expect(paused()).toBe(false);
  await page.getByRole('button', { name: 'Pause notifications' }).click();
  await expect.poll(paused).toBe(true);
  await expect(page.getByRole('button', { name: 'Pause notifications' })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
});
