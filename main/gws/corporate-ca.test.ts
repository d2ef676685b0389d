/**
 * A corporate CA: the server's certificate is signed by a CA the machine does not ship. TLS
 * verification stays on; the CA is added the way Node documents, NODE_EXTRA_CA_CERTS, and
 * then (only then) the sign-in goes through. Child processes: Node reads it at start.
 */
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'wbt-ca-'));
let server: Server;
let url: string;

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
}

beforeAll(async () => {
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=Corp Root CA',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
  );
  openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=127.0.0.1',
    '-keyout',
    'server.key',
    '-out',
    'server.csr',
  );
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  openssl(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    'san.ext',
    '-out',
    'server.pem',
  );
  server = createServer(
    { key: readFileSync(join(dir, 'server.key')), cert: readFileSync(join(dir, 'server.pem')) },
    (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ statusCode: 0, user: { id: 'u-1', userName: 'agent1' } }));
    },
  );
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => server.close());

function signIn(env: Record<string, string>) {
  const script = join(dir, 'sign-in.mts');
  const client = new URL('./client.ts', import.meta.url).pathname;
  const jar = new URL('./cookie-jar.ts', import.meta.url).pathname;
  writeFileSync(
    script,
    `import { GwsClient } from ${JSON.stringify(client)};
import { SessionCookies } from ${JSON.stringify(jar)};
const result = await new GwsClient({ baseUrl: new URL(${JSON.stringify(url)}), credentials: { user: 'agent1', password: 'p' }, cookies: new SessionCookies() }).signIn();
console.log(JSON.stringify(result.ok ? { ok: true } : { ok: false, kind: result.error.kind }));`,
  );
  // Not spawnSync: the server answering it lives in this process.
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, NODE_EXTRA_CA_CERTS: '', ...env },
  });
  let out = '';
  child.stdout.on('data', (chunk) => {
    out += String(chunk);
  });
  return once(child, 'exit').then(
    () => JSON.parse(out.trim().split('\n').pop() ?? '{}') as { ok: boolean; kind?: string },
  );
}

describe('a corporate CA', () => {
  it('is refused until it is trusted, then accepted, with verification on throughout', async () => {
    expect(await signIn({})).toEqual({ ok: false, kind: 'tls' });
    expect(await signIn({ NODE_EXTRA_CA_CERTS: join(dir, 'ca.pem') })).toEqual({ ok: true });
  });
});
