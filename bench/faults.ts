/**
 * `npm run faults [-- --short] [-- --seed N]`: the core against a misbehaving server. Every
 * scenario ends by comparing the core's state with the simulator's truth (nothing lost,
 * nothing extra, no crash) and with an `online` status, and prints how the items it added
 * reached the core: `live N/M` pushed over CometD, `repaired K` found only by a REST load.
 * The soak also checks that memory stays flat. `--short` (part of `npm test`) runs the soak
 * for 15 s instead of 10 min.
 */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { confBackendIn } from '../main/cache/conf-backend.js';
import { WorkbinCache } from '../main/cache/workbin-cache.js';
import { LiveWorkbins, type LiveWorkbinsOptions } from '../main/workbins/live-workbins.js';
import type { WorkbinState } from '../main/workbins/state.js';
import { startSimulator, waitFor } from '../sim/harness.js';
import type { SimulatorOptions } from '../sim/simulator.js';
import { GwsSimulator } from '../sim/simulator.js';

const short = process.argv.includes('--short');
const SOAK_SECONDS = short ? 15 : 600;
const seedArg = process.argv.indexOf('--seed');
const SEED = seedArg > 0 ? Number(process.argv[seedArg + 1]) : Date.now() % 2 ** 31;
const OWNER = 'u-agent1';
const WORKBINS = ['email-draft', 'email-inprogress', 'social-inbox', 'workitems'];
const KINDS = ['chat', 'email', 'facebook', 'tweet', 'facebooksession', 'workitem', 'openmedia'];
/** GWS's field names, spelled here again: the hostile oracle must not share the parser's. */
const RESOURCE_FIELDS = [
  'chatStateResourceV2',
  'emailStateResourceV2',
  'facebookStateResourceV2',
  'tweetStateResourceV2',
  'facebooksessionStateResourceV2',
  'workitemStateResourceV2',
  'openmediaStateResourceV2',
];

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
  const want = sim.truth(OWNER);
  const have = JSON.parse(contents(state)) as Record<string, string[]>;
  let missing = 0;
  let extra = 0;
  for (const [workbin, ids] of Object.entries(want)) {
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

/**
 * Adds (and past 200 items also removes) items at about `rate` per second for `ms`, with
 * `subject(i)` as the i-th item's subject where given.
 */
async function traffic(
  sim: GwsSimulator,
  ms: number,
  rate: number,
  onTick?: (i: number, live: readonly string[]) => void | Promise<void>,
  subject?: (i: number) => string,
) {
  const started = Date.now();
  let i = 0;
  const live: string[] = [];
  while (Date.now() - started < ms) {
    const kind = (KINDS[i % KINDS.length] ?? 'email') as 'email';
    live.push(
      sim.addItem({
        kind,
        workbinId: WORKBINS[i % WORKBINS.length] ?? 'workitems',
        ownerUserId: OWNER,
        ...(subject && { subject: subject(i) }),
      }).id,
    );
    // Steady state: past 200 items, every add also removes the oldest, so that a soak's memory
    // is flat unless something leaks.
    if (live.length > 200) sim.removeItem(live.shift() as string);
    await onTick?.(i, live);
    i++;
    const due = started + (i * 1000) / rate;
    await sleep(Math.max(0, due - Date.now()));
  }
  return i;
}

interface ScenarioOptions {
  readonly sim?: SimulatorOptions;
  readonly core?: Partial<LiveWorkbinsOptions>;
}

/**
 * How the items added during a scenario reached the core: pushed live, or only found by a
 * load. An item removed before the core could see it counts in neither.
 */
function tally(sim: GwsSimulator, core: LiveWorkbins) {
  // Only the ids the core has not seen yet are kept: the soak weighs this process's heap, and
  // a set of every id it ever added grew by 7 MB in ten minutes, nearly the leak it looks for.
  const underway = new Set<string>();
  let added = 0;
  let pushed = 0;
  let repaired = 0;
  // The store's own add: items the server never announces count too.
  const addItem = sim.store.addItem.bind(sim.store);
  sim.store.addItem = (spec) => {
    const item = addItem(spec);
    underway.add(item.id);
    added++;
    return item;
  };
  // The core adds an item once (a later ItemAdded for it is an update): its first arrival
  // says how it came.
  core.on('changes', ({ changes }) => {
    for (const change of changes) {
      if (change.type !== 'item-added' || !underway.delete(change.item.id)) continue;
      if (change.live) pushed++;
      else repaired++;
    }
  });
  return () => `live ${pushed}/${added}, repaired ${repaired}`;
}

async function scenario(
  name: string,
  run: (sim: GwsSimulator, core: LiveWorkbins) => Promise<string>,
  options: ScenarioOptions = {},
): Promise<Outcome> {
  const sim = await startSimulator({ timeout: 2_000, maxInterval: 2_000, ...options.sim });
  const core = new LiveWorkbins({
    baseUrl: new URL(sim.url),
    credentials: { user: 'agent1', password: 'demo' },
    maxNetworkDelay: 1_000,
    backoffIncrement: 250,
    maxBackoff: 2_000,
    maxSyncRetry: 2_000,
    ...options.core,
  });
  core.start();
  try {
    await waitFor(() => core.stats.syncs > 0, 'first sync', 10_000);
    const counts = tally(sim, core);
    const detail = await run(sim, core);
    try {
      await waitFor(
        () =>
          contents(core.state) === JSON.stringify(sim.truth(OWNER)) &&
          core.status.state === 'online',
        'state = server truth, online',
        30_000,
      );
    } catch (error) {
      const why = `status ${core.status.state}, ${core.stats.syncs} syncs, ${diff(core.state, sim)}`;
      throw new Error(`${(error as Error).message}; ${why}`);
    }
    return {
      scenario: name,
      ok: true,
      detail: `${detail}; ${counts()}; state = server truth (${core.stats.syncs} syncs)`,
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

console.error(`faults: fast-check seed ${SEED} (replay with -- --seed ${SEED})`);

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
  await scenario(
    'channel subscribe refused after each new session (never online while deaf)',
    async (sim, core) => {
      let deafOnline = 0;
      core.on('status', (s) => {
        if (s.state === 'online' && !sim.subscribedUsers().includes(OWNER)) deafOnline++;
      });
      let refusals = 0;
      const sent = await traffic(sim, 3_000, 200, (i) => {
        if (i % 200 === 50) {
          sim.failChannelSubscribes(2);
          refusals += 2;
          sim.expireSessions({ userId: OWNER });
        }
      });
      if (deafOnline > 0) throw new Error(`online ${deafOnline} time(s) while not subscribed`);
      return `${sent} items, ${refusals} subscribes refused, never online while deaf`;
    },
    { sim: { behaviour: { subscriptionsEndWithCometd: true } } },
  ),
);

log(
  await scenario(
    'HTTP session expiry with slow sign-in, CSRF only at sign-in and on CometD (no sign-in storm)',
    async (sim, core) => {
      const before = sim.sessions.created;
      let expiries = 0;
      const sent = await traffic(sim, 3_000, 200, (i) => {
        if (i % 200 === 100) {
          expiries++;
          sim.sessions.invalidate();
          core.resync();
        }
      });
      await waitFor(() => core.status.state === 'online', 'online', 10_000);
      const signIns = sim.sessions.created - before;
      if (signIns > expiries)
        throw new Error(`${signIns} sign-ins for ${expiries} expired sessions`);
      return `${sent} items, ${expiries} expiries, ${signIns} sign-ins`;
    },
    {
      sim: {
        behaviour: {
          signInDelay: 150,
          csrfOnlyAtSignIn: true,
          csrfOnNotifications: true,
        },
      },
    },
  ),
);

log(
  await scenario(
    'contents loads failing during resyncs (never synced while partial)',
    async (sim, core) => {
      let degraded = 0;
      let syncedWhileFailing = 0;
      core.on('status', (s) => {
        if (s.state === 'degraded') degraded++;
      });
      core.on('synced', () => {
        if (core.status.state !== 'online') syncedWhileFailing++;
      });
      let failures = 0;
      const sent = await traffic(sim, 3_000, 200, (i) => {
        if (i % 150 === 75) {
          sim.failContentsLoads(WORKBINS[failures % WORKBINS.length] ?? 'workitems');
          failures++;
          core.resync();
        }
      });
      if (degraded === 0) throw new Error('a failed load never showed as degraded');
      if (syncedWhileFailing > 0) throw new Error('synced was reported with a load failing');
      return `${sent} items, ${failures} failed loads, degraded ${degraded}×`;
    },
  ),
);

log(
  await scenario(
    'Subscribed answers without referenceId, some after the wait',
    async (sim) => {
      let expiries = 0;
      const sent = await traffic(sim, 3_000, 200, (i) => {
        if (i % 200 === 100) expiries += sim.expireSessions({ userId: OWNER }).cometd;
      });
      return `${sent} items, ${expiries} resyncs with late answers`;
    },
    {
      sim: { behaviour: { referenceIdInAnswers: false, subscriptionDelay: 900 } },
      core: { subscribeTimeout: 400 },
    },
  ),
);

log(
  await scenario('overlapping reconnects (resume and unlock at once)', async (sim, core) => {
    const before = sim.sessions.created;
    let bursts = 0;
    const sent = await traffic(sim, 3_000, 200, (i) => {
      if (i % 150 === 75) {
        bursts++;
        void Promise.all([core.reconnectNow(), core.reconnectNow(), core.reconnectNow()]);
      }
    });
    await waitFor(() => core.status.state === 'online', 'online', 10_000);
    const signIns = sim.sessions.created - before;
    if (signIns > 0) throw new Error(`${signIns} sign-ins for reconnects of a valid session`);
    return `${sent} items, ${bursts}×3 reconnects, no sign-in`;
  }),
);

log(
  await scenario('items changed while held (updates reach the state)', async (sim, core) => {
    const updated = new Map<string, string>();
    const sent = await traffic(sim, 2_000, 200, (i, live) => {
      const id = live[(i * 7) % live.length];
      const subject = `changed at tick ${i}`;
      if (id && i % 3 === 0 && sim.updateItem(id, subject)) updated.set(id, subject);
    });
    const stale = () =>
      [...updated].filter(([id, subject]) => {
        const item = sim.store.items.get(id);
        const held = item && core.state.workbins.get(`${OWNER}/${item.workbinId}`)?.items.get(id);
        return item !== undefined && held?.summary !== subject;
      }).length;
    await waitFor(() => stale() === 0, 'every update held', 10_000).catch(() => {
      throw new Error(`${stale()} of ${updated.size} updates not in the state`);
    });
    return `${sent} items, ${updated.size} updated, all held with their new subject`;
  }),
);

log(
  await scenario(
    'replies cut into packets of 1-800 bytes, subjects in other scripts (nothing garbled)',
    async (sim, core) => {
      // Packets of 400 bytes on average, a ms apart: some 400 kB/s, three times what 100
      // items a second need, so the link keeps up; a subject is cut in one reply of several.
      sim.behave({ packetBytes: 400 });
      const subjects = new Map<string, string>();
      const subjectOf = (i: number) =>
        `Заказ ${i} — 注文の件 ${'請求書'.repeat(10)} ${'📦'.repeat(1 + (i % 5))} Ü`;
      const sent = await traffic(
        sim,
        2_000,
        100,
        (i, live) => {
          const id = live.at(-1);
          if (id) subjects.set(id, subjectOf(i));
        },
        subjectOf,
      );
      // A summary is the subject, or a social kind's text: the same words here. The demo's
      // own items are not among those sent.
      const garbled = () =>
        [...sim.store.items.values()].filter((item) => {
          const sentAs = subjects.get(item.id);
          const held = core.state.workbins.get(`${OWNER}/${item.workbinId}`)?.items.get(item.id);
          return sentAs !== undefined && held !== undefined && held.summary !== sentAs;
        }).length;
      await waitFor(() => garbled() === 0, 'every subject held as sent', 10_000).catch(() => {
        throw new Error(`${garbled()} subjects held otherwise than sent`);
      });
      return `${sent} items in packets of 1-800 bytes, every subject held as sent`;
    },
  ),
);

/**
 * The independent oracle for hostile input: which messages GWS's documentation makes
 * acceptable, decided from the raw JSON (as Bayeux delivers it) without our parser.
 */
function acceptable(sent: unknown): boolean {
  const message = JSON.parse(JSON.stringify(sent) ?? 'null') as unknown;
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  const isId = (v: unknown) =>
    (typeof v === 'string' && v.length > 0 && v.length <= 256) ||
    (typeof v === 'number' && Number.isFinite(v));
  if (!isObject(message)) return false;
  if (message.messageType !== 'WorkbinStateChangeMessage') return false;
  if (message.action !== 'ItemAdded' && message.action !== 'ItemRemoved') return false;
  if (!isId(message.id) || !WORKBINS.includes(String(message.id))) return false;
  if (message.workbinUserId !== undefined && message.workbinUserId !== OWNER) return false;
  const fields = RESOURCE_FIELDS.filter((f) => message[f] !== undefined);
  if (fields.length !== 1) return false;
  const resource = message[fields[0] as string];
  return isObject(resource) && isId(resource.id);
}

log(
  await scenario(
    '1,000 hostile messages, valid and invalid (fast-check, independent oracle)',
    async (sim, core) => {
      const resource = fc.oneof(
        fc.record({ id: fc.oneof(fc.string({ maxLength: 300 }), fc.integer(), fc.boolean()) }),
        {
          weight: 3,
          arbitrary: fc.record({
            id: fc.string({ minLength: 1, maxLength: 20 }),
            subject: fc.oneof(fc.string({ maxLength: 5_000 }), fc.anything()),
            userData: fc.oneof(fc.object(), fc.anything()),
          }),
        },
        fc.anything(),
      );
      const shaped = fc
        .record({
          messageType: fc.constantFrom(
            'WorkbinStateChangeMessage',
            'WorkbinStateChangeMessage',
            'WorkbinStateChangeMessage ',
          ),
          action: fc.constantFrom('ItemAdded', 'ItemAdded', 'ItemRemoved', 'ItemMoved'),
          id: fc.oneof(
            { weight: 4, arbitrary: fc.constantFrom(...WORKBINS) },
            fc.constantFrom('not-listed', ''),
            fc.boolean(),
            fc.integer(),
          ),
          workbinUserId: fc.option(fc.constantFrom(OWNER, 'u-agent2', ''), {
            nil: undefined,
            freq: 3,
          }),
          field: fc.constantFrom(...RESOURCE_FIELDS),
          second: fc.option(fc.constantFrom(...RESOURCE_FIELDS), { nil: undefined, freq: 4 }),
          resource,
        })
        .map(({ field, second, resource: r, ...rest }) => ({
          ...rest,
          [field]: r,
          ...(second !== undefined && second !== field && { [second]: { id: 'x' } }),
        }));
      const message = fc.oneof(
        fc.anything(),
        fc.record({ messageType: fc.string(), id: fc.anything(), action: fc.anything() }),
        { weight: 6, arbitrary: shaped },
        fc.constant(
          JSON.parse('{"__proto__":{"polluted":true},"messageType":"WorkbinStateChangeMessage"}'),
        ),
      );
      // `undefined` cannot travel as Bayeux data (the message would carry no data at all).
      const payloads = fc
        .sample(message, { numRuns: 1_200, seed: SEED })
        .filter((p) => p !== undefined)
        .slice(0, 1_000);
      const refused = payloads.filter((p) => !acceptable(p)).length;
      const before = { rejected: core.stats.rejected, messages: core.stats.messages };
      for (const p of payloads) sim.emitRaw(OWNER, p);
      await waitFor(
        () => core.stats.messages - before.messages === payloads.length,
        'every message received',
        20_000,
      );
      const rejected = core.stats.rejected - before.rejected;
      if (rejected !== refused)
        throw new Error(`the oracle refuses ${refused}, the core rejected ${rejected}`);
      if (({} as Record<string, unknown>).polluted !== undefined)
        throw new Error('Object.prototype was polluted');
      // What the hostile server injected is not the truth: a resync repairs it.
      core.resync();
      sim.addItem({ kind: 'email', workbinId: 'workitems', ownerUserId: OWNER });
      return `${payloads.length} sent, ${payloads.length - rejected} accepted and ${rejected} rejected as the oracle says, core still live`;
    },
  ),
);

log(
  await scenario(
    'old ItemAdded redelivered during slow loads (no resurrection)',
    async (sim, core) => {
      let redelivered = 0;
      const sent = await traffic(sim, 3_000, 100, async (i, live) => {
        if (i % 60 !== 30) return;
        const id = live[live.length - 1];
        const item = id ? sim.store.items.get(id) : undefined;
        if (!item) return;
        await waitFor(
          () => core.state.workbins.get(`${OWNER}/${item.workbinId}`)?.items.has(item.id),
          'seen',
          5_000,
        );
        sim.removeItem(item.id);
        await waitFor(
          () => !core.state.workbins.get(`${OWNER}/${item.workbinId}`)?.items.has(item.id),
          'gone',
          5_000,
        );
        core.resync();
        await sleep(100);
        sim.emitRaw(OWNER, {
          messageType: 'WorkbinStateChangeMessage',
          action: 'ItemAdded',
          id: item.workbinId,
          [`${item.kind}StateResourceV2`]: item.resource,
        });
        redelivered++;
      });
      return `${sent} items, ${redelivered} old adds redelivered`;
    },
    { sim: { behaviour: { contentsDelay: 300 } }, core: { safetyResyncMs: 0 } },
  ),
);

log(
  await scenario(
    'items the server never announces (safety resync)',
    async (sim) => {
      let silent = 0;
      const sent = await traffic(sim, 3_000, 100, (i) => {
        if (i % 50 === 25) {
          sim.store.addItem({ kind: 'workitem', workbinId: 'workitems', ownerUserId: OWNER });
          silent++;
        }
      });
      return `${sent} items, ${silent} never announced`;
    },
    { core: { safetyResyncMs: 1_000 } },
  ),
);

{
  const name = 'stop during a sync (nothing fires afterwards)';
  const sim = new GwsSimulator({ behaviour: { subscriptionDelay: 2_000, contentsDelay: 200 } });
  await sim.start();
  const core = new LiveWorkbins({
    baseUrl: new URL(sim.url),
    credentials: { user: 'agent1', password: 'demo' },
    subscribeTimeout: 500,
  });
  let after = 0;
  let stopped = false;
  for (const event of ['status', 'changes', 'problem', 'synced'] as const)
    core.on(event, () => {
      if (stopped) after++;
    });
  core.start();
  try {
    await waitFor(() => core.state.workbins.size === 4, 'listed', 10_000);
    await core.stop();
    stopped = true;
    await sleep(2_500);
    log({
      scenario: name,
      ok: after === 0 && sim.cometdSessionCount() === 0,
      detail: `${after} events after stop, ${sim.cometdSessionCount()} CometD sessions left`,
    });
  } catch (error) {
    log({ scenario: name, ok: false, detail: (error as Error).message });
  } finally {
    await sim.stop();
  }
}

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
