/**
 * The core alone in its own process, as in the app's main process: signs in to the simulator
 * at `<url>` and syncs, then prints `stall <ms> cpu <ms> sync <ms>`: the longest event-loop
 * stall from the start to the end of the first sync (the core's live events, and in the app
 * the whole main process, wait as long), the CPU used within it, and the sync's duration.
 *
 *   tsx bench/sync-stall-probe.ts <url>
 */
import { longestStallAndCpu } from './cache.js';
import { startCore } from './core.js';

const began = performance.now();
let stop: () => Promise<void> = async () => {};
const stall = await longestStallAndCpu(async () => {
  const core = await startCore(process.argv[2] ?? '');
  stop = () => core.stop();
});
const sync = performance.now() - began;
await stop();
process.stdout.write(`stall ${stall.ms} cpu ${stall.cpuMs} sync ${sync}\n`);
process.exit(0);
