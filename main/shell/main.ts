/**
 * The Electron shell: wires the plain-Node core (CoreBridge), the offline cache and the
 * notification policy to Electron's window, tray, IPC, notifications and power events.
 * Logic lives in the modules it imports; this file only connects them.
 */

import { join } from 'node:path';
import {
  app,
  type BrowserWindow,
  ipcMain,
  Notification,
  net,
  powerMonitor,
  session,
} from 'electron';
import Store from 'electron-store';
import { installBackstops } from '../bridge/backstops.js';
import { cacheProblemText, openCachedBridge } from '../bridge/cached-bridge.js';
import type { CoreBridge, SignInRequest } from '../bridge/core-bridge.js';
import { Notifier } from '../bridge/notifier.js';
import {
  CACHE_NAME,
  type CacheProblem,
  cacheLocationIn,
  type WorkbinCache,
} from '../cache/workbin-cache.js';
import { itemKey } from '../contract/keys.js';
import type { Notice } from '../contract/notice.js';
import { IPC_COMMAND, IPC_EVENT, parseCommand } from '../contract/protocol.js';
import type { AccountSession } from '../contract/session.js';
import { explain, STRINGS } from '../contract/strings.js';
import { escapeMarkup } from '../contract/text.js';
import { DiagnosticsJournal } from '../diagnostics/journal.js';
import { trayStateOf } from '../notify/tray-state.js';
import { registerAppScheme, serveRenderer } from './app-protocol.js';
import { decryptSecret, encryptSecret } from './credentials.js';
import { hardenApp, hardenSession, isTrustedSender } from './security.js';
import { TrayController } from './tray.js';
import { createWindow, showWindow } from './window.js';

/** What the `_electron` Playwright suite reads through `electronApp.evaluate`. */
interface TestHooks {
  tray: () => TrayController['current'];
  notices: Notice[];
  cacheProblem: CacheProblem | null;
}

if (process.env.WORKBIN_TRAY_USER_DATA) app.setPath('userData', process.env.WORKBIN_TRAY_USER_DATA);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  registerAppScheme();
  hardenApp();
  app.whenReady().then(start, (error: unknown) => {
    console.error('Workbin Tray could not start:', error);
    app.exit(1);
  });
}

