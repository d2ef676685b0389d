import { pathToFileURL } from 'node:url';
import { net, protocol } from 'electron';
import { contentSecurityPolicy } from '../bridge/csp.js';
import { staticFile } from '../bridge/static-file.js';
import { APP_SCHEME, RENDERER_DIR } from './paths.js';

/** The renderer's CSP in the app: IPC only, so no connect-src at all. */
export const APP_CSP = contentSecurityPolicy(null);

/** Must run before `app` is ready: app:// behaves like a secure, standard origin. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true } },
  ]);
}

/**
 * Serves dist/renderer under app://workbin-tray/ with the CSP as a real header (Electron's
 * advice over file://, which grants the page access to the whole file system).
 */
export function serveRenderer(): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const path = staticFile(RENDERER_DIR, new URL(request.url).pathname);
    if (path === null) return new Response('Not found', { status: 404 });
    const file = await net.fetch(pathToFileURL(path).toString());
    const headers = new Headers(file.headers);
    headers.set('Content-Security-Policy', APP_CSP);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(file.body, { status: file.status, headers });
  });
}
