import { app, type Session, type WebContents } from 'electron';
import { APP_ORIGIN } from './paths.js';

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
