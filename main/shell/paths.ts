import { fileURLToPath } from 'node:url';

/** The shell runs from dist/electron/; everything it loads is relative to that. */
const root = new URL('../../', import.meta.url);

export const RENDERER_DIR = fileURLToPath(new URL('dist/renderer/', root));
export const PRELOAD = fileURLToPath(new URL('dist/electron/preload.cjs', root));
export const ASSETS_DIR = fileURLToPath(new URL('assets/', root));

export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://workbin-tray`;
