/**
 * The live feed under the failures a real GWS and a real network produce: each test is one
 * way the core could look healthy while it hears nothing, or call a partial load synced.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, waitFor } from '../../sim/harness.js';
import type { GwsSimulator } from '../../sim/simulator.js';
import { workbinKey } from '../contract/keys.js';
import type { ConnectionStatus } from '../contract/status.js';
import { LiveWorkbins, type LiveWorkbinsOptions } from './live-workbins.js';
import { DEFAULT_LIMITS, reduce, type WorkbinChange } from './state.js';
import { contentsOf, fastCoreOptions } from './test-support.js';

let sim: GwsSimulator;
let core: LiveWorkbins | undefined;
let statuses: ConnectionStatus[];
let changes: WorkbinChange[];
let problems: Array<{ during: string; kind: string }>;
let rejected: Array<{ reason: string }>;
let syncs: number;

beforeEach(async () => {
  sim = await startSimulator({ timeout: 1_000, maxInterval: 2_000 });
  statuses = [];
  changes = [];
  problems = [];
  rejected = [];
  syncs = 0;
});

afterEach(async () => {
  await core?.stop();
  core = undefined;
  await sim.stop();
});

function start(user = 'agent1', options: Partial<LiveWorkbinsOptions> = {}): LiveWorkbins {
  const c = new LiveWorkbins({
    ...fastCoreOptions(sim.url, user),
    offlineAfter: 1_000,
    ...options,
  });
  core = c;
  c.on('status', (s) => statuses.push(s));
  c.on('changes', (ch) => changes.push(...ch.changes));
  c.on('problem', ({ during, error }) => problems.push({ during, kind: error.kind }));
  c.on('rejected', ({ reason }) => rejected.push({ reason }));
  c.on('synced', () => syncs++);
  c.start();
  return c;
}

async function converged(c: LiveWorkbins, owner = 'u-agent1'): Promise<void> {
  await waitFor(
    () => JSON.stringify(contentsOf(c.state, owner)) === JSON.stringify(sim.truth(owner)),
    'state = server truth',
    10_000,
  );
}

const online = (c: LiveWorkbins) =>
  waitFor(() => c.status.state === 'online' && !c.status.syncing, 'online and synced', 10_000);

describe('never online while deaf', () => {
  it('subscribes to /v2/me/workbins again after a refused subscribe, and only then is online', async () => {
    sim.failChannelSubscribes(2);
    let onlineWhileDeaf = false;
    const c = start();
    c.on('status', (s) => {
      if (s.state === 'online' && !sim.subscribedUsers().includes('u-agent1'))
        onlineWhileDeaf = true;
    });
    await online(c);
    expect(onlineWhileDeaf).toBe(false);
    await waitFor(() => sim.watchedWorkbins('u-agent1').length === 4, 'workbins subscribed');
    const item = sim.addItem({ kind: 'chat', workbinId: 'workitems', subject: 'heard' });
    await waitFor(
      () => changes.find((ch) => ch.type === 'item-added' && ch.live && ch.item.id === item.id),
      'the item, pushed live',
    );
  });

  it('re-subscribes the channel when the server takes the session away and back', async () => {
    const c = start('agent1', { subscribeTimeout: 2_000 });
    await online(c);
    sim.failChannelSubscribes(1);
    sim.expireSessions({ userId: 'u-agent1' });
    await waitFor(() => statuses.some((s) => s.state === 'reconnecting'), 'reconnecting');
    await online(c);
    expect(sim.subscribedUsers()).toContain('u-agent1');
  });

  it('cuts off a CometD reply past its bound, says so, and recovers with a new session and a resync', async () => {
    const c = start('agent1', { maxReplyBytes: 50_000 });
    await online(c);
    const rejectedBefore = c.stats.rejected;
    const syncsBefore = c.stats.syncs;
    const heard = statuses.length;
    // One notification of 200 kB: past the bound, so the long poll carrying it is cut off.
    sim.emitRaw('u-agent1', {
      messageType: 'WorkbinStateChangeMessage',
      padding: 'x'.repeat(200_000),
    });
    await waitFor(
      () => problems.some((p) => p.during === 'notifications' && p.kind === 'protocol'),
      'the cut-off reported',
    );
    await waitFor(
      () => statuses.slice(heard).some((status) => status.state !== 'online'),
      'no longer online',
    );
    // The server would resend the unacknowledged batch to this session forever: a new session
    // leaves it behind, and a resync proves the state current before it says online.
    await waitFor(
      () => c.status.state === 'online' && c.stats.syncs > syncsBefore,
      'online',
      10_000,
    );
    // The oversize message itself was never read (it would have been rejected as malformed).
    expect(c.stats.rejected).toBe(rejectedBefore);
  });

  it('recovers from a burst too large for one reply: every item arrives, through the resync', async () => {
    const c = start('agent1', { maxReplyBytes: 200_000 });
    await online(c);
    await waitFor(() => sim.watchedWorkbins('u-agent1').length === 4, 'subscribed');
    // About 1 kB a notification: 2,000 at once cannot fit in one 200 kB reply.
    for (let i = 0; i < 2_000; i++)
      sim.addItem({ kind: 'email', workbinId: 'workitems', subject: `burst ${i}` });
    await waitFor(
      () =>
        c.state.workbins.get('u-agent1/workitems')?.items.size ===
        sim.truth('u-agent1').workitems?.length,
      'all of the burst held',
      20_000,
    );
    await waitFor(() => c.status.state === 'online', 'online');
  });
});

describe('what the server sent is what is held', () => {
  it('holds subjects in other scripts intact when a large reply comes in several packets', async () => {
    const c = start();
    await online(c);
    await waitFor(() => sim.watchedWorkbins('u-agent1').length === 4, 'subscribed');
    // One burst, one reply of hundreds of kilobytes, read in many chunks: with three-byte
    // characters throughout, nearly every chunk ends inside one.
    const sent = Array.from({ length: 300 }, (_, i) => `注文の件 ${i} ${'請求書'.repeat(60)}`);
    for (const subject of sent) sim.addItem({ kind: 'email', workbinId: 'workitems', subject });
    await converged(c);
    const held = [...(c.state.workbins.get('u-agent1/workitems')?.items.values() ?? [])]
      .map((item) => item.summary)
      .filter((summary) => summary.startsWith('注文'));
    expect(held.sort()).toEqual(sent.sort());
  });
});

describe('honest sync', () => {
  it('reports a failed load as degraded with the workbin named, retries it, and only then says synced', async () => {
    sim.failContentsLoads('workitems', 1);
    const c = start();
    await waitFor(() => c.status.state === 'degraded', 'degraded', 10_000);
    const degraded = c.status;
    if (degraded.state !== 'degraded') throw new Error('not degraded');
    expect(degraded.problems.map((p) => p.workbinKey)).toEqual(['u-agent1/workitems']);
    expect(syncs).toBe(0);
    await online(c);
    expect(syncs).toBe(1);
    await converged(c);
  });

  it('retries one failed workbin at once when asked, without waiting for the backoff', async () => {
    sim.failContentsLoads('workitems', 1);
    const c = start('agent1', { backoffIncrement: 60_000, maxSyncRetry: 60_000 });
    await waitFor(() => c.status.state === 'degraded', 'degraded', 10_000);
    c.retryWorkbin('u-agent1/workitems');
    await online(c);
    await converged(c);
  });

  it('does not wait for referenceIds GWS does not send', async () => {
    // POST /api/v2/me/workbins?workbinIds=a,b {"operationName":"Subscribe"} answers
    // {"statusCode":0,"referenceIds":{"a":56,"b":57}}, then on /v2/me/workbins
    // {"stateResource":"Subscribed","id":"a","messageType":"WorkbinSubscriptionStateChangeMessage"}
    // with no referenceId (GWS 8.5.2 API, "Subscribe to workbin notifications").
    expect(sim.behaviour.referenceIdInAnswers).toBe(false);
    const c = start('agent1', { subscribeTimeout: 60_000 });
    await online(c);
    expect(syncs).toBe(1);
    expect(problems).toEqual([]);
  });

  it('reloads a workbin whose Subscribed answer came after the wait, catching what fell between', async () => {
    sim.behave({ subscriptionDelay: 800 });
    const c = start('agent1', { subscribeTimeout: 150 });
    await waitFor(
      () =>
        c.state.workbins.size === 4 &&
        [...c.state.workbins.values()].every((v) => v.syncedAt !== null),
      'loaded before the subscriptions took effect',
    );
    expect(sim.watchedWorkbins('u-agent1')).toEqual([]);
    sim.addItem({ kind: 'email', workbinId: 'workitems', subject: 'between load and stream' });
    await converged(c);
    await online(c);
  });

  it('catches silent loss with the periodic safety resync', async () => {
    const c = start('agent1', { safetyResyncMs: 400 });
    await online(c);
    // The server holds an item it never announced: only a resync can find it.
    sim.store.addItem({ kind: 'workitem', workbinId: 'workitems', subject: 'never pushed' });
    await converged(c);
  });
});

describe('strict scope', () => {
  const added = (workbinId: string, extra: Record<string, unknown> = {}) => ({
    messageType: 'WorkbinStateChangeMessage',
    action: 'ItemAdded',
    id: workbinId,
    emailStateResourceV2: { id: `stray-${workbinId}`, subject: 'stray' },
    ...extra,
  });

  it('counts messages for unlisted workbins or unwatched owners as unsolicited, creating nothing', async () => {
    const c = start();
    await online(c);
    const keys = [...c.state.workbins.keys()].sort();
    sim.emitRaw('u-agent1', added('not-listed'));
    sim.emitRaw('u-agent1', added('workitems', { workbinUserId: 'u-agent2' }));
    sim.emitRaw('u-agent1', {
      messageType: 'WorkbinSubscriptionStateChangeMessage',
      id: 'phantom',
      stateResource: 'Subscribed',
    });
    await waitFor(() => rejected.length === 3, 'three rejected');
    expect(rejected.map((r) => r.reason)).toEqual(['unsolicited', 'unsolicited', 'unsolicited']);
    expect([...c.state.workbins.keys()].sort()).toEqual(keys);
  });

  it('prunes cached workbins of owners it no longer watches', async () => {
    const initialState = reduce({ workbins: new Map() }, [
      {
        type: 'workbins-listed',
        ownerUserId: 'u-gone',
        workbins: [{ id: 'old', ownerUserId: 'u-gone', displayName: 'Old', type: 'Agent' }],
      },
    ]).state;
    const c = start('agent1', { initialState });
    await online(c);
    expect(c.state.workbins.has(workbinKey('u-gone', 'old'))).toBe(false);
  });
});

describe('a server that sends too much', () => {
  it('holds at most the bound per workbin, the newest, and says so in the log', async () => {
    const c = start('agent1', { limits: { ...DEFAULT_LIMITS, itemsPerWorkbin: 2 } });
    await online(c);
    const inbox = c.state.workbins.get('u-agent1/social-inbox');
    expect(sim.truth('u-agent1')['social-inbox']).toHaveLength(3);
    expect(inbox?.items.size).toBe(2);
    expect(inbox?.dropped).toBe(1);
    expect(problems).toContainEqual({ during: 'hold workbin social-inbox', kind: 'protocol' });
  });

  it('holds at most retainedBytes in all, the newest, as items arrive over CometD', async () => {
    const retainedBytes = 40_000;
    const c = start('agent1', { limits: { ...DEFAULT_LIMITS, retainedBytes } });
    await online(c);
    await waitFor(() => sim.watchedWorkbins('u-agent1').length === 4, 'subscribed');
    const held = () => {
      let total = 0;
      for (const view of c.state.workbins.values()) total += view.bytes;
      return total;
    };
    // Subjects of 4,000 characters (the longest a message may carry): about 8 kB each in
    // memory, five fill the bound.
    let last = '';
    // Received a second apart: which is newest is not left to a tie.
    const at = Date.now();
    for (let i = 0; i < 8; i++)
      last = sim.addItem({
        kind: 'email',
        workbinId: 'workitems',
        subject: `${i}`.repeat(4_000),
        receivedDate: new Date(at + i * 1_000).toISOString(),
      }).id;
    await waitFor(() => c.state.workbins.get('u-agent1/workitems')?.items.has(last), 'the last');
    expect(held()).toBeLessThanOrEqual(retainedBytes);
    const workitems = c.state.workbins.get('u-agent1/workitems');
    expect(workitems?.dropped).toBeGreaterThan(0);
    expect(problems).toContainEqual({ during: 'hold workbin workitems', kind: 'protocol' });
  });
});

describe('replay during a load', () => {
  it('does not resurrect an item removed before the load when an old ItemAdded is redelivered', async () => {
    const c = start();
    await online(c);
    await waitFor(() => sim.watchedWorkbins('u-agent1').length === 4, 'subscribed');
    const item = sim.addItem({ kind: 'email', workbinId: 'workitems', subject: 'short-lived' });
    await waitFor(() => c.state.workbins.get('u-agent1/workitems')?.items.has(item.id), 'added');
    sim.removeItem(item.id);
    await waitFor(() => !c.state.workbins.get('u-agent1/workitems')?.items.has(item.id), 'gone');
    // A resync whose loads take a while; during it, the old ItemAdded arrives again (as an
    // at-least-once redelivery would bring it).
    sim.behave({ contentsDelay: 300 });
    c.resync();
    await new Promise((resolve) => setTimeout(resolve, 100));
    sim.emitRaw('u-agent1', {
      messageType: 'WorkbinStateChangeMessage',
      action: 'ItemAdded',
      id: 'workitems',
      emailStateResourceV2: item.resource,
    });
    await waitFor(() => syncs >= 2, 'the resync');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(c.state.workbins.get('u-agent1/workitems')?.items.has(item.id)).toBe(false);
  });
});

describe('bookkeeping dies with its run', () => {
  it('fires no timer and reports nothing after stop', async () => {
    sim.behave({ subscriptionDelay: 5_000 });
    const c = start('agent1', { subscribeTimeout: 300 });
    await waitFor(() => c.state.workbins.size === 4, 'listed');
    await c.stop();
    const after = problems.length;
    const statusesAfter = statuses.length;
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(problems.length).toBe(after);
    expect(statuses.length).toBe(statusesAfter);
  });

  it('renews the CometD CSRF header after a REST sign-in, so no second sign-in follows', async () => {
    sim.behave({ csrfOnNotifications: true });
    const c = start();
    await online(c);
    const before = sim.sessions.created;
    sim.sessions.invalidate();
    c.resync();
    await waitFor(() => syncs >= 2, 'resynced');
    const item = sim.addItem({ kind: 'chat', workbinId: 'workitems' });
    await waitFor(
      () => changes.find((ch) => ch.type === 'item-added' && ch.item.id === item.id),
      'live again',
    );
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(sim.sessions.created - before).toBe(1);
  });

  it('survives overlapping reconnects without losing its cookie', async () => {
    const c = start();
    await online(c);
    const before = sim.sessions.created;
    await Promise.all([c.reconnectNow(), c.reconnectNow(), c.reconnectNow()]);
    await online(c);
    const item = sim.addItem({ kind: 'chat', workbinId: 'workitems' });
    await waitFor(
      () => changes.find((ch) => ch.type === 'item-added' && ch.item.id === item.id),
      'live after the reconnects',
    );
    expect(sim.sessions.created - before).toBe(0);
  });
});
