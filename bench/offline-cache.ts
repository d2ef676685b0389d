import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { confBackendIn } from '../main/cache/conf-backend.js';
import { WorkbinCache } from '../main/cache/workbin-cache.js';
import { EMPTY_STATE, reduce, type WorkbinState } from '../main/workbins/state.js';
import { itemAddedEvents, SESSION } from './payloads.js';

/** A server nothing answers at: `web` started on a cache of it shows the cache, offline. */
const DEAD_SERVER = 'http://127.0.0.1:9';

/**
 * A new cache folder holding `contents` (a state, or that many items of agent1's in one
 * workbin), signed in to a server that does not answer.
 */
export function offlineCacheOf(contents: number | WorkbinState): string {
  const state =
    typeof contents === 'number'
      ? reduce(EMPTY_STATE, itemAddedEvents(contents, 1)).state
      : contents;
  const folder = mkdtempSync(join(tmpdir(), 'wbt-bench-cache-'));
  WorkbinCache.open(confBackendIn(folder)).cache.save({
    savedAt: Date.now(),
    session: { ...SESSION, server: `${DEAD_SERVER}/` },
    state,
    unseen: [],
  });
  return folder;
}

/** The arguments of `web` that start it from `folder`'s cache (password: GWS_PASSWORD). */
export const offlineArgs = (folder: string) => [
  '--cache-dir',
  folder,
  '--url',
  DEAD_SERVER,
  '--user',
  'agent1',
];
