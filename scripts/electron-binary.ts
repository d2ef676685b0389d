import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { err, ok, type Result } from '../main/contract/result.js';

/** The installed electron package's folder, or null when it is not installed. */
function electronPackageDir(): string | null {
  try {
    return dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return null;
  }
}

/**
 * Where the Electron binary is, or why there is none. Mirrors the electron package's own
 * lookup without calling it: since Electron 45, `require('electron')` starts a download when
 * the binary is missing, which cannot work here. `packageDir` is for tests.
 */
export function findElectronBinary(
  env: NodeJS.ProcessEnv = process.env,
  packageDir: string | null = electronPackageDir(),
): Result<string, string> {
  if (env.ELECTRON_PATH) {
    return existsSync(env.ELECTRON_PATH)
      ? ok(env.ELECTRON_PATH)
      : err(`ELECTRON_PATH=${env.ELECTRON_PATH} does not exist`);
  }
  if (packageDir === null) return err('the electron package is not installed');
  const pathFile = join(packageDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  if (!relative && !override)
    return err('no binary was downloaded (node_modules/electron/path.txt is absent)');
  const path = override
    ? join(override, relative || 'electron')
    : join(packageDir, 'dist', relative);
  return existsSync(path) ? ok(path) : err(`${path} does not exist`);
}

export const NO_ELECTRON_HELP = `The Electron binary is not installed (its download is skipped on install, see README).
Run the same app in a browser instead:   npm run web
Or fetch the binary where GitHub is reachable:   npm install-scripts approve electron && npm rebuild electron`;
