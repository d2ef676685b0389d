import { join } from 'node:path';
import Conf from 'conf';
import type { CacheBackend } from './workbin-cache.js';

export const CACHE_NAME = 'workbin-tray';

/** The cache file under Node (tests, `npm run web`): electron-store's own engine. */
export function confBackendIn(dir: string): { path: string; create: () => CacheBackend } {
  return {
    path: join(dir, `${CACHE_NAME}.json`),
    create: () =>
      new Conf<Record<string, unknown>>({
        cwd: dir,
        configName: CACHE_NAME,
        clearInvalidConfig: false,
      }),
  };
}
