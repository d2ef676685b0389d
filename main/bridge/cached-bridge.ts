import type { CacheLocation, CacheProblem, SnapshotChange } from '../cache/workbin-cache.js';
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
 */
export function openCachedBridge(
  location: CacheLocation,
  core?: CoreBridgeOptions['core'],
  options: Pick<CoreBridgeOptions, 'allowInsecureHttp' | 'journal'> = {},
): { bridge: CoreBridge; cache: WorkbinCache; problem: CacheProblem | null } {
  const opened = WorkbinCache.open(location);
  const cache = opened.cache;
  const loaded = cache.load();
  const bridge = new CoreBridge({
    ...options,
    ...(core && { core }),
    settings: cache.settings(),
    ...(loaded.snapshot && { cached: loaded.snapshot }),
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
  const problem = opened.problem ?? loaded.problem;
  if (problem) bridge.recordProblem('problem', cacheProblemText(problem));
  return { bridge, cache, problem };
}
