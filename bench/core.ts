import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { LiveWorkbins, type LiveWorkbinsOptions } from '../main/workbins/live-workbins.js';
import { controlClient, type Spawned, spawnEntry } from '../sim/spawn.js';
import { percentile } from './stats.js';

export async function startSimProcess(
  args: string[] = [],
): Promise<Spawned & { control: ReturnType<typeof controlClient> }> {
  const sim = await spawnEntry(
    'sim/cli.ts',
    ['--port', '0', '--control-port', '0', ...args],
    ['GWS simulator', 'Control API'],
  );
  return { ...sim, control: controlClient(sim.urls['Control API'] ?? '') };
}

/** `held` emails put in agent1's `workbin` on the simulator, in one bulk add. */
export async function holdItems(
  sim: { control: ReturnType<typeof controlClient> },
  held: number,
  workbin = 'workitems',
): Promise<void> {
  await sim.control('POST', '/items', { kind: 'email', workbin, owner: 'agent1', count: held });
}

/**
 * A probe run to its end in a Node process of its own (`args`: Node's flags, the script and
 * its arguments): the words of the line it prints that starts with `prefix`.
 */
export async function probeLine(args: string[], prefix: string, what: string): Promise<string[]> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await lineFrom(child, (text) => text.startsWith(prefix), what);
  if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
  return line.split(' ');
}

/**
 * The first line `child` prints that `matches`; an error named for `what` once `timeout` ms
 * have passed, or when the child ends without printing it.
 */
export function lineFrom(
  child: ChildProcess,
  matches: (line: string) => boolean,
  what: string,
  timeout = 60_000,
): Promise<string> {
  return new Promise((resolve, reject) => {
    if (!child.stdout) return reject(new Error(`${what}: no stdout to read`));
    const timer = setTimeout(
      () => reject(new Error(`${what}: nothing after ${timeout} ms`)),
      timeout,
    );
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (!matches(line)) return;
      clearTimeout(timer);
      resolve(line);
    });
    // 'close', not 'exit': a child may exit before its last lines have been read.
    child.once('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what}: ended (${code}) without it`));
    });
  });
}

export async function startCore(
  url: string,
  options: Partial<LiveWorkbinsOptions> = {},
): Promise<LiveWorkbins> {
  const core = new LiveWorkbins({
    baseUrl: new URL(url),
    credentials: { user: 'agent1', password: 'demo' },
    ...options,
  });
  const synced = new Promise((resolve) => core.once('synced', resolve));
  core.start();
  await synced;
  return core;
}

/**
 * Simulator publish -> item in the core's state, one at a time. The simulator and the core
 * each run in a process of their own (`core-probe.ts`), as in the app: this process's heap,
 * with the bench's other steps in it, is neither's.
 */
export async function coreLatencyBench(
  samples = 300,
  runs = 3,
  held = 0,
  /** The bound on items per workbin; at `held`, every sample lets the oldest go. */
  itemsPerWorkbin?: number,
): Promise<{ p50s: number[]; p99s: number[] }> {
  const sim = await startSimProcess();
  const p50s: number[] = [];
  const p99s: number[] = [];
  let probe: Spawned | undefined;
  try {
    // Held in the workbin the samples go to, before the core syncs: the cost of a message
    // must not grow with the items beside it.
    if (held > 0) await holdItems(sim, held, 'email-draft');
    probe = await spawnEntry(
      'bench/core-probe.ts',
      [sim.urls['GWS simulator'] ?? '', ...(itemsPerWorkbin ? [String(itemsPerWorkbin)] : [])],
      ['Core'],
      {},
      120_000,
    );
    const seen: ((ms: number) => void)[] = [];
    createInterface({ input: probe.child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      const match = /^seen (\S+)$/.exec(line);
      if (match) seen.shift()?.(Number(match[1]));
    });
    for (let run = 0; run < runs; run++) {
      const latencies: number[] = [];
      for (let i = 0; i < samples; i++) {
        const next = new Promise<number>((resolve) => seen.push(resolve));
        await sim.control('POST', '/items', {
          kind: 'email',
          workbin: 'email-draft',
          owner: 'agent1',
          stamp: true,
        });
        latencies.push(await next);
      }
      p50s.push(percentile(latencies, 50));
      p99s.push(percentile(latencies, 99));
    }
  } finally {
    await probe?.stop();
    await sim.stop();
  }
  return { p50s, p99s };
}

/**
 * A first sync of `held` items in one workbin, the core in a process of its own
 * (`sync-stall-probe.ts`): each run's longest event-loop stall, the CPU used within it, the
 * sync's duration, and the longest stall during a resync after it.
 */
