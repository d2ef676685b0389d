import { join } from 'node:path';
import Conf from 'conf';
import type { CacheLocation } from './workbin-cache.js';

export const CACHE_NAME = 'workbin-tray';
export const SNAPSHOT_FILE = `${CACHE_NAME}-state.json`;

/** The cache under Node (tests, `npm run web`): settings in electron-store's own engine. */
export function confBackendIn(dir: string): CacheLocation {
  return {
    settingsPath: join(dir, `${CACHE_NAME}.json`),
    snapshotPath: join(dir, SNAPSHOT_FILE),
    createSettings: () =>
      new Conf<Record<string, unknown>>({
        cwd: dir,
        configName: CACHE_NAME,
        clearInvalidConfig: false,
      }),
  };
}
