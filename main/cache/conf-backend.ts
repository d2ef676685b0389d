import Conf from 'conf';
import { CACHE_NAME, type CacheLocation, cacheLocationIn } from './workbin-cache.js';

/** The cache under Node (tests, `npm run web`): settings in electron-store's own engine. */
export function confBackendIn(dir: string): CacheLocation {
  return cacheLocationIn(
    dir,
    () =>
      new Conf<Record<string, unknown>>({
        cwd: dir,
        configName: CACHE_NAME,
        clearInvalidConfig: false,
        configFileMode: 0o600,
      }),
  );
}
