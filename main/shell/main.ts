/**
 * The Electron shell: shows the plain-Node AppSession (core, cache, notification policy, tray
 * state) through Electron's window, tray, IPC, notifications and power events. Decisions live
 * in AppSession; each `setupX` here only connects one Electron part to it.
 */

import { join } from 'node:path';
import { app, session } from 'electron';
import Store from 'electron-store';
import { AppSession } from '../bridge/app-session.js';
import { installBackstops } from '../bridge/backstops.js';
import { cacheProblemText } from '../bridge/cached-bridge.js';
import { CACHE_NAME, cacheLocationIn } from '../cache/workbin-cache.js';
import { DiagnosticsJournal } from '../diagnostics/journal.js';
import { registerAppScheme, serveRenderer } from './app-protocol.js';
import { appOptions } from './command-line.js';
import { osSecrets } from './credentials.js';
import { setupNotifications } from './notifications.js';
import { PageSnapshots } from './page-snapshots.js';
import { setupPopup, togglePopup } from './popup.js';
import { setupPowerAndNetwork } from './power.js';
import { handleCommands, hardenApp, hardenSession } from './security.js';
import { setupShortcut } from './shortcut.js';
import { systemProxy, trustSystemCertificates } from './system-network.js';
import { setupTray } from './tray.js';
import { AppWindows, connectWindows, createWindow, showWindow } from './window.js';

if (process.env.WORKBIN_TRAY_USER_DATA) app.setPath('userData', process.env.WORKBIN_TRAY_USER_DATA);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  registerAppScheme();
  hardenApp();
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      // A half-started tray app looks alive and hears nothing: better to say so and stop.
      console.error('Workbin Tray could not start:', error);
      app.exit(1);
    });
}

async function start(): Promise<void> {
  hardenSession(session.defaultSession);
  serveRenderer();
  trustSystemCertificates();

  const logFile = join(app.getPath('logs'), 'workbin-tray.log');
  const demoServer = app.isPackaged ? undefined : process.env.WORKBIN_TRAY_DEMO_SERVER;
  const options = appOptions(process.argv.slice(1));
  const appSession = new AppSession({
    location: cacheLocationIn(
      app.getPath('userData'),
      () =>
        new Store<Record<string, unknown>>({
          name: CACHE_NAME,
          clearInvalidConfig: false,
          configFileMode: 0o600,
        }),
    ),
    secrets: osSecrets,
    core: { limits: options.limits },
    prepareNetwork: systemProxy(),
    journal: new DiagnosticsJournal({ logFile }),
    ...(demoServer && { demoServer }),
  });
  installBackstops({ logFile, flush: () => appSession.cache.flush() });
  // Given on the command line, the shortcut is kept in the settings, as if chosen there.
  if (options.popupShortcut !== undefined) appSession.setPopupShortcut(options.popupShortcut);
  void appSession.cacheProblem.then(
    (problem) => problem && console.warn(cacheProblemText(problem)),
  );

  let quitting = false;
  const snapshots = new PageSnapshots(appSession.bridge);
  const windows = new AppWindows(snapshots);
  const window = createWindow(() => quitting, !app.isPackaged);
  windows.add(window);
  connectWindows(windows, window, appSession);
  const tray = setupTray(appSession, window, () => {
    quitting = true;
    app.quit();
  });
  const popup = setupPopup(tray.native, appSession, windows, !app.isPackaged);
  const stopShortcut = setupShortcut(appSession, () => togglePopup(popup));
  const notices = setupNotifications(appSession, window);
  handleCommands(windows, snapshots, (command, reply) => appSession.handle(command, reply));
  const stopWatching = setupPowerAndNetwork(appSession);

  // What the `_electron` suite reads through `electronApp.evaluate`.
  if (!app.isPackaged && process.env.WORKBIN_TRAY_TEST === '1')
    Object.assign(globalThis, { __workbinTray: { tray: () => tray.current, notices } });

  app.on('second-instance', () => showWindow(window));
  app.on('before-quit', () => {
    quitting = true;
    stopWatching();
    stopShortcut();
    tray.destroy();
    void appSession.stop();
  });
  app.on('window-all-closed', () => {
    // Lives in the tray: closing the window is not quitting.
  });
  window.once('ready-to-show', () => {
    if (!options.hidden) showWindow(window);
  });

  const problem = await appSession.start();
  if (problem) console.warn(problem);
}
