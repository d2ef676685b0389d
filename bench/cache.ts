import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { confBackendIn } from '../main/cache/conf-backend.js';
import { WorkbinCache } from '../main/cache/workbin-cache.js';
import { parseWorkbinMessage } from '../main/workbins/messages.js';
import { EMPTY_STATE, itemCount, reduce, type WorkbinEvent } from '../main/workbins/state.js';
import { probeLine } from './core.js';
import { itemAddedEvents, itemAddedPayloads, SESSION } from './payloads.js';
import { median } from './stats.js';

/** The longest gap between turns of the event loop while `work` runs (a 1 ms ticker). */
export async function longestStall(work: () => Promise<void>): Promise<number> {
  return (await longestStallAndCpu(work)).ms;
}

/**
 * The longest event-loop stall while `work` runs, and the CPU the process (all its threads)
 * used within it: far less than the stall, and the process was waiting for a core, not busy.
 */
export async function longestStallAndCpu(
  work: () => Promise<void>,
): Promise<{ ms: number; cpuMs: number }> {
  let last = performance.now();
  let lastCpu = process.cpuUsage();
  let longest = { ms: 0, cpuMs: 0 };
  const tick = () => {
    const now = performance.now();
    const cpu = process.cpuUsage(lastCpu);
    if (now - last > longest.ms)
      longest = { ms: now - last, cpuMs: (cpu.user + cpu.system) / 1000 };
    last = now;
    lastCpu = process.cpuUsage();
  };
  const ticker = setInterval(tick, 1);
  await work();
  clearInterval(ticker);
  // The gap since the last tick: a stall that ends the work (its last step, done in one go)
  // has no tick after it. Missed, a start's 110-190 ms decode read as 25-30 ms.
  tick();
  return longest;
}

/** The longest stall while a process of its own starts from the cache in `dir`. */
async function startStall(dir: string, items: number): Promise<number> {
  const [, stall, , held] = await probeLine(
    ['--import', 'tsx', 'bench/start-stall-probe.ts', dir],
    'stall ',
    'the start probe',
  );
  if (Number(held) !== items) throw new Error(`the start probe held ${held} of ${items}`);
  return Number(stall);
}

/**
 * The cache with `held` items: the longest event-loop stall a whole snapshot write causes
 * (in the background, as when the journal is folded in; and in one go, as on quitting), the
 * CPU share of saving while 4 messages a second arrive, over `seconds`, each journaled as the
 * cached bridge journals it, the time to load the snapshot and its journal back, and the
 * longest stall while a start reads them in slices.
 */
export async function cacheBench(held = 100_000, runs = 3, seconds = 8) {
  const dir = mkdtempSync(join(tmpdir(), 'wbt-bench-cache-'));
  try {
    let state = reduce(EMPTY_STATE, itemAddedEvents(held, 6)).state;
    const snapshot = () => ({ savedAt: Date.now(), session: SESSION, state, unseen: [] });
    const stalls: number[] = [];
    const blocking: number[] = [];
    const shares: number[] = [];
    const loads: number[] = [];
    const previews: number[] = [];
    const loadStalls: number[] = [];
    const live: WorkbinEvent[] = itemAddedPayloads(held + 1_000, 6)
      .slice(held)
      .flatMap((p) => {
        const parsed = parseWorkbinMessage(JSON.parse(p), 'u-agent1');
        return parsed.ok ? [{ type: 'message' as const, message: parsed.value.message }] : [];
      });
    let next = 0;
    for (let run = 0; run < runs; run++) {
      const { cache } = WorkbinCache.open(confBackendIn(dir));
      stalls.push(
        await longestStall(async () => {
          cache.saveSoon(snapshot());
          await new Promise((resolve) => setTimeout(resolve, 5));
          await cache.idle;
        }),
      );
      blocking.push(
        await longestStall(async () => {
          await new Promise((resolve) => setTimeout(resolve, 5));
          cache.save(snapshot());
          await new Promise((resolve) => setTimeout(resolve, 5));
        }),
      );
      // A steady 4 messages a second, each scheduling a save as the cached bridge does, and
      // the same without saving: the cache's share is the difference (a major GC of the
      // 100,000-item heap, which either may meet, is not the cache's).
      const steady = async (save: boolean) => {
        // The garbage of the whole snapshot written just before (to start each window from a
        // known file) is collected first: a trace put its collection, 170 ms of marking plus
        // the helper threads, inside the window with saves, as 5-6 % of a core.
        (globalThis as { gc?: () => void }).gc?.();
        const cpu = process.cpuUsage();
        const start = performance.now();
        while (performance.now() - start < seconds * 1000) {
          const event = live[next++ % live.length] as WorkbinEvent;
          const reduced = reduce(state, [event]);
          state = reduced.state;
          if (save) cache.saveSoon(snapshot(), { changes: reduced.changes });
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
        const used = process.cpuUsage(cpu);
        return (used.user + used.system) / 1000 / (performance.now() - start);
      };
      const without = await steady(false);
      cache.save(snapshot());
      shares.push(Math.max(0, (await steady(true)) - without));
      cache.flush();
      // Start from cache: a large one's head, with the newest items, read alone; then the
      // snapshot and the journal behind it, read and validated.
      const previewStart = performance.now();
      if (WorkbinCache.open(confBackendIn(dir)).cache.peek())
        previews.push(performance.now() - previewStart);
      const loadStart = performance.now();
      const loaded = WorkbinCache.open(confBackendIn(dir)).cache.load();
      loads.push(performance.now() - loadStart);
      if (itemCount(loaded.snapshot?.state ?? EMPTY_STATE) !== itemCount(state))
        throw new Error(`cache load lost items: ${loaded.problem?.message ?? 'none'}`);
      loadStalls.push(await startStall(dir, itemCount(state)));
      cache.forgetSnapshot();
      await cache.idle;
    }
    return {
      stall: median(stalls),
      stallRange: [Math.min(...stalls), Math.max(...stalls)] as const,
      blocking: median(blocking),
      blockingRange: [Math.min(...blocking), Math.max(...blocking)] as const,
      cpu: median(shares),
      cpuRange: [Math.min(...shares), Math.max(...shares)] as const,
      previews,
      loadStalls,
      load: median(loads),
      loadRange: [Math.min(...loads), Math.max(...loads)] as const,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await cacheBench());
