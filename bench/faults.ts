/**
 * `npm run faults [-- --short]`: the core against a misbehaving server. Every scenario ends
 * by comparing the core's state with the simulator's truth: nothing lost, nothing
 * duplicated, no crash. The soak also checks that memory stays flat. `--short` (part of
 * `npm test`) runs the soak for 15 s instead of 10 min.
 */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { confBackendIn } from '../main/cache/conf-backend.js';
import { WorkbinCache } from '../main/cache/workbin-cache.js';
import { ITEM_KINDS } from '../main/contract/kinds.js';
import { LiveWorkbins } from '../main/workbins/live-workbins.js';
import { parseWorkbinMessage } from '../main/workbins/messages.js';
import type { WorkbinState } from '../main/workbins/state.js';
import { startSimulator, waitFor } from '../sim/harness.js';
import type { GwsSimulator } from '../sim/simulator.js';

const short = process.argv.includes('--short');
const SOAK_SECONDS = short ? 15 : 600;
const OWNER = 'u-agent1';
const WORKBINS = ['email-draft', 'email-inprogress', 'social-inbox', 'workitems'];

interface Outcome {
  readonly scenario: string;
  readonly ok: boolean;
  readonly detail: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function contents(state: WorkbinState): string {
  const result: Record<string, string[]> = {};
  for (const view of state.workbins.values()) {
    if (view.ownerUserId === OWNER) result[view.workbinId] = [...view.items.keys()].sort();
  }
  return JSON.stringify(result);
}

/** What the core has wrong, in a few words, for a failure message. */
function diff(state: WorkbinState, sim: GwsSimulator): string {
  const truth = sim.truth(OWNER);
  const have = JSON.parse(contents(state)) as Record<string, string[]>;
  let missing = 0;
  let extra = 0;
  for (const [workbin, ids] of Object.entries(truth)) {
    const mine = new Set(have[workbin] ?? []);
    missing += ids.filter((id) => !mine.has(id)).length;
    extra += (have[workbin] ?? []).filter((id) => !ids.includes(id)).length;
  }
  return `${missing} missing, ${extra} extra`;
}

function heapMb(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

/** Adds (and sometimes removes) items at about `rate` per second for `ms`. */
async function traffic(
  sim: GwsSimulator,
  ms: number,
  rate: number,
  onTick?: (i: number) => void | Promise<void>,
) {
  const started = Date.now();
  let i = 0;
  const live: string[] = [];
  while (Date.now() - started < ms) {
    const kind = ITEM_KINDS[i % ITEM_KINDS.length] ?? 'email';
    live.push(
      sim.addItem({
        kind,
        workbinId: WORKBINS[i % WORKBINS.length] ?? 'workitems',
        ownerUserId: OWNER,
      }).id,
    );
    // Steady state: past 200 items, every add also removes the oldest, so that a soak's memory
    // is flat unless something leaks.
    if (live.length > 200) sim.removeItem(live.shift() as string);
    await onTick?.(i);
    i++;
    const due = started + (i * 1000) / rate;
    await sleep(Math.max(0, due - Date.now()));
  }
  return i;
}

async function scenario(
  name: string,
  run: (sim: GwsSimulator, core: LiveWorkbins) => Promise<string>,
  simOptions = { timeout: 2_000, maxInterval: 2_000 },
): Promise<Outcome> {
  const sim = await startSimulator(simOptions);
  const core = new LiveWorkbins({
    baseUrl: new URL(sim.url),
    credentials: { user: 'agent1', password: 'demo' },
    maxNetworkDelay: 1_000,
    backoffIncrement: 250,
    maxBackoff: 2_000,
  });
  core.start();
  try {
    await waitFor(() => core.stats.syncs > 0, 'first sync', 10_000);
    const detail = await run(sim, core);
    try {
      await waitFor(
        () => contents(core.state) === JSON.stringify(sim.truth(OWNER)),
        'state = server truth',
        30_000,
      );
    } catch (error) {
      const why = `status ${core.status.state}, ${core.stats.syncs} syncs, ${diff(core.state, sim)}`;
      throw new Error(`${(error as Error).message}; ${why}`);
    }
    return {
      scenario: name,
      ok: true,
      detail: `${detail}; state = server truth (${core.stats.syncs} syncs)`,
    };
  } catch (error) {
    return { scenario: name, ok: false, detail: (error as Error).message };
  } finally {
    await core.stop();
    await sim.stop();
  }
}

const outcomes: Outcome[] = [];
const log = (o: Outcome) => {
  outcomes.push(o);
  console.error(`${o.ok ? 'ok  ' : 'FAIL'} ${o.scenario}: ${o.detail}`);
};

log(
  await scenario('server restarts during a burst', async (sim) => {
    let restarts = 0;
    const sent = await traffic(sim, 4_000, 400, async (i) => {
      if (i % 500 === 250) {
        restarts++;
        await sim.restart(300);
      }
    });
    return `${sent} items, ${restarts} restarts`;
  }),
);

log(
  await scenario('connection drops during a burst', async (sim) => {
    let drops = 0;
    const sent = await traffic(sim, 3_000, 400, (i) => {
      if (i % 100 === 50) {
        sim.dropConnections();
        drops++;
      }
    });
    return `${sent} items, ${drops} drops`;
  }),
);

log(
  await scenario('server hangs for 3 s during a burst', async (sim, core) => {
    const sent = await traffic(sim, 1_000, 200);
    sim.hang();
    const during = await traffic(sim, 3_000, 100);
    const wasLost = core.status.state === 'reconnecting' || core.status.state === 'offline';
    sim.resume();
    const after = await traffic(sim, 1_000, 200);
    if (!wasLost) throw new Error(`the hang went unnoticed (status ${core.status.state})`);
    return `${sent + during + after} items, hang noticed`;
  }),
);

log(
  await scenario('session expiry during a burst', async (sim) => {
    let expiries = 0;
    const sent = await traffic(sim, 3_000, 300, (i) => {
      if (i % 300 === 100)
        expiries += sim.expireSessions({ userId: OWNER, http: i % 600 === 100 }).cometd;
    });
    return `${sent} items, ${expiries} expiries`;
  }),
);

log(
  await scenario('1,000 malformed or hostile messages (fast-check)', async (sim, core) => {
    const valid = {
      messageType: fc.constant('WorkbinStateChangeMessage'),
      action: fc.constant('ItemAdded'),
      id: fc.constant('workitems'),
    };
    const hostile = fc.oneof(
      fc.anything(),
      fc.record({ messageType: fc.string(), id: fc.anything(), action: fc.anything() }),
      fc.record({
        ...valid,
        emailStateResourceV2: fc.oneof(
          fc.string(),
          fc.integer(),
          fc.constant(null),
          fc.array(fc.anything()),
        ),
      }),
      fc.record({
        ...valid,
        id: fc.oneof(fc.object(), fc.string({ minLength: 300, maxLength: 400 })),
        emailStateResourceV2: fc.record({ id: fc.string() }),
      }),
      fc.constant(
        JSON.parse('{"__proto__":{"polluted":true},"messageType":"WorkbinStateChangeMessage"}'),
      ),
      fc.record({
        ...valid,
        chatStateResourceV2: fc.record({ id: fc.string() }),
        emailStateResourceV2: fc.record({ id: fc.string() }),
      }),
    );
    // Keep only what the parser must refuse; anything valid would (rightly) change the state.
    // `undefined` cannot travel as Bayeux data (the message would carry no data at all).
    const payloads = fc
      .sample(hostile, 3_000)
      .filter((p) => p !== undefined)
      .filter((p) => !parseWorkbinMessage(p, OWNER).ok)
      .slice(0, 1_000);
    const before = core.stats.rejected;
    for (const p of payloads) sim.emitRaw(OWNER, p);
    await waitFor(
      () => core.stats.rejected - before === payloads.length,
      'every message rejected',
      20_000,
    );
    if (({} as Record<string, unknown>).polluted !== undefined)
      throw new Error('Object.prototype was polluted');
    sim.addItem({ kind: 'email', workbinId: 'workitems', ownerUserId: OWNER });
    return `${payloads.length} rejected and counted, core still live`;
  }),
);

{
  const dir = mkdtempSync(join(tmpdir(), 'wbt-faults-'));
  const location = confBackendIn(dir);
  writeFileSync(location.snapshotPath, '{"schema":2,"savedAt":1,"session":');
  writeFileSync(location.settingsPath, '\u0000\u0001not json');
  try {
    const opened = WorkbinCache.open(location);
    const loaded = opened.cache.load();
    const aside = readdirSync(dir).filter((f) => f.includes('.corrupt-'));
    const ok =
      opened.problem?.kind === 'corrupt' &&
      loaded.problem?.kind === 'corrupt' &&
      aside.length === 2 &&
      loaded.snapshot === null;
    log({
      scenario: 'corrupt cache files',
      ok,
      detail: `both moved aside (${aside.length}), reported, started empty`,
    });
  } catch (error) {
    log({
      scenario: 'corrupt cache files',
      ok: false,
      detail: `crashed: ${(error as Error).message}`,
    });
  }
}

log(
  await scenario(`soak: ${SOAK_SECONDS} s at 100 messages/s`, async (sim) => {
    await traffic(sim, 3_000, 100); // warm-up, so that the baseline includes steady-state caches
    const start = heapMb();
    const sent = await traffic(sim, SOAK_SECONDS * 1000, 100);
    const end = heapMb();
    const growth = end - start;
    if (growth > 8)
      throw new Error(
        `heap grew ${growth.toFixed(1)} MB (${start.toFixed(1)} → ${end.toFixed(1)})`,
      );
    return `${sent} items, heap ${start.toFixed(1)} → ${end.toFixed(1)} MB`;
  }),
);

const failed = outcomes.filter((o) => !o.ok);
console.log(`faults: ${outcomes.length - failed.length} passed, ${failed.length} failed`);
process.exit(failed.length === 0 ? 0 : 1);
