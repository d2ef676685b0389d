import { app, ipcMain, type Session, type WebContents } from 'electron';
import {
  type CoreEvent,
  IPC_COMMAND,
  IPC_EVENT,
  parseCommand,
  type UiCommand,
} from '../contract/protocol.js';
import type { PageSnapshots } from './page-snapshots.js';
import { APP_ORIGIN } from './paths.js';
import type { AppWindows } from './window.js';

/**
 * Electron's security checklist for everything we load: no permissions, no navigation away
 * from app://, no new windows, no webviews. The rest (contextIsolation, sandbox, no Node) is
 * in the window's webPreferences.
 */
export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

export function hardenContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

export function hardenApp(): void {
  app.on('web-contents-created', (_event, contents) => hardenContents(contents));
}

/** IPC is only accepted from our own page's main frame. */
export function isTrustedSender(frameUrl: string | undefined, isMainFrame: boolean): boolean {
  return isMainFrame && typeof frameUrl === 'string' && frameUrl.startsWith(`${APP_ORIGIN}/`);
}

/**
 * The one way into the main process: commands from one of our windows' own page, main frame,
 * app:// origin, validated. Anything else is dropped (and said in the log). A second channel
 * or a second window comes through here too.
 */
export function handleCommands(
  windows: AppWindows,
  snapshots: PageSnapshots,
  onCommand: (command: UiCommand, reply: (event: CoreEvent) => void) => void,
): void {
  ipcMain.on(IPC_COMMAND, (event, payload: unknown) => {
    const contents = windows.owning(event.sender)?.webContents;
    if (
      !contents ||
      !isTrustedSender(event.senderFrame?.url, event.senderFrame === contents.mainFrame)
    ) {
      console.warn('Ignored IPC from an untrusted sender');
      return;
    }
    const command = parseCommand(payload);
    if (!command) {
      console.warn('Ignored an invalid IPC command');
      return;
    }
    if (command.type === 'hello') {
      snapshots.request(contents);
      return;
    }
    onCommand(command, (reply) => {
      if (!contents.isDestroyed()) contents.send(IPC_EVENT, reply);
    });
  });
}
