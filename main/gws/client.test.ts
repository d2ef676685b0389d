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

  it('shares one sign-in among concurrent 401s and keeps the old cookie until the new one', async () => {
    // GWS answers a request whose session is gone with 401; a client that clears its cookie
    // jar at sign-in sends the requests in flight without a cookie, and each 401 signs in again.
    const client = clientFor(sim.url);
    await client.signIn();
    sim.behave({ signInDelay: 150 });
    try {
      sim.expireSessions({ http: true });
      const before = sim.sessions.created;
      const answers = await Promise.all(
        ['email-draft', 'email-inprogress', 'social-inbox', 'workitems', 'workitems'].map((id) =>
          client.workbinContents(id),
        ),
      );
      expect(answers.map((a) => a.ok)).toEqual([true, true, true, true, true]);
      expect(sim.sessions.created - before).toBe(1);
    } finally {
      sim.behave({ signInDelay: 0 });
    }
  });

  it('keeps the CSRF token of the sign-in when later answers do not repeat it', async () => {
    // "You must cache the values of these headers because you'll need to use them on
    // subsequent API requests that use PUT, POST, and DELETE" (GWS API, CSRF protection).
    sim.behave({ csrfOnlyAtSignIn: true });
    try {
      const client = clientFor(sim.url);
      await client.signIn();
      expect((await client.listWorkbins()).ok).toBe(true);
      expect(await client.subscription('Subscribe', 'workitems')).toMatchObject({ ok: true });
    } finally {
      sim.behave({ csrfOnlyAtSignIn: false });
    }
  });

  it('reads HTML error pages as the error their status says', async () => {
    sim.behave({ htmlErrors: true });
    try {
      expect(await clientFor(sim.url, 'agent1', 'wrong').signIn()).toMatchObject({
        ok: false,
        error: { kind: 'credentials', status: 401 },
      });
      const client = clientFor(sim.url);
      await client.signIn();
      sim.failContentsLoads('workitems');
      expect(await client.workbinContents('workitems')).toMatchObject({
        ok: false,
        error: { kind: 'server', status: 500 },
      });
    } finally {
      sim.behave({ htmlErrors: false });
    }
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

  it('refuses an answer larger than its bound, declared or streamed', async () => {
    const body = JSON.stringify({ statusCode: 0, user: { id: 'u', userName: 'x'.repeat(4_000) } });
    const declared = await fixedServer(200, body);
    const streamed = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' }); // chunked: no length given
      res.write(body.slice(0, 2_000));
      res.end(body.slice(2_000));
    });
    streamed.listen(0, '127.0.0.1');
    await once(streamed, 'listening');
    const small = (url: string) =>
      new GwsClient({
        baseUrl: new URL(url),
        credentials: { user: 'u', password: 'p' },
        cookies: new SessionCookies(),
        maxBodyBytes: 1_000,
      });
    try {
      for (const url of [
        declared.url,
        `http://127.0.0.1:${(streamed.address() as AddressInfo).port}`,
      ]) {
        expect(await small(url).signIn()).toMatchObject({
          ok: false,
          error: { kind: 'protocol', message: expect.stringContaining('larger than') },
        });
      }
      expect((await clientFor(declared.url).signIn()).ok).toBe(true);
    } finally {
      declared.close();
      streamed.close();
    }
  });

  it('reads an answer whose characters are split between the packets that carry it', async () => {
    const name = 'Zoë 請求 🚚';
    const bytes = Buffer.from(JSON.stringify({ statusCode: 0, user: { id: 'u', userName: name } }));
    // One byte a write, each after the last has left: every character of more than one byte
    // reaches the client in pieces.
    const server = createServer(async (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      for (const byte of bytes) {
        res.write(Buffer.of(byte));
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      res.end();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const me = await clientFor(
        `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      ).signIn();
      expect(me).toMatchObject({ ok: true, value: { userName: name } });
    } finally {
      server.close();
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
