import { join } from 'node:path';
import { BrowserWindow, type WebContents } from 'electron';
import type { AppSession } from '../bridge/app-session.js';
import { type CoreEvent, IPC_EVENT } from '../contract/protocol.js';
import { STRINGS } from '../contract/strings.js';
import type { PageSnapshots } from './page-snapshots.js';
import { APP_ORIGIN, ASSETS_DIR, PRELOAD } from './paths.js';

export const PAGE_URL = `${APP_ORIGIN}/index.html`;

/** Every window of ours gets these: sandboxed, isolated, no Node, our preload only. */
export function secureWebPreferences(devTools: boolean) {
  return {
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
  };
}

/** The full-size window ("Open in a window"); closing it hides it to the tray. */
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
    webPreferences: secureWebPreferences(devTools),
  });
  window.on('close', (event) => {
    if (!shouldQuit()) {
      event.preventDefault();
      window.hide();
    }
  });
  void window.loadURL(PAGE_URL);
  return window;
}

export function showWindow(window: BrowserWindow): void {
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}

/**
 * The windows showing our page (the full window and the popup): what the core says reaches
 * each, and the IPC gate accepts only their pages.
 */
export class AppWindows {
  private readonly open = new Set<BrowserWindow>();

  constructor(private readonly snapshots: PageSnapshots) {}

  add(window: BrowserWindow): void {
    this.open.add(window);
    window.on('closed', () => this.open.delete(window));
  }

  /** The window whose page `contents` is, if it is one of ours. */
  owning(contents: WebContents): BrowserWindow | undefined {
    for (const window of this.open)
      if (!window.isDestroyed() && window.webContents === contents) return window;
    return undefined;
  }

  send(event: CoreEvent): void {
    for (const window of this.open) {
      if (window.isDestroyed()) continue;
      if (event.type === 'snapshot') this.snapshots.request(window.webContents);
      else window.webContents.send(IPC_EVENT, event);
    }
  }
}

/**
 * The core's events reach every page; a revealed item (a notification's click) opens in the
 * full window, where there is room for its details.
 */
export function connectWindows(
  windows: AppWindows,
  main: BrowserWindow,
  session: AppSession,
): void {
  session.on('event', (event) => windows.send(event));
  session.on('reveal', (target) => {
    showWindow(main);
    if (!main.isDestroyed()) main.webContents.send(IPC_EVENT, { type: 'reveal', ...target });
  });
}
