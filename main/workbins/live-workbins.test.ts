import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, waitFor } from '../../sim/harness.js';
import type { GwsSimulator } from '../../sim/simulator.js';
import { ITEM_KINDS } from '../contract/kinds.js';
import type { ConnectionStatus } from '../contract/status.js';
import { LiveWorkbins, type LiveWorkbinsOptions } from './live-workbins.js';
import type { WorkbinChange } from './state.js';
import { contentsOf, fastCoreOptions } from './test-support.js';

let sim: GwsSimulator;
let core: LiveWorkbins | undefined;
let statuses: ConnectionStatus[];
let changes: WorkbinChange[];

beforeEach(async () => {
  sim = await startSimulator({ timeout: 1_000, maxInterval: 2_000 });
  statuses = [];
  changes = [];
});

afterEach(async () => {
  await core?.stop();
  core = undefined;
  await sim.stop();
});

function start(user = 'agent1', options: Partial<LiveWorkbinsOptions> = {}): LiveWorkbins {
  core = new LiveWorkbins({
    ...fastCoreOptions(sim.url, user),
    offlineAfter: 1_000,
    ...options,
  });
  core.on('status', (s) => statuses.push(s));
  core.on('changes', (c) => changes.push(...c.changes));
  core.start();
  return core;
}

async function converged(
  c: LiveWorkbins,
  owner = 'u-agent1',
  what = 'state = server truth',
): Promise<void> {
  await waitFor(
    () => JSON.stringify(contentsOf(c.state, owner)) === JSON.stringify(sim.truth(owner)),
    what,
    10_000,
  );
}

async function synced(c: LiveWorkbins, count = 1): Promise<void> {
  await waitFor(() => c.stats.syncs >= count, `${count} sync(s)`, 10_000);
}