export async function syncStallBench(
  held: number,
  runs = 3,
): Promise<{ stalls: number[]; cpu: number[]; syncs: number[]; resyncs: number[] }> {
  const sim = await startSimProcess();
  const stalls: number[] = [];
  const cpu: number[] = [];
  const syncs: number[] = [];
  const resyncs: number[] = [];
  try {
    await holdItems(sim, held);
    for (let run = 0; run < runs; run++) {
      const [, ms, , cpuMs, , syncMs, , resyncMs] = await probeLine(
        ['--import', 'tsx', 'bench/sync-stall-probe.ts', sim.urls['GWS simulator'] ?? ''],
        'stall ',
        'the sync stall probe',
      );
      stalls.push(Number(ms));
      cpu.push(Number(cpuMs));
      syncs.push(Number(syncMs));
      resyncs.push(Number(resyncMs));
    }
  } finally {
    await sim.stop();
  }
  return { stalls, cpu, syncs, resyncs };
}

/** Server restart (down `downMs`) to resubscribed and resynced, with the default backoff. */
export async function recoveryBench(runs = 3, downMs = 2_000): Promise<number[]> {
  const sim = await startSimProcess();
  const core = await startCore(sim.urls['GWS simulator'] ?? '');
  const times: number[] = [];
  try {
    for (let run = 0; run < runs; run++) {
      const syncs = core.stats.syncs;
      await sim.control('POST', '/faults/restart', { downMs });
      const back = performance.now();
      while (core.stats.syncs === syncs || core.status.state !== 'online') {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      times.push(performance.now() - back);
    }
  } finally {
    await core.stop();
    await sim.stop();
  }
  return times;
}

/**
 * A supervisor watching `agents` agents (4 workbins and 100 items each): sign-in to the first
 * complete sync, the simulator in its own process. Returns every run's time.
 */
export async function supervisorSyncBench(agents = 20, runs = 5): Promise<number[]> {
  const users = [
    { id: 'u-boss', userName: 'boss', password: 'demo', supervisor: true },
    ...Array.from({ length: agents }, (_, i) => ({
      id: `u-a${i}`,
      userName: `a${i}`,
      password: 'demo',
    })),
  ];
  const workbins = users.flatMap((u) =>
    ['inbox', 'drafts', 'in-progress', 'social'].map((id) => ({
      id,
      displayName: id,
      owner: u.id,
    })),
  );
  const items = users.slice(1).flatMap((u) =>
    Array.from({ length: 100 }, (_, i) => ({
      kind: 'email',
      workbin: ['inbox', 'drafts', 'in-progress', 'social'][i % 4],
      owner: u.id,
      subject: `item ${i} of ${u.userName}`,
    })),
  );
  const dir = mkdtempSync(join(tmpdir(), 'wbt-bench-team-'));
  const seed = join(dir, 'seed.json');
  writeFileSync(seed, JSON.stringify({ users, workbins, items }));
  const sim = await startSimProcess(['--seed', seed]);
  const times: number[] = [];
  try {
    for (let run = 0; run < runs; run++) {
      const began = performance.now();
      const core = await startCore(sim.urls['GWS simulator'] ?? '', {
        credentials: { user: 'boss', password: 'demo' },
        watchUsers: users.slice(1).map((u) => u.id),
      });
      times.push(performance.now() - began);
      if (core.state.workbins.size !== users.length * 4) throw new Error('sync incomplete');
      await core.stop();
    }
  } finally {
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return times;
}

/**
 * The Node arguments of `npm run <name>` as package.json has them (`node` and its flags first,
 * then the script): the bench runs the command a user runs, without npm's own process.
 */
function npmScriptArgs(name: string): string[] {
  const scripts = (
    JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }
  ).scripts;
  const [command, ...args] = (scripts[name] ?? '').split(/\s+/);
  if (command !== 'node')
    throw new Error(`npm run ${name} is not a node command: ${scripts[name]}`);
  return args;
}

/**
 * Resident memory of `npm run watch`'s process (the core, bundled) holding `held` items: right
 * after the sync (the peak: the load's garbage is still mapped) and once the process has been
 * idle for `settleMs`, when V8's memory reducer has collected it and given the pages back, as
 * it does in a process that runs all day.
 */
export async function watchRssBench(
  held = 10_000,
  runs = 3,
  settleMs = 30_000,
): Promise<{ synced: number[]; settled: number[] }> {
  const sim = await startSimProcess();
  const synced: number[] = [];
  const settled: number[] = [];
  try {
    await holdItems(sim, held);
    for (let run = 0; run < runs; run++) {
      const child = spawn(
        process.execPath,
        [...npmScriptArgs('watch'), '--url', sim.urls['GWS simulator'] ?? '', '--user', 'agent1'],
        { stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, GWS_PASSWORD: 'demo' } },
      );
      await lineFrom(child, (line) => line.includes('"type":"synced"'), 'watch syncing');
      const rss = () => {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN) / 1024;
      };
      await new Promise((resolve) => setTimeout(resolve, 500));
      synced.push(rss());
      await new Promise((resolve) => setTimeout(resolve, settleMs));
      settled.push(rss());
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  } finally {
    await sim.stop();
  }
  return { synced, settled };
}
