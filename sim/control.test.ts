import { spawn } from 'node:child_process';
import type { Server } from 'node:http';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlUrl, startControlServer } from './control.js';
import { startSimulator, waitFor } from './harness.js';
import type { GwsSimulator } from './simulator.js';
import { parseSeed, SeedError } from './store.js';

let sim: GwsSimulator;
let control: Server;
let base: string;

beforeAll(async () => {
  sim = await startSimulator();
  control = await startControlServer(sim, 0);
  base = controlUrl(control);
});
afterAll(async () => {
  control.close();
  await sim.stop();
});

async function call(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const [url, token] = base.split('#token=');
  const response = await fetch(`${url?.replace(/\/$/, '')}${path}`, {
    method,
    headers: { 'content-type': 'application/json', 'x-control-token': token ?? '' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('control API', () => {
  it('answers only its token, JSON bodies and a loopback Host: no web page can drive it', async () => {
    const [url, token] = base.split('#token=');
    expect(token).toMatch(/^[0-9a-f]{32,}$/);
    const target = `${url?.replace(/\/$/, '')}/faults/stop`;
    // A page's "simple" cross-origin POST: text/plain, no token.
    const simple = await fetch(target, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'text/plain' },
    });
    expect(simple.status).toBe(403);
    const wrongType = await fetch(target, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'text/plain', 'x-control-token': token ?? '' },
    });
    expect(wrongType.status).toBe(415);
    const { request } = await import('node:http');
    const rebound = await new Promise<number>((resolve) => {
      const u = new URL(url ?? '');
      request(
        {
          host: u.hostname,
          port: u.port,
          path: '/state',
          headers: { host: 'evil.example', 'x-control-token': token ?? '' },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      ).end();
    });
    expect(rebound).toBe(421);
    expect(sim.running).toBe(true);
  });

  it('switches behaviours, refusing unknown switches and wrong types', async () => {
    const before = await call('GET', '/behaviour');
    expect(before.body).toMatchObject({ referenceIdInAnswers: false, htmlErrors: false });
    const changed = await call('POST', '/behaviour', { htmlErrors: true, signInDelay: 50 });
    expect(changed.body).toMatchObject({ htmlErrors: true, signInDelay: 50 });
    expect((await call('POST', '/behaviour', { nope: true })).status).toBe(400);
    expect((await call('POST', '/behaviour', { signInDelay: -1 })).status).toBe(400);
    expect((await call('POST', '/behaviour', { htmlErrors: 'yes' })).status).toBe(400);
    await call('POST', '/behaviour', { htmlErrors: false, signInDelay: 0 });
    expect((await call('POST', '/faults/fail-contents', { workbin: 'workitems' })).body).toEqual({
      workbin: 'workitems',
      failing: 1,
    });
    sim.failContentsLoads('workitems', 0);
    expect((await call('POST', '/faults/fail-channel-subscribe', { count: 2 })).body).toEqual({
      denying: 2,
    });
    sim.failChannelSubscribes(0);
  });

  it('adds and removes items, in bulk too', async () => {
    const added = await call('POST', '/items', {
      kind: 'tweet',
      workbin: 'social-inbox',
      owner: 'agent1',
      count: 3,
    });
    expect(added.status).toBe(200);
    const ids = added.body.added as string[];
    expect(ids).toHaveLength(3);
    expect(sim.truth('u-agent1')['social-inbox']).toEqual(expect.arrayContaining(ids));
    const removed = await call('DELETE', `/items/${ids[0]}`);
    expect(removed.body).toEqual({ removed: ids[0] });
    expect((await call('DELETE', `/items/${ids[0]}`)).status).toBe(404);
  });

  it('answers bad input with 400 and a precise message', async () => {
    const cases: Array<[string, string, unknown, string]> = [
      ['POST', '/items', { kind: 'fax', workbin: 'x' }, 'item.kind'],
      ['POST', '/items', { kind: 'email', workbin: 'email-inprogress' }, '2 owners'],
      ['POST', '/raw', { user: 'agent1' }, 'data is required'],
      ['POST', '/faults/restart', { downMs: -1 }, 'downMs'],
      ['POST', '/seed', { users: 'nope' }, 'users: expected an array'],
    ];
    for (const [method, path, body, message] of cases) {
      const result = await call(method, path, body);
      expect(result.status, path).toBe(400);
      expect(String(result.body.error)).toContain(message);
    }
    expect((await call('POST', '/nowhere', {})).status).toBe(404);
    expect((await call('POST', '/request-failed', { user: 'nobody', workbin: 'x' })).status).toBe(
      404,
    );
  });

  it('reports state without passwords, and the truth per user', async () => {
    const state = await call('GET', '/state');
    expect(JSON.stringify(state.body)).not.toContain('"password"');
    expect((state.body.users as unknown[]).length).toBe(3);
    const truth = await call('GET', '/truth?user=agent2');
    expect(Object.keys(truth.body)).toEqual(['email-inprogress']);
  });

  it('restarts the GWS port while the control port stays up', async () => {
    const port = sim.port;
    const result = await call('POST', '/faults/restart', { downMs: 50 });
    expect(result.body).toMatchObject({ restarted: true, downMs: 50 });
    expect(sim.port).toBe(port);
    expect(sim.running).toBe(true);
  });

  it('replaces all data from a seed', async () => {
    const result = await call('POST', '/seed', {
      users: [{ id: 'u1', userName: 'solo', password: 'pw' }],
      workbins: [{ id: 'only', owner: 'u1' }],
      items: [{ kind: 'openmedia', workbin: 'only' }],
    });
    expect(result.body).toEqual({ users: 1, workbins: 1, items: 1 });
    expect(Object.keys(sim.truth('u1'))).toEqual(['only']);
  });
});

describe('parseSeed', () => {
  it('names the exact field that is wrong', () => {
    expect(() => parseSeed({ users: [{ id: 'a', userName: 'b' }] })).toThrow('users[0].password');
    expect(() => parseSeed({ workbins: [{ id: 'w', owner: 'u', type: 'Queue' }] })).toThrow(
      'workbins[0].type',
    );
    expect(() => parseSeed({ items: [{ kind: 'email', workbin: 'w', userData: [] }] })).toThrow(
      'items[0].userData',
    );
    expect(() => parseSeed([])).toThrow(SeedError);
  });
});

describe('npm run sim', () => {
  it('starts with the demo data and prints its URL and credentials', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'sim/cli.ts', '--port', '0', '--control-port', '0'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const lines: string[] = [];
    createInterface({ input: child.stdout }).on('line', (l) => lines.push(l));
    try {
      await waitFor(() => lines.some((l) => l.includes('Press Ctrl+C')), 'banner', 15_000);
      const url = /GWS simulator: (http:\/\/127\.0\.0\.1:\d+)/.exec(lines.join('\n'))?.[1];
      expect(url).toBeDefined();
      expect(lines.join('\n')).toContain('agent1 (demo)');
      const auth = Buffer.from('agent1:demo').toString('base64');
      const me = await fetch(`${url}/api/v2/me`, { headers: { Authorization: `Basic ${auth}` } });
      expect(me.status).toBe(200);
    } finally {
      child.kill('SIGINT');
    }
    expect(await new Promise((resolve) => child.once('exit', resolve))).toBe(0);
  });
});
