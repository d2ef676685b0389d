import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Where the Electron binary is, or why there is none. Mirrors the electron package's own
 * lookup without calling it: since Electron 45, `require('electron')` starts a download when
 * the binary is missing, which cannot work here.
 */
export function findElectronBinary(): { path: string } | { missing: string } {
  if (process.env.ELECTRON_PATH) {
    return existsSync(process.env.ELECTRON_PATH)
      ? { path: process.env.ELECTRON_PATH }
      : { missing: `ELECTRON_PATH=${process.env.ELECTRON_PATH} does not exist` };
  }
  let packageDir: string;
  try {
    packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { missing: 'the electron package is not installed' };
  }
  const pathFile = join(packageDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (!relative && !override)
    return { missing: 'no binary was downloaded (node_modules/electron/path.txt is absent)' };
  const path = override
    ? join(override, relative || 'electron')
    : join(packageDir, 'dist', relative);
  return existsSync(path) ? { path } : { missing: `${path} does not exist` };
}

export const NO_ELECTRON_HELP = `The Electron binary is not installed (its download is skipped on install, see README).
Run the same app in a browser instead:   npm run web
Or fetch the binary where GitHub is reachable:   npm install-scripts approve electron && npm rebuild electron`;
