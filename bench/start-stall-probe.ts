/**
 * A start from the cache in `<folder>`, alone in its own process as in the app's: the preview
 * at once, the rest read in slices. Prints `stall <ms> items <n>`, the longest event-loop
 * stall after the preview until the whole of it is held. In the bench's process, which
 * holds two more states of the same size, a full collection alone stopped it for 110 ms.
 *
 *   tsx bench/start-stall-probe.ts <folder>
 */
import { openCachedBridge } from '../main/bridge/cached-bridge.js';
import { confBackendIn } from '../main/cache/conf-backend.js';
import { itemCount } from '../main/workbins/state.js';
import { longestStall } from './cache.js';

// Opening reads the preview at once, before the app serves anything: what follows it, the
// rest read while the app runs, is what must leave the event loop free.
const opened = openCachedBridge(confBackendIn(process.argv[2] ?? ''));
const stall = await longestStall(() => opened.problem.then(() => {}));
const items = itemCount(opened.bridge.currentState);
process.stdout.write(`stall ${stall} items ${items}\n`);
process.exit(0);
