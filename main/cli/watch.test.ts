import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, waitFor } from '../../sim/harness.js';
import type { GwsSimulator } from '../../sim/simulator.js';

type Line = Record<string, unknown>;

interface Watch {
  process: ChildProcess;
  lines: Line[];
  stderr: string[];
  exited: Promise<number | null>;
}

const LIBFAKETIME = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';
if (!existsSync(LIBFAKETIME))
  console.warn(
    `[watch] the sleep test is SKIPPED: ${LIBFAKETIME} is missing (apt-get install faketime)`,
  );

let sim: GwsSimulator;
const running: Watch[] = [];

beforeEach(async () => {
  sim = await startSimulator();
});

afterEach(async () => {
  for (const w of running.splice(0)) {
    w.process.kill('SIGTERM');
    await w.exited;
  }
  await sim.stop();
});

/** Runs `npm run watch` as its own process (one CometD client per process, as in the app). */
function watch(
  args: string[],
  env: Record<string, string | undefined> = { GWS_PASSWORD: 'demo' },
): Watch {
  const child = spawn(process.execPath, ['--import', 'tsx', 'main/cli/watch.ts', ...args], {
    env: { ...process.env, GWS_PASSWORD: undefined, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Line[] = [];
  const stderr: string[] = [];
  createInterface({ input: child.stdout }).on('line', (line) =>
    lines.push(JSON.parse(line) as Line),
  );
  createInterface({ input: child.stderr }).on('line', (line) => stderr.push(line));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const w = { process: child, lines, stderr, exited };
  running.push(w);
  return w;
}

const find = (w: Watch, match: (l: Line) => boolean) => () => w.lines.find(match);

describe('npm run watch', () => {
  it('prints status, the initial load and live changes as NDJSON', async () => {
    const w = watch(['--url', sim.url, '--user', 'agent1']);
    const synced = await waitFor(
      find(w, (l) => l.type === 'synced'),
      'synced',
      15_000,
    );
    expect(synced.contents).toEqual(
      Object.fromEntries(
        Object.entries(sim.truth('u-agent1')).map(([k, v]) => [`u-agent1/${k}`, v]),
      ),
    );
    await waitFor(() => sim.watchedWorkbins('u-agent1').length === 4, 'subscribed');
    const item = sim.addItem({ kind: 'chat', workbinId: 'workitems', subject: 'live one' });
    const added = await waitFor(
      find(w, (l) => l.type === 'item-added' && (l.item as { id: string }).id === item.id),
      'item-added line',
    );
    expect(added).toMatchObject({
      key: 'u-agent1/workitems',
      live: true,
      item: { kind: 'chat', summary: 'live one' },
    });
    expect(w.lines[0]).toMatchObject({ type: 'status', state: 'connecting' });
    // The load is the 'synced' line's ids, not a line per item.
    expect(w.lines.filter((l) => l.type === 'item-added' && l.live === false)).toEqual([]);
    expect(w.lines.some((l) => l.type === 'status' && l.state === 'online')).toBe(true);
    w.process.kill('SIGTERM');
    expect(await w.exited).toBe(0);
  });

  it('prints every item a load finds with --items', async () => {
    const w = watch(['--url', sim.url, '--user', 'agent1', '--items', '--once']);
    expect(await w.exited).toBe(0);
    const loaded = w.lines.filter((l) => l.type === 'item-added' && l.live === false);
    const truth = Object.values(sim.truth('u-agent1')).flat();
    expect(loaded.map((l) => (l.item as { id: string }).id).sort()).toEqual(truth.sort());
  });

  it('runs an agent and a supervisor side by side, each seeing the new item', async () => {
    const agent = watch(['--url', sim.url, '--user', 'agent1']);
    const supervisor = watch(['--url', sim.url, '--user', 'super1', '--watch-user', 'u-agent1']);
    await waitFor(
      find(agent, (l) => l.type === 'synced'),
      'agent synced',
      15_000,
    );
    await waitFor(
      find(supervisor, (l) => l.type === 'synced'),
      'supervisor synced',
      15_000,
    );
    await waitFor(
      () =>
        sim.watchedWorkbins('u-agent1').length === 4 &&
        sim.watchedWorkbins('u-super1').length === 5,
      'both subscribed',
    );
    const item = sim.addItem({ kind: 'email', workbinId: 'email-draft', ownerUserId: 'u-agent1' });
    for (const w of [agent, supervisor]) {
      await waitFor(
        find(w, (l) => l.type === 'item-added' && (l.item as { id: string }).id === item.id),
        'item-added',
      );
    }
  });

  it('prints a failed load as an error line and a degraded status naming the workbin', async () => {
    sim.failContentsLoads('workitems');
    const w = watch(['--url', sim.url, '--user', 'agent1']);
    const error = await waitFor(
      find(w, (l) => l.type === 'error'),
      'error line',
      15_000,
    );
    expect(error).toMatchObject({ during: 'load workbin workitems', kind: 'server', status: 500 });
    const degraded = await waitFor(
      find(w, (l) => l.type === 'status' && l.state === 'degraded'),
      'degraded status',
      15_000,
    );
    expect(degraded.problems).toEqual([
      expect.objectContaining({ workbinKey: 'u-agent1/workitems', step: 'load' }),
    ]);
    await waitFor(
      find(w, (l) => l.type === 'synced'),
      'synced after the retry',
      15_000,
    );
  });

  it('watches a team’s workbins with --agent-group, live', async () => {
    const w = watch(['--url', sim.url, '--user', 'agent1', '--agent-group', 'Billing']);
    const synced = await waitFor(
      find(w, (l) => l.type === 'synced'),
      'synced',
      15_000,
    );
    const key = 'AgentGroup%3ABilling/billing-queue';
    expect((synced.contents as Record<string, string[]>)[key]).toEqual(
      sim.truth('AgentGroup:Billing')['billing-queue'],
    );
    await waitFor(() => sim.watchedWorkbins('u-agent1').length === 5, 'subscribed');
    const item = sim.addItem({
      kind: 'email',
      workbinId: 'billing-queue',
      ownerUserId: 'AgentGroup:Billing',
    });
    await waitFor(
      find(
        w,
        (l) =>
          l.type === 'item-added' && l.key === key && (l.item as { id: string }).id === item.id,
      ),
      'the team item',
    );
  });

  it('exits 3 with signed-out on bad credentials', async () => {
    const w = watch(['--url', sim.url, '--user', 'agent1'], { GWS_PASSWORD: 'wrong' });
    expect(await w.exited).toBe(3);
    expect(w.lines.some((l) => l.type === 'status' && l.state === 'signed-out')).toBe(true);
  });

  it('explains bad arguments and a missing password', async () => {
    const badUrl = watch(['--url', 'ftp://x', '--user', 'a']);
    expect(await badUrl.exited).toBe(2);
    expect(badUrl.stderr.join('\n')).toContain('not supported');
    const noUser = watch(['--url', sim.url]);
    expect(await noUser.exited).toBe(2);
    expect(noUser.stderr.join('\n')).toContain('--user is required');
    const noPassword = watch(['--url', sim.url, '--user', 'agent1'], {});
    expect(await noPassword.exited).toBe(2);
    expect(noPassword.stderr.join('\n')).toContain('GWS_PASSWORD');
    for (const [flag, value] of [
      ['--max-items-per-workbin', '0'],
      ['--max-held-mb', '1.5'],
      ['--max-held-mb', 'lots'],
    ] as const) {
      const bad = watch(['--url', sim.url, '--user', 'agent1', flag, value]);
      expect(await bad.exited).toBe(2);
      expect(bad.stderr.join('\n')).toContain(`${flag}: "${value}" is not a whole number`);
    }
  });

  it('holds at most --max-items-per-workbin items, the newest, and says so', async () => {
    const w = watch(['--url', sim.url, '--user', 'agent1', '--max-items-per-workbin', '2']);
    const synced = await waitFor(
      find(w, (l) => l.type === 'synced'),
      'synced',
      15_000,
    );
    const contents = synced.contents as Record<string, string[]>;
    expect(sim.truth('u-agent1')['social-inbox']).toHaveLength(3);
    expect(contents['u-agent1/social-inbox']).toHaveLength(2);
    await waitFor(
      find(w, (l) => l.type === 'error' && String(l.message).includes('at most 2 per workbin')),
      'the log line',
    );
  });

  // libfaketime (Debian's `faketime`, installed by .ci/run) moves this process's wall clock
  // and leaves its monotonic clock alone: what a machine's sleep does to a process.
  it.skipIf(!existsSync(LIBFAKETIME))(
    'after the machine slept, starts a fresh session and loads everything again by itself',
    async () => {
      const clock = join(mkdtempSync(join(tmpdir(), 'wbt-faketime-')), 'offset');
      writeFileSync(clock, '+0');
      const w = watch(['--url', sim.url, '--user', 'agent1'], {
        GWS_PASSWORD: 'demo',
        LD_PRELOAD: LIBFAKETIME,
        FAKETIME_TIMESTAMP_FILE: clock,
        FAKETIME_NO_CACHE: '1',
        FAKETIME_DONT_FAKE_MONOTONIC: '1',
      });
      await waitFor(
        find(w, (l) => l.type === 'synced'),
        'synced',
        15_000,
      );
      const before = w.lines.length;
      writeFileSync(clock, '+15m');
      const sinceWake = () => w.lines.slice(before);
      await waitFor(
        () => sinceWake().find((l) => l.type === 'status' && l.state === 'connecting'),
        'a fresh connection',
        15_000,
      );
      await waitFor(() => sinceWake().find((l) => l.type === 'synced'), 'synced again', 15_000);
    },
  );
});
