import { join } from 'node:path';
import { BrowserWindow } from 'electron';
import type { AppSession } from '../bridge/app-session.js';
import { IPC_EVENT } from '../contract/protocol.js';
import { STRINGS } from '../contract/strings.js';
import { APP_ORIGIN, ASSETS_DIR, PRELOAD } from './paths.js';

/** The list window: sandboxed, isolated, no Node; closing it hides it to the tray. */
export function createWindow(shouldQuit: () => boolean, devTools: boolean): BrowserWindow {
  const window = new BrowserWindow({
    title: STRINGS.appName,
    width: 1180,
    height: 760,
    minWidth: 640,
    minHeight: 400,
    show: false,
    icon: join(ASSETS_DIR, 'icon.png'),
    autoHideMenuBar: true,
    webPreferences: {
      preload: PRELOAD,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      spellcheck: false,
      devTools,
    },
  });
  window.on('close', (event) => {
    if (!shouldQuit()) {
      event.preventDefault();
      window.hide();
    }
  });
  void window.loadURL(`${APP_ORIGIN}/index.html`);
  return window;
}

export function showWindow(window: BrowserWindow): void {
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}

/** The core's events reach the page; a revealed item shows the window with the item open. */
export function connectWindow(window: BrowserWindow, session: AppSession): void {
  const send = (event: unknown) => {
    if (!window.isDestroyed()) window.webContents.send(IPC_EVENT, event);
  };
  session.on('event', send);
  session.on('reveal', (target) => {
    showWindow(window);
    send({ type: 'reveal', ...target });
  });
}
