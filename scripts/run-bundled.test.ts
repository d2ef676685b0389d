import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startForwardingProxy } from '../sim/forwarding-proxy.js';
import { startSimulator } from '../sim/harness.js';
import { buildRenderer } from './build-renderer.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const run = (...args: string[]) =>
  spawnSync(process.execPath, ['scripts/run-bundled.mjs', ...args], {
    cwd: root,
    encoding: 'utf8',
  });
/** The bundled watch signed in to `url` as agent1: its NDJSON piped, its errors ignored. */
const startWatch = (url: string, args: string[] = [], env: Record<string, string> = {}) =>
  spawn(
    process.execPath,
    ['scripts/run-bundled.mjs', 'watch', '--url', url, '--user', 'agent1', ...args],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'ignore'],
      env: { ...process.env, GWS_PASSWORD: 'demo', ...env },
    },
  );

describe('npm run web / watch, bundled', () => {
  it('builds the bundle when a source is newer, and not otherwise', () => {
    expect(run('watch', '--help').status).toBe(0);
    const bundle = `${root}dist/cli/watch.mjs`;
    const built = statSync(bundle).mtimeMs;
    expect(run('watch', '--help').stdout).toContain('Usage: npm run watch');
    expect(statSync(bundle).mtimeMs).toBe(built);
    // Its sources changed since: the bundle is made older than all of them (rather than a
    // source moved into the future, where it would make the next run rebuild too).
    utimesSync(bundle, new Date(0), new Date(0));
    expect(run('watch', '--help').status).toBe(0);
    expect(statSync(bundle).mtimeMs).toBeGreaterThan(built);
    // Pure ASCII, dependencies' comments included: one other character would make V8 keep
    // the whole source, about 2 MB, as two-byte text for as long as the process runs.
    expect(readFileSync(bundle).every((byte) => byte < 0x80)).toBe(true);
  });

  it('keeps paths next to their sources: web builds the renderer and serves the demo data', async () => {
    const child = spawn(process.execPath, ['scripts/run-bundled.mjs', 'web', '--port', '0'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('web did not start')), 20_000);
        child.once('exit', (code) => reject(new Error(`web exited ${code}`)));
        createInterface({ input: child.stdout }).on('line', (line) => {
          const match = /^Workbin Tray:\s+(\S+)/.exec(line);
          if (!match?.[1]) return;
          clearTimeout(timer);
          resolve(match[1]);
        });
      });
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<html');
      // The bundled dependencies at work: signed in to the demo server over REST and CometD,
      // the list comes over the page's WebSocket.
      const { origin, hash } = new URL(url);
      const token = new URLSearchParams(hash.slice(1)).get('token') ?? '';
      const socket = new WebSocket(`${origin.replace('http', 'ws')}/bridge?token=${token}`, {
        headers: { origin },
      });
      const items = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no list over the bridge')), 20_000);
        const ids = new Set<string>();
        // As the page does: whatever was sent before it connected, a hello brings a snapshot.
        socket.on('open', () => socket.send(JSON.stringify({ type: 'hello' })));
        socket.on('message', (data) => {
          const event = JSON.parse(String(data)) as {
            type: string;
            items?: { id: string }[];
            upserted?: { id: string }[];
          };
          for (const item of [...(event.items ?? []), ...(event.upserted ?? [])]) ids.add(item.id);
          if (ids.size < 8) return;
          clearTimeout(timer);
          resolve(ids.size);
        });
      });
      socket.close();
      expect(items).toBe(8);
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('builds the renderer only when a source or the source-map setting changed', async () => {
    const outdir = mkdtempSync(join(tmpdir(), 'wbt-renderer-'));
    const bundle = join(outdir, 'app.js');
    await buildRenderer(outdir);
    const built = statSync(bundle).mtimeMs;
    await buildRenderer(outdir);
    expect(statSync(bundle).mtimeMs).toBe(built);
    utimesSync(bundle, new Date(0), new Date(0));
    await buildRenderer(outdir);
    const rebuilt = statSync(bundle).mtimeMs;
    expect(rebuilt).toBeGreaterThan(built);
    process.env.WORKBIN_TRAY_SOURCEMAPS = '1';
    try {
      await buildRenderer(outdir);
    } finally {
      delete process.env.WORKBIN_TRAY_SOURCEMAPS;
    }
    expect(statSync(bundle).mtimeMs).toBeGreaterThan(rebuilt);
    expect(existsSync(`${bundle}.map`)).toBe(true);
    // Back without maps: the debugging build's map is not left to be served.
    await buildRenderer(outdir);
    expect(existsSync(`${bundle}.map`)).toBe(false);
  });

  it('ends cleanly on SIGTERM, start after start', async () => {
    // A start must not depend on what an earlier one left behind: with a V8 code cache kept
    // between runs (tried, then reverted), starts from a cache written five seconds into an
    // earlier run died of SIGSEGV or hung on Node 20.20.2.
    const sim = await startSimulator();
    try {
      for (let start = 0; start < 2; start++) {
        const child = startWatch(sim.url);
        const ended = new Promise<number | string | null>((resolve) =>
          child.once('exit', (code, signal) => resolve(signal ?? code)),
        );
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('watch did not sync')), 20_000);
          createInterface({ input: child.stdout }).on('line', (line) => {
            if (!line.includes('"type":"synced"')) return;
            clearTimeout(timer);
            resolve();
          });
        });
        // A while on, as a user's run is: the cache that crashed the next start was written
        // five seconds in.
        await new Promise((resolve) => setTimeout(resolve, 6_000));
        child.kill('SIGTERM');
        const outcome = await Promise.race([
          ended,
          new Promise((resolve) =>
            setTimeout(() => resolve('still running 10 s after SIGTERM'), 10_000),
          ),
        ]);
        if (outcome !== 0) child.kill('SIGKILL');
        expect({ start, outcome }).toEqual({ start, outcome: 0 });
      }
    } finally {
      await sim.stop();
    }
  }, 60_000);

  it('goes through HTTP_PROXY, with undici loaded from outside the bundle', async () => {
    const sim = await startSimulator();
    const proxy = await startForwardingProxy();
    const child = startWatch(sim.url, ['--once'], { HTTP_PROXY: proxy.url, NO_PROXY: '' });
    // Read and dropped: a pipe left full would stop it.
    child.stdout.resume();
    try {
      const code = await new Promise((resolve) => child.once('exit', resolve));
      expect(code).toBe(0);
      // REST: undici tunnels through the proxy.
      expect(proxy.seen).toContain(`CONNECT ${new URL(sim.url).host}`);
    } finally {
      child.kill('SIGKILL');
      proxy.close();
      await sim.stop();
    }
  });

  it('says how to use it when the command is unknown', () => {
    const unknown = run('deploy');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('usage: node scripts/run-bundled.mjs <web|watch>');
  });
});