async function start(): Promise<void> {
  hardenSession(session.defaultSession);
  serveRenderer();

  const logFile = join(app.getPath('logs'), 'workbin-tray.log');
  const {
    bridge,
    cache,
    problem: cacheProblem,
  } = openCachedBridge(
    cacheLocationIn(
      app.getPath('userData'),
      () =>
        new Store<Record<string, unknown>>({
          name: CACHE_NAME,
          clearInvalidConfig: false,
          configFileMode: 0o600,
        }),
    ),
    undefined,
    { journal: new DiagnosticsJournal({ logFile }) },
  );
  installBackstops({ logFile, flush: () => cache.flush() });
  if (cacheProblem) console.warn(cacheProblemText(cacheProblem));
  // The bridge keeps the settings in memory (electron-store would read and parse its file on
  // every change batch) and the cached bridge saves them.
  const settings = () => bridge.currentSettings;

  let quitting = false;
  const window: BrowserWindow = createWindow(() => quitting, !app.isPackaged);

  const notifier = new Notifier(bridge);
  const tray = new TrayController(
    {
      open: () => showWindow(window),
      reconnect: () => void bridge.handle({ type: 'reconnect' }, () => {}),
      setPaused: (paused) => bridge.updateSettings({ notificationsPaused: paused }),
      setStartAtLogin: (on) => {
        app.setLoginItemSettings({ openAtLogin: on, args: ['--hidden'] });
        bridge.updateSettings({ startAtLogin: on });
      },
      quit: () => {
        quitting = true;
        app.quit();
      },
    },
    settings,
  );
  function refreshTray(): void {
    const workbins = [...bridge.currentState.workbins.values()].map((v) => ({
      subscription: v.subscription,
    }));
    tray.update(
      trayStateOf(bridge.currentStatus, workbins),
      bridge.unseenItems.length,
      bridge.currentSession?.insecure === true,
    );
  }

  const hooks: TestHooks = { tray: () => tray.current, notices: [], cacheProblem };
  if (!app.isPackaged && process.env.WORKBIN_TRAY_TEST === '1')
    (globalThis as { __workbinTray?: TestHooks }).__workbinTray = hooks;

  // Core → renderer, and the side effects of changes: cache, notifications, tray.
  bridge.on('event', (event) => {
    if (!window.isDestroyed()) window.webContents.send(IPC_EVENT, event);
  });
  bridge.on('changes', refreshTray);
  bridge.on('status', refreshTray);
  bridge.on('unseen', refreshTray);
  bridge.on('signed-in', (request: SignInRequest & { session: AccountSession }) => {
    // Never saved for a cleartext server: it would be replayed unencrypted at every start.
    const encrypted = request.session.insecure ? null : encryptSecret(request.password);
    cache.saveCredentials(
      encrypted
        ? { server: request.session.server, user: request.user, encryptedPassword: encrypted }
        : null,
    );
  });
  bridge.on('signed-out', () => {
    cache.saveCredentials(null);
    refreshTray();
  });
  bridge.on('settings', () => tray.refreshMenu());
  const reveal = (target: { workbinKey: string; id: string }) => {
    showWindow(window);
    window.webContents.send(IPC_EVENT, { type: 'reveal', ...target });
    // Opening an item is seeing it (the rule in main/bridge/unseen.ts).
    bridge.markSeen([itemKey(target.workbinKey, target.id)]);
  };
  bridge.on('open-item', reveal);

  // Renderer → core, from our own page only, validated.
  ipcMain.on(IPC_COMMAND, (event, payload: unknown) => {
    if (
      event.sender !== window.webContents ||
      !isTrustedSender(event.senderFrame?.url, event.senderFrame === window.webContents.mainFrame)
    ) {
      console.warn('Ignored IPC from an untrusted sender');
      return;
    }
    const command = parseCommand(payload);
    if (command) void bridge.handle(command, (reply) => event.sender.send(IPC_EVENT, reply));
  });

  notifier.on('notice', (notice) => {
    hooks.notices.push(notice);
    if (!Notification.isSupported()) return;
    // Some Linux notification servers render markup in the body: show text as text.
    const text = (t: string) => (process.platform === 'linux' ? escapeMarkup(t) : t);
    const native = new Notification({ title: notice.title, body: text(notice.body) });
    const target = notice.target;
    native.on('click', () => (target ? reveal(target) : showWindow(window)));
    native.show();
  });

  // The OS tells us when waiting for the backoff is pointless.
  const reconnect = () => void bridge.handle({ type: 'reconnect' }, () => {});
  powerMonitor.on('resume', reconnect);
  powerMonitor.on('unlock-screen', reconnect);
  let online = net.isOnline();
  const networkTimer = setInterval(() => {
    const now = net.isOnline();
    if (now && !online) reconnect();
    online = now;
  }, 5_000);

  app.on('second-instance', () => showWindow(window));
  app.on('before-quit', () => {
    quitting = true;
    notifier.stop();
    clearInterval(networkTimer);
    cache.flush();
    void bridge.stop();
    tray.destroy();
  });
  app.on('window-all-closed', () => {
    // Lives in the tray: closing the window is not quitting.
  });

  window.once('ready-to-show', () => {
    if (!process.argv.includes('--hidden')) showWindow(window);
  });
  refreshTray();
  await autoSignIn(bridge, cache);
}

/** Saved credentials first; in development (`npm start`), the simulator it started. */
async function autoSignIn(bridge: CoreBridge, cache: WorkbinCache): Promise<void> {
  const saved = cache.credentials();
  const password = saved ? decryptSecret(saved.encryptedPassword) : null;
  if (saved && password !== null) {
    const result = await bridge.signIn(
      { server: saved.server, user: saved.user, password },
      { preferCache: true },
    );
    if (!result.ok) console.warn(`Saved sign-in failed: ${explain(result.error)}`);
    return;
  }
  const demo = process.env.WORKBIN_TRAY_DEMO_SERVER;
  if (demo && !app.isPackaged) {
    const result = await bridge.signIn(
      { server: demo, user: 'agent1', password: 'demo' },
      { preferCache: true },
    );
    if (!result.ok)
      console.warn(`${STRINGS.appName}: demo sign-in failed: ${explain(result.error)}`);
  }
}
