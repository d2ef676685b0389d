import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { confBackendIn } from '../main/cache/conf-backend.js';
import { WorkbinCache } from '../main/cache/workbin-cache.js';
import { CometdSession } from '../main/cometd/session.js';
import { SessionCookies } from '../main/gws/cookie-jar.js';
import { StateBatcher } from '../main/workbins/batcher.js';
import { parseWorkbinMessage } from '../main/workbins/messages.js';
import { EMPTY_STATE, itemCount, reduce, type WorkbinState } from '../main/workbins/state.js';
import { spawnEntry } from '../sim/spawn.js';
import { itemAddedEvents, replyBodies, SESSION } from './payloads.js';
import { median } from './stats.js';

/**
 * The whole client path, as the app takes it: long-poll replies of `batch` messages over HTTP
 * from a server in another process, read and parsed by the cometd client (our CometdSession
 * with its ack extension and reply bound), validated (`parseWorkbinMessage`), folded in per
 * event-loop turn (`StateBatcher`), and journaled in the offline cache (`saveSoon` with the
 * changes, written within the run), with `held` items already held and cached.
 *
 * The figure is messages a second of wall time, from the first reply to the last message in
 * the state; the ratio is raw `JSON.parse` of the same reply bodies (in this process, in the
 * same run) over the client process's CPU time until the cache has written it all.
 */
export async function ingestPathBench(
  count: number,
  batch: number,
  held = 0,
  runs = 3,
  /**
   * The cometd client alone: each message counted and dropped, nothing validated, held or
   * cached. What the path cannot go below, whatever the app does with a message.
   */
  clientOnly = false,
) {
  const heldState: WorkbinState = reduce(EMPTY_STATE, itemAddedEvents(held)).state;
  const bodies = replyBodies(count, batch, held);
  const rates: number[] = [];
  const ratios: number[] = [];
  for (let run = 0; run < runs; run++) {
    const dir = mkdtempSync(join(tmpdir(), 'wbt-bench-path-'));
    const responder = await spawnEntry(
      'bench/bayeux-responder.ts',
      [String(count), String(batch), String(held)],
      ['Bayeux responder'],
    );
    const url = responder.urls['Bayeux responder'] ?? '';
    const session = new CometdSession({
      url,
      cookies: new SessionCookies(),
      headers: () => ({}),
    });
    try {
      const { cache } = WorkbinCache.open(confBackendIn(dir));
      const snapshot = (state: WorkbinState) => ({
        savedAt: Date.now(),
        session: SESSION,
        state,
        unseen: [],
      });
      cache.save(snapshot(heldState));
      let finished: () => void = () => {};
      const done = new Promise<void>((resolve) => {
        finished = resolve;
      });
      const batcher = new StateBatcher(heldState, (state, changes) => {
        cache.saveSoon(snapshot(state), { changes });
        if (itemCount(state) === held + count) finished();
      });
      let received = 0;
      session.on('message', (data) => {
        if (clientOnly) {
          if (++received === count) finished();
          return;
        }
        const parsed = parseWorkbinMessage(data, 'u-agent1');
        if (parsed.ok) batcher.enqueue({ type: 'message', message: parsed.value.message });
      });
      const subscribed = new Promise<void>((resolve) =>
        session.on('channel', (c) => c.subscribed && resolve()),
      );
      session.start();
      await subscribed;

      const cpu = process.cpuUsage();
      const start = performance.now();
      // The poll held since the subscribe is answered now: the clock has started.
      await fetch(new URL('/go', url), { method: 'POST' });
      await done;
      const wall = performance.now() - start;
      // Everything the run scheduled for the cache is written before the CPU is read.
      await cache.idle;
      const used = process.cpuUsage(cpu);
      const clientMs = (used.user + used.system) / 1000;

      const rawStart = performance.now();
      for (const body of bodies) JSON.parse(body);
      const rawMs = performance.now() - rawStart;
      rates.push(count / (wall / 1000));
      ratios.push(rawMs / clientMs);
    } finally {
      await session.stop(200);
      await responder.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return {
    rate: median(rates),
    rateRange: [Math.min(...rates), Math.max(...rates)] as const,
    ratio: median(ratios),
    ratioRange: [Math.min(...ratios), Math.max(...ratios)] as const,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const [count, batch, held] of [
    [20_000, 1_000, 0],
    [5_000, 100, 0],
    [2_000, 1, 0],
  ] as const)
    console.log(count, batch, held, await ingestPathBench(count, batch, held));
}
