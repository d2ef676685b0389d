/**
 * Team workbins (AgentGroup, PlaceGroup) and supervision, against the simulator serving them
 * as GWS documents them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, waitFor } from '../../sim/harness.js';
import type { GwsSimulator } from '../../sim/simulator.js';
import { parseSeed } from '../../sim/store.js';
import { groupOwner, workbinKey } from '../contract/keys.js';
import { LiveWorkbins, type LiveWorkbinsOptions } from './live-workbins.js';
import type { WorkbinChange } from './state.js';
import { contentsOf, fastCoreOptions } from './test-support.js';

let sim: GwsSimulator;
let core: LiveWorkbins | undefined;
let changes: WorkbinChange[];
let problems: string[];

beforeEach(async () => {
  sim = await startSimulator({ timeout: 1_000, maxInterval: 2_000 });
  changes = [];
  problems = [];
});

afterEach(async () => {
  await core?.stop();
  core = undefined;
  await sim.stop();
});

function start(user: string, options: Partial<LiveWorkbinsOptions> = {}): LiveWorkbins {
  const c = new LiveWorkbins({
    ...fastCoreOptions(sim.url, user),
    ...options,
  });
  core = c;
  c.on('changes', (ch) => changes.push(...ch.changes));
  c.on('problem', ({ during }) => problems.push(during));
  c.start();
  return c;
}

const online = (c: LiveWorkbins) =>
  waitFor(() => c.status.state === 'online' && !c.status.syncing, 'online', 10_000);

const BILLING = groupOwner('AgentGroup', 'Billing');
const FLOOR = groupOwner('PlaceGroup', 'Floor 2');

describe('team workbins', () => {
  it('lists, subscribes and loads an agent group’s and a place group’s workbins, keyed by group', async () => {
    const c = start('agent1', { agentGroups: ['Billing'], placeGroups: ['Floor 2'] });
    await online(c);
    expect(contentsOf(c.state, BILLING)).toEqual(sim.truth(BILLING));
    expect(contentsOf(c.state, FLOOR)).toEqual(sim.truth(FLOOR));
    expect(contentsOf(c.state, 'u-agent1')).toEqual(sim.truth('u-agent1'));
    expect(c.state.workbins.get(workbinKey(BILLING, 'billing-queue'))).toMatchObject({
      type: 'AgentGroup',
      subscription: 'subscribed',
    });
  });

  it('files a team’s live item under the team, never under the signed-in user', async () => {
    const c = start('agent1', { agentGroups: ['Billing'] });
    await online(c);
    await waitFor(() => sim.watchedWorkbins('u-agent1').length === 5, 'subscribed');
    const item = sim.addItem({ kind: 'chat', workbinId: 'billing-queue', ownerUserId: BILLING });
    const added = await waitFor(
      () => changes.find((ch) => ch.type === 'item-added' && ch.item.id === item.id),
      'the team item',
    );
    expect(added).toMatchObject({ key: workbinKey(BILLING, 'billing-queue'), live: true });
    expect([...c.state.workbins.keys()].some((k) => k.startsWith('u-agent1/billing'))).toBe(false);
  });

  it('says clearly when the server is too old for team subscriptions, instead of hanging', async () => {
    sim.behave({ oldInteractionServer: true });
    const c = start('agent1', { agentGroups: ['Billing'], subscribeTimeout: 300 });
    await waitFor(() => c.status.state === 'degraded', 'degraded', 10_000);
    const status = c.status;
    if (status.state !== 'degraded') throw new Error('not degraded');
    expect(status.problems).toEqual([
      expect.objectContaining({
        workbinKey: workbinKey(BILLING, 'billing-queue'),
        reason: expect.stringContaining('Interaction Server 8.5.103.05'),
      }),
    ]);
    // The agent's own workbins work regardless.
    expect(contentsOf(c.state, 'u-agent1')).toEqual(sim.truth('u-agent1'));
  });

  it('watches a team chosen while running', async () => {
    const c = start('agent1');
    await online(c);
    c.watch({ agentGroups: ['Billing'] });
    await waitFor(
      () => JSON.stringify(contentsOf(c.state, BILLING)) === JSON.stringify(sim.truth(BILLING)),
      'the team loaded',
    );
    c.watch({ agentGroups: [] });
    await waitFor(() => Object.keys(contentsOf(c.state, BILLING)).length === 0, 'the team gone');
  });
});

describe('supervision', () => {
  it('marks a watched agent unavailable when the right to watch is revoked, and says so', async () => {
    const c = start('super1', { watchUsers: ['u-agent1'] });
    await online(c);
    const supervisor = sim.store.users.get('u-super1');
    if (!supervisor) throw new Error('no supervisor in the seed');
    supervisor.supervisor = false;
    c.resync();
    await waitFor(() => c.status.state === 'degraded', 'degraded', 10_000);
    for (const view of c.state.workbins.values()) {
      if (view.ownerUserId === 'u-agent1') {
        expect(view.subscription).toBe('unavailable');
        expect(view.failure).toContain('Supervisor role required');
      }
    }
  });

  it('never asks for other agents’ workbins when the user is not a supervisor', async () => {
    const c = start('agent2', { watchUsers: ['u-agent1'] });
    await waitFor(() => c.status.state === 'degraded', 'degraded', 10_000);
    const status = c.status;
    if (status.state !== 'degraded') throw new Error('not degraded');
    expect(status.problems).toEqual([
      expect.objectContaining({ ownerUserId: 'u-agent1', step: 'not-allowed' }),
    ]);
    expect(status.nextRetryAt).toBeNull();
    expect(problems.filter((p) => p.includes('u-agent1'))).toEqual([]);
    expect(c.stats.syncs).toBe(1);
  });

  it('syncs a supervisor watching twenty agents, each agent’s workbins by that agent', async () => {
    await sim.stop();
    const users = [
      { id: 'u-boss', userName: 'boss', password: 'demo', supervisor: true },
      ...Array.from({ length: 20 }, (_, i) => ({
        id: `u-a${i}`,
        userName: `a${i}`,
        password: 'demo',
      })),
    ];
    const workbins = users.flatMap((u) =>
      ['inbox', 'drafts'].map((id) => ({ id, displayName: id, owner: u.id })),
    );
    const items = users
      .slice(1)
      .map((u, i) => ({ kind: 'email', workbin: 'inbox', owner: u.id, subject: `for a${i}` }));
    sim = await startSimulator({
      timeout: 1_000,
      maxInterval: 2_000,
      seed: parseSeed({ users, workbins, items }),
    });
    const c = start('boss', { watchUsers: users.slice(1).map((u) => u.id) });
    await online(c);
    for (const u of users) expect(contentsOf(c.state, u.id)).toEqual(sim.truth(u.id));
  });
});
