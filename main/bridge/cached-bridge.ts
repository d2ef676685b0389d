import type {
  CacheLocation,
  CacheProblem,
  LoadedSnapshot,
  SnapshotChange,
} from '../cache/workbin-cache.js';
import { WorkbinCache } from '../cache/workbin-cache.js';
import { CoreBridge, type CoreBridgeOptions } from './core-bridge.js';

/** The line a host prints, and Diagnostics lists, when the cache could not be used. */
export function cacheProblemText(problem: CacheProblem): string {
  return `Offline cache not usable (${problem.kind}): ${problem.message}`;
}

/**
 * A CoreBridge that starts from the offline cache and keeps it current: the last snapshot
 * (shown stale until the first sync), the notification settings, each change journaled (see
 * SnapshotFiles) and nothing left behind after sign-out. The app and browser mode
 * both use it.
 *
 * A large cache is shown from its preview (the head and the newest items, read alone) while
 * the rest is read in slices, so that the host serves its page meanwhile. `problem` settles
 * once the cache has been read: a host says it then.
 */
export function openCachedBridge(
  location: CacheLocation,
  core?: CoreBridgeOptions['core'],
  options: Pick<CoreBridgeOptions, 'allowInsecureHttp' | 'journal'> = {},
): { bridge: CoreBridge; cache: WorkbinCache; problem: Promise<CacheProblem | null> } {
  const opened = WorkbinCache.open(location);
  const cache = opened.cache;
  const preview = cache.peek();
  let read: Promise<LoadedSnapshot>;
  let start: Pick<CoreBridgeOptions, 'cached' | 'restoring'> = {};
  if (preview) {
    read = cache.loadInSlices();
    start = { restoring: { preview, whole: read.then((loaded) => loaded.snapshot) } };
  } else {
    const loaded = cache.load();
    read = Promise.resolve(loaded);
    if (loaded.snapshot) start = { cached: loaded.snapshot };
  }
  const bridge = new CoreBridge({
    ...options,
    ...(core && { core }),
    settings: cache.settings(),
    ...start,
  });
  bridge.on('settings', (settings) => cache.updateSettings(settings));
  const save = (change: SnapshotChange) => {
    const session = bridge.currentSession;
    if (session)
      cache.saveSoon(
        { savedAt: Date.now(), session, state: bridge.currentState, unseen: bridge.unseenItems },
        change,
      );
  };
  bridge.on('changes', ({ changes }) => save({ changes }));
  bridge.on('unseen', (unseen) => save({ unseen }));
  bridge.on('signed-out', () => cache.forgetSnapshot());
  bridge.on('credentials-rejected', () => cache.saveCredentials(null));
  const problem = read.then((loaded) => {
    const first = opened.problem ?? loaded.problem;
    if (first) bridge.recordProblem('problem', cacheProblemText(first));
    return first;
  });
  return { bridge, cache, problem };
}
