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
