/**
 * The core alone in its own process, as in the app's main process: signs in to the simulator
 * at `<url>`, syncs what it holds, and prints `heap <MB> items <n>`, the V8 heap in use after
 * two full collections. Needs --expose-gc:
 *
 *   node --expose-gc --import tsx bench/heap-probe.ts <url>
 */
import { itemCount } from '../main/workbins/state.js';
import { startCore } from './core.js';

const collect = (globalThis as { gc?: () => void }).gc;
if (!collect) throw new Error('run with node --expose-gc');
const core = await startCore(process.argv[2] ?? '');
collect();
collect();
const heap = process.memoryUsage().heapUsed / 2 ** 20;
process.stdout.write(`heap ${heap} items ${itemCount(core.state)}\n`);
await core.stop();
process.exit(0);
