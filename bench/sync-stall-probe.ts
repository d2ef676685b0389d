/**
 * The core alone in its own process, as in the app's main process: signs in to the simulator
 * at `<url>` and syncs, then prints `stall <ms> cpu <ms> sync <ms> resync <ms>`: the longest
 * event-loop stall from the start to the end of the first sync (the core's live events, and
 * in the app the whole main process, wait as long), the CPU used within it, the sync's
 * duration, and the longest stall during a resync that follows (as at every reconnect: the
 * process warm, its modules loaded, the items held while they are loaded again).
 *
 *   tsx bench/sync-stall-probe.ts <url>
 */
import type { LiveWorkbins } from '../main/workbins/live-workbins.js';
import { longestStallAndCpu } from './cache.js';
import { startCore } from './core.js';

const began = performance.now();
let core: LiveWorkbins | undefined;
const stall = await longestStallAndCpu(async () => {
  core = await startCore(process.argv[2] ?? '');
});
const sync = performance.now() - began;
const resync = await longestStallAndCpu(async () => {
  const synced = new Promise((resolve) => core?.once('synced', resolve));
  core?.resync();
  await synced;
});
await core?.stop();
process.stdout.write(`stall ${stall.ms} cpu ${stall.cpuMs} sync ${sync} resync ${resync.ms}\n`);
process.exit(0);
