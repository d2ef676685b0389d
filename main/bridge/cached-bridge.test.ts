import { mkdtempSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, waitFor } from '../../sim/harness.js';
import type { GwsSimulator } from '../../sim/simulator.js';
import { confBackendIn } from '../cache/conf-backend.js';
import { WorkbinCache } from '../cache/workbin-cache.js';
import { itemKey } from '../contract/keys.js';
import { PREVIEW_ITEMS, SNAPSHOT_PART_ITEMS } from '../contract/snapshot-parts.js';
import { EMPTY_STATE, reduce } from '../workbins/state.js';
import { openCachedBridge } from './cached-bridge.js';

let sim: GwsSimulator;
const stops: Array<() => Promise<void>> = [];

beforeEach(async () => {
  sim = await startSimulator({ timeout: 1_000, maxInterval: 2_000 });
});
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
  await sim.stop();
});

function open(dir: string) {
  const opened = openCachedBridge(confBackendIn(dir), {
    backoffIncrement: 100,
    maxBackoff: 500,
  });
  stops.push(() => opened.bridge.stop());
  return opened;
}

/** A cache folder holding agent1's workitems, more than PREVIEW_ITEMS, signed in to `sim`. */
function largeCache() {
  const dir = mkdtempSync(join(tmpdir(), 'wbt-large-'));
  const count = PREVIEW_ITEMS + 1;
  const items = Array.from({ length: count }, (_, i) => ({
    id: `item-${i}`,
    kind: 'email' as const,
    workbinId: 'workitems',
    ownerUserId: 'u-agent1',
    summary: `Subject ${i}`,
    from: 'customer@example.com',
    receivedAt: 1_700_000_000_000 + i,
    receivedRaw: '',
    state: 'InWorkbin',
    userData: {},
  }));
  const state = reduce(EMPTY_STATE, [
    { type: 'contents-loaded', ownerUserId: 'u-agent1', workbinId: 'workitems', items, at: 1 },
  ]).state;
  const server = new URL(sim.url).href;
  const session = {
    server,
    user: 'agent1',
    userId: 'u-agent1',
    displayName: 'A',
    insecure: false,
  };
  // The oldest and the newest item are new: one outside the preview, one in it.
  const unseen = [0, count - 1].map((i) => itemKey('u-agent1/workitems', `item-${i}`));
  WorkbinCache.open(confBackendIn(dir)).cache.save({ savedAt: 1, session, state, unseen });

  return { dir, items, count };
}

describe('the cached bridge at start', () => {
  it('lists a cache it could not use under Diagnostics, whichever host opened it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wbt-corrupt-'));
    writeFileSync(confBackendIn(dir).snapshotPath, '{"schema": 3, "workb');
    const { bridge, problem } = open(dir);
    expect(await problem).toMatchObject({ kind: 'corrupt' });
    expect(bridge.diagnostics).toMatchObject({ problems: 1, rejected: 0 });
    expect(bridge.diagnostics.recent[0]?.text).toMatch(/^Offline cache not usable \(corrupt\): /);
  });
});

