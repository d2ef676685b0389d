import { randomBytes, timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname } from 'node:path';
import { type WebSocket, WebSocketServer } from 'ws';
import { type CoreEvent, parseCommand } from '../contract/protocol.js';
import type { CoreBridge } from './core-bridge.js';
import { contentSecurityPolicy } from './csp.js';
import { staticFile } from './static-file.js';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json',
};

export interface WebHost {
  readonly url: string;
  /** The URL to open: carries the access token in the fragment (never sent to a server). */
  readonly openUrl: string;
  readonly token: string;
  close(): Promise<void>;
}

function sameToken(given: string | null, token: string): boolean {
  if (!given || given.length !== token.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(token));
}

/**
 * Browser mode: serves the renderer and carries the bridge protocol over a WebSocket, on
 * loopback only. The WebSocket needs the token, our own Origin and our own Host (DNS
 * rebinding); every command is validated before it reaches the core.
 */
export async function startWebHost(options: {
  bridge: CoreBridge;
  staticDir: string;
  port: number;
}): Promise<WebHost> {
  const token = randomBytes(24).toString('hex');
  const server: Server = createServer();
  server.listen(options.port, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  const allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    if (!allowedHosts.has(request.headers.host ?? '')) {
      response.writeHead(421).end();
      return;
    }
    void serveStatic(options.staticDir, request, response, origin);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', origin);
    const originOk =
      request.headers.origin === origin || request.headers.origin === `http://localhost:${port}`;
    if (
      url.pathname !== '/bridge' ||
      !allowedHosts.has(request.headers.host ?? '') ||
      !originOk ||
      !sameToken(url.searchParams.get('token'), token)
    ) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => attach(ws));
  });

  const clients = new Set<WebSocket>();
  const send = (ws: WebSocket, event: CoreEvent) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(event));
  };
  const broadcast = (event: CoreEvent) => {
    for (const ws of clients) send(ws, event);
  };
  options.bridge.on('event', broadcast);

  function attach(ws: WebSocket): void {
    clients.add(ws);
    ws.on('close', () => clients.delete(ws));
    ws.on('message', (raw) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw.toString());
      } catch {
        parsed = undefined;
      }
      const command = parseCommand(parsed);
      if (!command) return; // A well-behaved UI never sends these; nothing to answer.
      void options.bridge.handle(command, (event) => send(ws, event));
    });
  }

  return {
    url: origin,
    openUrl: `${origin}/#token=${token}`,
    token,
    close: async () => {
      options.bridge.off('event', broadcast);
      for (const ws of clients) ws.terminate();
      wss.close();
      const closed = once(server, 'close');
      server.close();
      server.closeAllConnections();
      await closed;
    },
  };
}

async function serveStatic(
  root: string,
  request: IncomingMessage,
  response: ServerResponse,
  origin: string,
): Promise<void> {
  const file = staticFile(root, new URL(request.url ?? '/', origin).pathname);
  if (file === null || request.method !== 'GET') {
    response.writeHead(404).end();
    return;
  }
  try {
    const body = await readFile(file);
    response.writeHead(200, {
      'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': contentSecurityPolicy(origin.replace(/^http/, 'ws')),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    });
    response.end(body);
  } catch {
    response.writeHead(404).end();
  }
}