describe('LiveWorkbins against the simulator', () => {
  it('signs in, loads every workbin, subscribes, and goes online', async () => {
    const c = start();
    await synced(c);
    expect(contentsOf(c.state, 'u-agent1')).toEqual(sim.truth('u-agent1'));
    await waitFor(
      () => [...c.state.workbins.values()].every((v) => v.subscription === 'subscribed'),
      'subscribed',
    );
    expect(c.status).toMatchObject({ state: 'online', syncing: false });
    expect(statuses[0]?.state).toBe('connecting');
    expect(changes.some((ch) => ch.type === 'item-added' && ch.live)).toBe(false);
  });

  it('applies live adds and removes of all seven kinds', async () => {
    const c = start();
    await synced(c);
    await waitFor(() => sim.watchedWorkbins('u-agent1').length === 4, 'server-side subscriptions');
    const ids = ITEM_KINDS.map((kind) => sim.addItem({ kind, workbinId: 'social-inbox' }).id);
    await converged(c);
    const live = changes
      .filter((ch) => ch.type === 'item-added' && ch.live)
      .map((ch) => ch.type === 'item-added' && ch.item.kind);
    expect(live.sort()).toEqual([...ITEM_KINDS].sort());
    for (const id of ids) sim.removeItem(id);
    await converged(c);
    expect(changes.filter((ch) => ch.type === 'item-removed' && ch.live)).toHaveLength(7);
  });

  it('shows a failed subscription and a later RequestFailed', async () => {
    sim.setSubscriptionFailure('workitems', true);
    const c = start();
    await waitFor(
      () => c.state.workbins.get('u-agent1/workitems')?.subscription === 'failed',
      'failed subscription',
    );
    expect(changes).toContainEqual({
      type: 'subscription-failed',
      key: 'u-agent1/workitems',
      reason: 'Subscription failed',
    });
    sim.emitRequestFailed('u-agent1', { workbinId: 'email-draft' }, 'Backend gone');
    await waitFor(
      () => c.state.workbins.get('u-agent1/email-draft')?.failure === 'Backend gone',
      'RequestFailed',
    );
  });

  it('stops at signed-out when the credentials are rejected', async () => {
    const c = new LiveWorkbins({
      baseUrl: new URL(sim.url),
      credentials: { user: 'agent1', password: 'bad' },
    });
    core = c;
    c.start();
    await waitFor(() => c.status.state === 'signed-out', 'signed-out');
    const sessions = sim.sessions.size;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(c.status.state).toBe('signed-out');
    expect(sim.sessions.size).toBe(sessions);
  });

  it('goes signed-out when credentials are revoked while connected', async () => {
    const c = start();
    await synced(c);
    sim.setRejectCredentials(true);
    sim.expireSessions();
    await waitFor(() => c.status.state === 'signed-out', 'signed-out', 10_000);
  });

  it('converges to the server’s truth after a restart with items changed while down', async () => {
    const c = start();
    await synced(c);
    await sim.stop();
    const gone = sim.store.itemsIn('u-agent1', 'email-inprogress')[0];
    if (gone) sim.store.removeItem(gone.id);
    sim.store.addItem({ kind: 'email', workbinId: 'email-draft', subject: 'arrived while down' });
    await waitFor(() => c.status.state === 'reconnecting', 'reconnecting');
    await sim.start();
    await converged(c);
    await waitFor(() => c.status.state === 'online', 'online again', 10_000);
    // The newcomer was found by the resync, not pushed live.
    expect(changes.filter((ch) => ch.type === 'item-added' && ch.live)).toHaveLength(0);
    // Live traffic flows again after the resync.
    await synced(c, 2);
    await waitFor(() => sim.watchedWorkbins('u-agent1').length === 4, 'resubscribed');
    sim.addItem({ kind: 'chat', workbinId: 'workitems' });
    await converged(c);
  });

  it('waits for the Subscribed answer before loading, so nothing falls between load and stream', async () => {
    // Subscriptions take effect 600 ms after the request. The item lands 150 ms after the
    // server took the request: after a load that did not wait would have been answered, and
    // before the subscription pushes anything. Only a load made after the answer has it, and
    // nothing else resyncs within the test.
    sim.behave({ subscriptionDelay: 600 });
    const c = start('agent1', { safetyResyncMs: 0, subscribeTimeout: 5_000 });
    await waitFor(() => sim.subscriptionRequests >= 4, 'the subscribe request', 5_000);
    await new Promise((resolve) => setTimeout(resolve, 150));
    sim.addItem({ kind: 'email', workbinId: 'workitems', subject: 'between load and stream' });
    await synced(c);
    expect(contentsOf(c.state, 'u-agent1')).toEqual(sim.truth('u-agent1'));
  });

  it('resyncs after the CometD session expired, catching what was missed', async () => {
    const c = start();
    await synced(c);
    sim.expireSessions({ userId: 'u-agent1' });
    sim.addItem({ kind: 'workitem', workbinId: 'workitems', subject: 'missed' });
    await synced(c, 2);
    await converged(c);
  });

  it('counts hostile messages and keeps going', async () => {
    const c = start();
    await synced(c);
    const before = JSON.stringify(contentsOf(c.state, 'u-agent1'));
    const payloads: unknown[] = [
      JSON.parse('{"__proto__":{"polluted":1},"messageType":"WorkbinStateChangeMessage"}'),
      'string',
      42,
      null,
      {
        messageType: 'WorkbinStateChangeMessage',
        id: 'workitems',
        action: 'ItemAdded',
        emailStateResourceV2: 'x',
      },
      { messageType: 'WorkbinStateChangeMessage', id: 'x'.repeat(100_000), action: 'ItemAdded' },
    ];
    for (const p of payloads) sim.emitRaw('u-agent1', p);
    await waitFor(() => c.stats.rejected === payloads.length, 'all rejected');
    expect(JSON.stringify(contentsOf(c.state, 'u-agent1'))).toBe(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    sim.addItem({ kind: 'email', workbinId: 'workitems' });
    await converged(c);
  });

  it('notices a hung server, then recovers when it answers again', async () => {
    const c = start();
    await synced(c);
    sim.hang();
    // Published while hung: the reply carrying it is abandoned by the client, so only the
    // ack extension's redelivery brings it.
    sim.addItem({ kind: 'email', workbinId: 'email-draft' });
    await waitFor(() => c.status.state === 'reconnecting', 'reconnecting', 10_000);
    sim.resume();
    await waitFor(() => c.status.state === 'online', 'online', 10_000);
    await converged(c);
  });

  it('marks a long outage offline, with the next retry time', async () => {
    const c = start();
    await synced(c);
    await sim.stop();
    await waitFor(() => c.status.state === 'offline', 'offline', 10_000);
    const status = c.status;
    if (status.state !== 'offline') throw new Error('not offline');
    expect(status.attempt).toBeGreaterThan(1);
    expect(status.nextRetryAt).toBeGreaterThan(status.since);
    await sim.start();
    await waitFor(() => c.status.state === 'online', 'online', 10_000);
  });

  it('reconnects at once on reconnectNow, without waiting for the backoff', async () => {
    // The backoff puts the next attempt a minute away, far beyond waitFor's 5 s: online in
    // time can only come from reconnectNow, with no stopwatch to be slow on a busy machine.
    const c = start('agent1', { backoffIncrement: 60_000, maxBackoff: 120_000 });
    await synced(c);
    await sim.stop();
    await waitFor(
      () => c.status.state === 'reconnecting' && c.status.nextRetryAt !== null,
      'a retry planned',
    );
    await sim.start();
    await c.reconnectNow();
    await waitFor(() => c.status.state === 'online', 'online');
    await converged(c);
  });

  it('lets a supervisor watch another user’s workbins, keyed by that user', async () => {
    const c = start('super1', { watchUsers: ['u-agent1'] });
    await synced(c);
    expect(contentsOf(c.state, 'u-agent1')).toEqual(sim.truth('u-agent1'));
    expect(contentsOf(c.state, 'u-super1')).toEqual(sim.truth('u-super1'));
    await waitFor(() => sim.watchedWorkbins('u-super1').length === 5, 'subscribed to both users');
    sim.addItem({ kind: 'tweet', workbinId: 'social-inbox', ownerUserId: 'u-agent1' });
    await converged(c);
  });
});
