import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, waitFor } from '../../sim/harness.js';
import type { GwsSimulator } from '../../sim/simulator.js';
import { confBackendIn } from '../cache/conf-backend.js';
import type { Notice } from '../contract/notice.js';
import { AppSession, type ItemTarget, type SecretBox, type TrayView } from './app-session.js';

let sim: GwsSimulator;
const sessions: AppSession[] = [];

/** A reversible stand-in for safeStorage that never leaves the secret readable. */
const sealed: SecretBox = {
  encrypt: (secret) => `sealed:${Buffer.from(secret).toString('hex')}`,
  decrypt: (blob) =>
    blob.startsWith('sealed:') ? Buffer.from(blob.slice(7), 'hex').toString() : null,
};
/** Linux without a keyring: nothing can be kept secret. */
const noKeyring: SecretBox = { encrypt: () => null, decrypt: () => null };

beforeEach(async () => {
  sim = await startSimulator({ timeout: 1_000, maxInterval: 2_000 });
});
afterEach(async () => {
  for (const session of sessions.splice(0)) await session.stop();
  await sim.stop();
});

function open(dir: string, secrets: SecretBox, demo = true) {
  const session = new AppSession({
    location: confBackendIn(dir),
    secrets,
    core: { backoffIncrement: 100, maxBackoff: 500 },
    policy: { coalesceMs: 200 },
    ...(demo && { demoServer: sim.url }),
  });
  const trays: TrayView[] = [];
  const notices: Notice[] = [];
  const reveals: ItemTarget[] = [];
  session.on('tray', (view) => trays.push(view));
  session.on('notice', (notice) => notices.push(notice));
  session.on('reveal', (target) => reveals.push(target));
  sessions.push(session);
  return { session, trays, notices, reveals };
}

const settled = (session: AppSession) =>
  waitFor(
    () =>
      session.bridge.currentStatus.state === 'online' &&
      !(session.bridge.currentStatus as { syncing: boolean }).syncing &&
      sim.watchedWorkbins('u-agent1').length === 4,
    'online and subscribed',
    10_000,
  );

describe('AppSession', () => {
  it('goes online, notifies once per burst, counts it on the tray, and a reveal sees the item', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wbt-session-'));
    const { session, trays, notices, reveals } = open(dir, sealed);
    expect(session.tray).toEqual({ state: 'offline', unseen: 0, insecure: false });
    expect(await session.start()).toBeNull();
    await settled(session);
    expect(session.tray.state).toBe('online');
    // The tray hears only real changes: no repeat of an unchanged view.
    for (let i = 1; i < trays.length; i++) expect(trays[i]).not.toEqual(trays[i - 1]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(notices).toEqual([]);

    const id = sim.addItem({ kind: 'email', workbinId: 'workitems', subject: 'Refund' }).id;
    await waitFor(() => notices.length === 1, 'one notice');
    expect(notices[0]).toMatchObject({
      kind: 'items',
      title: 'New item in Work items',
      target: { id },
    });
    expect(session.tray.unseen).toBe(1);
    const target = notices[0]?.target;
    if (!target) throw new Error('the notice has no target');
    session.reveal(target);
    expect(reveals).toEqual([target]);
    expect(session.tray.unseen).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(notices).toHaveLength(1);
  });

  it('keeps the password only sealed, replays it at the next start, forgets it at sign-out', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wbt-session-'));
    const first = open(dir, sealed);
    await first.session.start();
    await settled(first.session);
    const settings = readFileSync(join(dir, 'workbin-tray.json'), 'utf8');
    expect(settings).toContain('sealed:');
    expect(settings).not.toMatch(/"demo"/);
    await first.session.stop();

    // No demo server this time: the saved credentials are what signs in.
    const second = open(dir, sealed, false);
    expect(await second.session.start()).toBeNull();
    await settled(second.session);

    second.session.handle({ type: 'sign-out' }, () => {});
    await waitFor(() => second.session.tray.state === 'offline', 'offline after sign-out');
    expect(second.session.cache.credentials()).toBeNull();
  });

  it('prepares the network for each sign-in’s server before it signs in', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wbt-session-'));
    const prepared: string[] = [];
    const session = new AppSession({
      location: confBackendIn(dir),
      secrets: sealed,
      demoServer: sim.url,
      prepareNetwork: async (server) => {
        prepared.push(server);
        // Slow on purpose: the sign-in must wait for it.
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(session.bridge.currentSession).toBeNull();
      },
    });
    sessions.push(session);
    await session.start();
    expect(prepared).toEqual([sim.url]);
    await settled(session);
    session.handle({ type: 'sign-out' }, () => {});
    await waitFor(() => session.bridge.currentSession === null, 'signed out');
    const replies: string[] = [];
    session.handle(
      { type: 'sign-in', server: sim.url, user: 'agent1', password: 'demo' },
      (reply) => replies.push(reply.type),
    );
    await waitFor(() => replies.includes('sign-in-result'), 'the sign-in answered');
    expect(prepared).toEqual([sim.url, sim.url]);
  });

  it('stores nothing when the OS cannot keep a secret', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wbt-session-'));
    const { session } = open(dir, noKeyring);
    await session.start();
    await settled(session);
    expect(session.cache.credentials()).toBeNull();
  });

  it('shows a rejected saved password as an error tray and forgets it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wbt-session-'));
    const first = open(dir, sealed);
    await first.session.start();
    await settled(first.session);
    await first.session.stop();
    sim.setRejectCredentials(true);

    const second = open(dir, sealed, false);
    // The cache is shown at once; the server's answer comes after.
    await second.session.start();
    await waitFor(() => second.session.tray.state === 'error', 'error tray');
    expect(second.session.bridge.currentStatus.state).toBe('signed-out');
    // A rejected password is not replayed at every start (account lockout).
    expect(second.session.cache.credentials()).toBeNull();
  });
});