describe('the cached bridge and saved credentials', () => {
  it('forgets a saved password the server refuses at sign-in', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wbt-creds-'));
    const { bridge, cache } = open(dir);
    cache.saveCredentials({ server: sim.url, user: 'agent1', encryptedPassword: 'c2VjcmV0' });
    const result = await bridge.signIn({ server: sim.url, user: 'agent1', password: 'wrong' });
    expect(result).toMatchObject({ ok: false, error: { kind: 'credentials' } });
    expect(WorkbinCache.open(confBackendIn(dir)).cache.credentials()).toBeNull();
  });

  it('forgets it when the server stops accepting it later (a start from the cache skips the probe)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wbt-creds-'));
    const first = open(dir);
    await first.bridge.signIn({ server: sim.url, user: 'agent1', password: 'demo' });
    await waitFor(() => first.bridge.currentStatus.state === 'online', 'online', 10_000);
    first.cache.flush();
    await first.bridge.stop();
    // Next start: cached contents of this account, so the core starts without a probe.
    const { bridge, cache } = open(dir);
    cache.saveCredentials({ server: sim.url, user: 'agent1', encryptedPassword: 'c2VjcmV0' });
    sim.setRejectCredentials(true);
    const result = await bridge.signIn(
      { server: sim.url, user: 'agent1', password: 'demo' },
      { preferCache: true },
    );
    expect(result.ok).toBe(true);
    await waitFor(() => bridge.currentStatus.state === 'signed-out', 'signed-out', 10_000);
    expect(WorkbinCache.open(confBackendIn(dir)).cache.credentials()).toBeNull();
  });

  it('keeps what is new across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wbt-unseen-'));
    const first = open(dir);
    await first.bridge.signIn({ server: sim.url, user: 'agent1', password: 'demo' });
    await waitFor(() => first.bridge.currentStatus.state === 'online', 'online', 10_000);
    await waitFor(() => sim.watchedWorkbins('u-agent1').length === 4, 'subscribed');
    const item = sim.addItem({ kind: 'email', workbinId: 'workitems', subject: 'still new' });
    await waitFor(() => first.bridge.unseenItems.length === 1, 'unseen');
    first.cache.flush();
    await first.bridge.stop();
    const second = open(dir);
    expect(second.bridge.unseenItems).toEqual([itemKey('u-agent1/workitems', item.id)]);
    expect(second.bridge.snapshot().unseen).toEqual(second.bridge.unseenItems);
  });

  it('shows a large cache from its preview, then the whole, and runs the core on the whole', async () => {
    const { dir, items, count } = largeCache();
    const { bridge } = open(dir);
    const preview = bridge.snapshotInParts();
    expect(preview.complete).toBeDefined();
    expect([...preview.items].map((item) => item.id)).toEqual(
      items
        .slice(-SNAPSHOT_PART_ITEMS)
        .reverse()
        .map((item) => item.id),
    );
    expect(preview.snapshot.workbins.map((workbin) => workbin.count)).toEqual([count]);
    const snapshots: number[] = [];
    bridge.on('event', (event) => {
      if (event.type === 'snapshot') snapshots.push(event.items.length);
    });
    // At once, as a start does: the core must start from the whole cache, not the preview.
    const result = await bridge.signIn(
      { server: sim.url, user: 'agent1', password: 'demo' },
      { preferCache: true },
    );
    expect(result.ok).toBe(true);
    // The whole, once: the sign-in of the cached account changes nothing a page shows but the
    // status, which comes on its own. A snapshot more was the whole list again to every page
    // (62 MB and a 150 ms render at 100,000 items), right after the start.
    expect(snapshots).toEqual([count]);
    expect(bridge.snapshotInParts().complete).toBeUndefined();
    await waitFor(() => bridge.currentStatus.state === 'online', 'online', 10_000);
    // Synced: no longer stale, the server's contents: that a page must be sent.
    await waitFor(() => snapshots.length === 2, 'the synced snapshot', 10_000);
    expect(bridge.snapshot().stale).toBe(false);
    expect(snapshots[1]).toBe(Object.values(sim.truth('u-agent1')).flat().length);
  });

  it('says so, and starts with nothing cached, when the rest of a previewed cache is torn', async () => {
    const { dir } = largeCache();
    const path = confBackendIn(dir).snapshotPath;
    truncateSync(path, statSync(path).size - 100);
    const { bridge, problem } = open(dir);
    expect(bridge.snapshotInParts().complete).toBeDefined();
    expect(await problem).toMatchObject({
      kind: 'corrupt',
      message: expect.stringMatching(/line/),
    });
    await bridge.snapshotInParts().complete;
    const after = bridge.snapshotInParts();
    expect(after.complete).toBeUndefined();
    expect(after.snapshot.session).toBeNull();
    expect([...after.items]).toEqual([]);
    expect(bridge.diagnostics.recent[0]?.text).toMatch(/^Offline cache not usable \(corrupt\): /);
  });

  it('keeps what is seen while a previewed cache is read, and never saves the preview', async () => {
    const { dir, count } = largeCache();
    const { bridge, cache } = open(dir);
    expect(bridge.unseenItems).toHaveLength(2);
    // A click on the newest, shown in the preview, before the rest is in.
    const newest = itemKey('u-agent1/workitems', `item-${count - 1}`);
    bridge.markSeen([newest]);
    await bridge.snapshotInParts().complete;
    expect(bridge.unseenItems).toEqual([itemKey('u-agent1/workitems', 'item-0')]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await cache.idle;
    cache.flush();
    const reread = WorkbinCache.open(confBackendIn(dir)).cache.load().snapshot;
    expect(reread?.state.workbins.get('u-agent1/workitems')?.items.size).toBe(count);
    expect(reread?.unseen).toEqual([itemKey('u-agent1/workitems', 'item-0')]);
  });
});
