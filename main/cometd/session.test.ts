import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../sim/harness.js';
import { SessionCookies } from '../gws/cookie-jar.js';
import { CometdSession } from './session.js';

let session: CometdSession | undefined;
afterEach(async () => {
  await session?.stop(200);
  session = undefined;
});

describe('CometdSession over websocket', () => {
  it('sends the session cookie and the CSRF header on the upgrade request', async () => {
    // A real HTTP server that records the upgrade and refuses everything else.
    const upgrades: IncomingHttpHeaders[] = [];
    const server = createServer((_req, res) => res.writeHead(503).end());
    server.on('upgrade', (req, socket) => {
      upgrades.push(req.headers);
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const cookies = new SessionCookies();
    cookies.store(base, ['JSESSIONID=ABC123; Path=/; HttpOnly']);
    try {
      session = new CometdSession({
        url: `${base}/api/v2/notifications`,
        cookies,
        headers: () => ({ 'X-CSRF-TOKEN': 'token-1' }),
        transport: 'websocket',
      });
      session.start();
      await waitFor(() => upgrades[0], 'the websocket upgrade');
      expect(upgrades[0]?.cookie).toBe('JSESSIONID=ABC123');
      expect(upgrades[0]?.['x-csrf-token']).toBe('token-1');
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('CometdSession over long polling', () => {
  it('reads a reply whose UTF-8 characters are split between TCP packets', async () => {
    // TCP may cut a reply anywhere, inside a character too. Each piece decoded apart would
    // turn the character's bytes into U+FFFD.
    const subject = 'Réclamation — 注文 📧 Ünïcødé';
    const event = { channel: '/v2/me/workbins', data: { subject } };
    let polls = 0;
    const server = createServer((request, response) => {
      let text = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => {
        text += chunk;
      });
      request.on('end', () => {
        const [first] = JSON.parse(text) as { channel: string; id?: string }[];
        const meta = (extra: object) => ({ ...first, successful: true, clientId: 'c1', ...extra });
        response.writeHead(200, { 'content-type': 'application/json;charset=UTF-8' });
        if (first?.channel === '/meta/handshake') {
          response.end(
            JSON.stringify([meta({ version: '1.0', supportedConnectionTypes: ['long-polling'] })]),
          );
        } else if (first?.channel === '/meta/connect' && ++polls === 2) {
          const bytes = Buffer.from(JSON.stringify([event, meta({})]));
          // Every other byte a packet of its own: each multi-byte character is split.
          let at = 0;
          const next = () => {
            if (at >= bytes.length) return response.end();
            response.write(bytes.subarray(at, at + 1 + (at % 2)));
            at += 1 + (at % 2);
            setTimeout(next, 1);
          };
          next();
        } else if (first?.channel === '/meta/connect' && polls > 2) {
          // Held, as a server holds a poll with nothing to say.
          setTimeout(() => response.end(JSON.stringify([meta({})])), 5_000).unref();
        } else {
          response.end(JSON.stringify([meta({})]));
        }
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      session = new CometdSession({
        url: `${base}/api/v2/notifications`,
        cookies: new SessionCookies(),
        headers: () => ({}),
      });
      const received: unknown[] = [];
      session.on('message', (data) => received.push(data));
      session.start();
      await waitFor(() => received[0], 'the message');
      expect(received[0]).toEqual({ subject });
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
