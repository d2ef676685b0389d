import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, waitFor } from '../../sim/harness.js';
import type { GwsSimulator } from '../../sim/simulator.js';
import type { CoreEvent } from '../contract/protocol.js';
import type { ConnectionStatus } from '../contract/status.js';
import { CoreBridge } from './core-bridge.js';

let sim: GwsSimulator;
let bridge: CoreBridge;
let events: CoreEvent[];
let order: string[];

beforeEach(async () => {
  sim = await startSimulator({ timeout: 1_000, maxInterval: 2_000 });
  bridge = new CoreBridge({
    core: { backoffIncrement: 100, maxBackoff: 500, maxNetworkDelay: 500 },
  });
  events = [];
  order = [];
  bridge.on('event', (e) => events.push(e));
  bridge.on('signed-in', () => order.push('signed-in'));
  bridge.on('signed-out', () => order.push('signed-out'));
});

afterEach(async () => {
  await bridge.stop();
  await sim.stop();
});

const request = () => ({ server: sim.url, user: 'agent1', password: 'demo' });
const statusOf = () => bridge.currentStatus;
const online = () =>
  waitFor(
    () => statusOf().state === 'online' && !(statusOf() as { syncing: boolean }).syncing,
    'online',
    10_000,
  );

describe('CoreBridge sign-in and sign-out', () => {
  it('runs one core for two overlapping sign-ins, the later one winning', async () => {
    const [first, second] = await Promise.all([bridge.signIn(request()), bridge.signIn(request())]);
    expect(first).toEqual({ ok: false, error: { kind: 'superseded' } });
    expect(second.ok).toBe(true);
    await online();
    await waitFor(() => sim.cometdSessionCount() === 1, 'one CometD session');
    expect(order).toEqual(['signed-in']);
  });

  it('lets a sign-out win over a sign-in under way, leaving nothing running', async () => {
    sim.behave({ signInDelay: 150 });
    const signingIn = bridge.signIn(request());
    await new Promise((resolve) => setTimeout(resolve, 30));
    await bridge.signOut();
    expect(await signingIn).toEqual({ ok: false, error: { kind: 'superseded' } });
    expect(order).toEqual(['signed-out']);
    expect(statusOf().state).toBe('stopped');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(sim.cometdSessionCount()).toBe(0);
    expect(statusOf().state).toBe('stopped');
  });

  it('never reads online while the last sync failed', async () => {
    // Status events as the UI receives them, checked against the server at that moment.
    sim.failContentsLoads('workitems', 1);
    const seen: ConnectionStatus[] = [];
    bridge.on('event', (e) => {
      if (e.type === 'status') seen.push(e.status);
    });
    await bridge.signIn(request());
    await online();
    const firstOnline = seen.findIndex((s) => s.state === 'online');
    const degraded = seen.findIndex((s) => s.state === 'degraded');
    expect(degraded).toBeGreaterThanOrEqual(0);
    expect(firstOnline).toBeGreaterThan(degraded);
  });
});

describe('CoreBridge and plain http', () => {
  it('refuses http:// to another machine unless the user chose it, before any request', async () => {
    const refused = await bridge.signIn({
      server: 'http://gws.example.com',
      user: 'a',
      password: 'p',
    });
    expect(refused).toMatchObject({ ok: false, error: { kind: 'bad-url' } });
    expect(!refused.ok && refused.error.kind === 'bad-url' && refused.error.message).toContain(
      'unencrypted',
    );
    const local = await bridge.signIn(request());
    expect(local).toMatchObject({ ok: true, value: { insecure: false } });
  });
});

describe('CoreBridge status as the UI hears it', () => {
  it('never reads online while /v2/me/workbins is not subscribed', async () => {
    sim.failChannelSubscribes(3);
    let deafOnline = 0;
    bridge.on('event', (e) => {
      if (
        e.type === 'status' &&
        e.status.state === 'online' &&
        !sim.subscribedUsers().includes('u-agent1')
      )
        deafOnline++;
    });
    await bridge.signIn(request());
    await online();
    sim.failChannelSubscribes(2);
    sim.expireSessions({ userId: 'u-agent1' });
    await waitFor(() => statusOf().state !== 'online', 'the session lost');
    await online();
    expect(deafOnline).toBe(0);
  });
});

describe('CoreBridge deltas', () => {
  it('sends a changed item to the UI as an update with its new content', async () => {
    await bridge.signIn(request());
    await online();
    await waitFor(() => sim.watchedWorkbins('u-agent1').length === 4, 'subscribed');
    const item = sim.addItem({ kind: 'email', workbinId: 'workitems', subject: 'first words' });
    await waitFor(
      () => bridge.currentState.workbins.get('u-agent1/workitems')?.items.has(item.id),
      'added',
    );
    // GWS announces a changed interaction with another ItemAdded carrying the new content.
    sim.emitRaw('u-agent1', {
      messageType: 'WorkbinStateChangeMessage',
      action: 'ItemAdded',
      id: 'workitems',
      emailStateResourceV2: { ...item.resource, subject: 'second words' },
    });
    const update = await waitFor(
      () =>
        events.find(
          (e) =>
            e.type === 'delta' &&
            e.upserted.some((i) => i.id === item.id && i.summary === 'second words'),
        ),
      'the update in a delta',
    );
    expect(update).toBeDefined();
  });
});
