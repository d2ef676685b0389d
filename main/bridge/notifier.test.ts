import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, waitFor } from '../../sim/harness.js';
import type { GwsSimulator } from '../../sim/simulator.js';
import type { Notice } from '../contract/notice.js';
import { CoreBridge } from './core-bridge.js';
import { Notifier } from './notifier.js';

let sim: GwsSimulator;
let bridge: CoreBridge;
let notifier: Notifier;
let notices: Notice[];

beforeEach(async () => {
  sim = await startSimulator({ timeout: 1_000, maxInterval: 2_000 });
  bridge = new CoreBridge({ core: { backoffIncrement: 100, maxBackoff: 500 } });
  notifier = new Notifier(bridge, { coalesceMs: 300 });
  notices = [];
  notifier.on('notice', (n) => notices.push(n));
});

afterEach(async () => {
  notifier.stop();
  await bridge.stop();
  await sim.stop();
});

describe('Notifier', () => {
  it('says nothing for the initial load, once per burst, and counts the burst as unseen', async () => {
    await bridge.signIn({ server: sim.url, user: 'agent1', password: 'demo' });
    await waitFor(
      () =>
        bridge.currentStatus.state === 'online' &&
        !(bridge.currentStatus as { syncing: boolean }).syncing,
      'online',
      10_000,
    );
    await waitFor(() => sim.watchedWorkbins('u-agent1').length === 4, 'subscribed');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(notices).toEqual([]);
    for (let i = 0; i < 3; i++)
      sim.addItem({ kind: 'email', workbinId: 'workitems', subject: `n${i}` });
    await waitFor(() => notices.length === 1, 'one notice for the burst');
    expect(notices[0]).toMatchObject({ kind: 'items', title: '3 new items in Work items' });
    expect(bridge.unseenItems).toHaveLength(3);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(notices).toHaveLength(1);
    bridge.markSeen();
    expect(bridge.unseenItems).toEqual([]);
  });
});
