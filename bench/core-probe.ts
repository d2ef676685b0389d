/**
 * The core alone in its own process, as in the app's main process: signs in to the simulator
 * at `<url>`, syncs, prints `Core: ready`, then prints `seen <ms>` for every item added that
 * carries the simulator's `publishedAt` stamp (publish -> in the core's state, timed here, so
 * the pipe to the bench is not counted).
 *
 *   tsx bench/core-probe.ts <url> [items per workbin, the bound]
 */
import { DEFAULT_LIMITS } from '../main/workbins/state.js';
import { startCore } from './core.js';

const [url = '', bound] = process.argv.slice(2);
const core = await startCore(url, {
  limits: { ...DEFAULT_LIMITS, itemsPerWorkbin: Number(bound ?? DEFAULT_LIMITS.itemsPerWorkbin) },
});
core.on('changes', ({ changes }) => {
  const now = performance.timeOrigin + performance.now();
  for (const change of changes) {
    const published = change.type === 'item-added' ? change.item.userData.publishedAt : undefined;
    if (typeof published === 'number') process.stdout.write(`seen ${now - published}\n`);
  }
});
process.stdout.write(`Core: ready\n`);
process.on('SIGTERM', () => {
  void core.stop().then(() => process.exit(0));
});
