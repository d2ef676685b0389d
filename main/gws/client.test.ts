import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../sim/harness.js';
import type { GwsSimulator } from '../../sim/simulator.js';
import { GwsClient } from './client.js';
import { SessionCookies } from './cookie-jar.js';

let sim: GwsSimulator;

beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.stop());

function clientFor(url: string, user = 'agent1', password = 'demo', timeout = 5_000): GwsClient {
  return new GwsClient({
    baseUrl: new URL(url),
    credentials: { user, password },
    cookies: new SessionCookies(),
    timeout,
  });
}

/** A real server that answers every request with `status` and `body`. */
async function fixedServer(status: number, body: string): Promise<{ url: string; close(): void }> {
  const server = createServer((_req, res) => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(body);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => server.close(),
  };
}

describe('GwsClient', () => {
  it('signs in and then carries the session cookie and CSRF header', async () => {
    const client = clientFor(sim.url);
    const me = await client.signIn();
    expect(me).toEqual({
      ok: true,
      value: { id: 'u-agent1', userName: 'agent1', displayName: 'Ada Lovelace', supervisor: false },
    });
    expect(Object.keys(client.sessionHeaders())).toEqual(['X-CSRF-TOKEN']);
    const ref = await client.subscription('Subscribe', 'workitems');
    expect(ref.ok).toBe(true);
    expect(sim.sessions.size).toBeGreaterThan(0);
  });

  it('reports rejected credentials as such', async () => {
    const result = await clientFor(sim.url, 'agent1', 'wrong').signIn();
    expect(result).toMatchObject({ ok: false, error: { kind: 'credentials', status: 401 } });
  });

  it('signs in again by itself when the server forgot the session', async () => {
    const client = clientFor(sim.url);
    await client.signIn();
    sim.expireSessions({ http: true });
    const list = await client.listWorkbins();
    expect(list.ok && list.value.length).toBe(4);
  });

  it('reports a refused connection as a network error', async () => {
    const closed = await fixedServer(200, '{}');
    closed.close();
    const result = await clientFor(closed.url).signIn();
    expect(result).toMatchObject({ ok: false, error: { kind: 'network', code: 'ECONNREFUSED' } });
  });

  it('reports 5xx as a server error and a non-GWS answer as a protocol error', async () => {
    const failing = await fixedServer(
      503,
      '{"statusCode":1,"statusMessage":"Service Unavailable"}',
    );
    const garbage = await fixedServer(200, '<html>login page</html>');
    try {
      expect(await clientFor(failing.url).signIn()).toMatchObject({
        ok: false,
        error: { kind: 'server', status: 503, message: 'Service Unavailable' },
      });
      expect(await clientFor(garbage.url).signIn()).toMatchObject({
        ok: false,
        error: { kind: 'protocol' },
      });
    } finally {
      failing.close();
      garbage.close();
    }
  });

  it('times out on a hung server', async () => {
    sim.hang();
    try {
      const result = await clientFor(sim.url, 'agent1', 'demo', 300).signIn();
      expect(result).toMatchObject({ ok: false, error: { kind: 'timeout' } });
    } finally {
      sim.resume();
    }
  });

  it('refuses a certificate it cannot verify (TLS verification stays on)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wbt-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    const server = createTlsServer(
      { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
      (_req, res) => res.end('{}'),
    );
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const result = await clientFor(url).signIn();
      expect(result).toMatchObject({ ok: false, error: { kind: 'tls' } });
    } finally {
      server.close();
    }
  });
});
