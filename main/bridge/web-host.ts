import { randomBytes, timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname } from 'node:path';
import { type WebSocket, WebSocketServer } from 'ws';
import { stringifyAscii } from '../contract/ascii-json.js';
import { type CoreEvent, parseCommand } from '../contract/protocol.js';
import type { CoreBridge } from './core-bridge.js';
import { contentSecurityPolicy } from './csp.js';
import { SnapshotSender } from './snapshot-sender.js';
import { staticFile } from './static-file.js';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
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
/** The largest frame a UI may send: the largest valid command (a full mute list) fits. */
export const MAX_FRAME = 2 * 1024 * 1024;
/**
 * The most a client may have unread beyond the snapshot it is reading (a 100,000-item
 * snapshot alone is 60 MB). Past it, events are no longer queued for it: it gets one fresh
 * snapshot once it has read its backlog, so nothing it missed is lost and memory stays bound.
 */
const MAX_BUFFERED = 16 * 1024 * 1024;
/** A client whose backlog has not shrunk for this long reads nothing: it is dropped. */
const STALLED_MS = 10_000;
/** How often a client that is behind is looked at. */
const CATCH_UP_POLL_MS = 50;
/** Commands per client: a burst of 100, then 50 a second. A UI sends a few a minute. */
const COMMAND_BURST = 100;
const COMMANDS_PER_SECOND = 50;

/**
 * How long `ws`'s backlog has stood still, each time it is asked: since it was last seen
 * smaller. A client whose backlog stands still past the stall bound reads nothing.
 */
function backlogStill(ws: WebSocket): () => number {
  let lowest = ws.bufferedAmount;
  let since = Date.now();
  return () => {
    if (ws.bufferedAmount < lowest) {
      lowest = ws.bufferedAmount;
      since = Date.now();
    }
    return Date.now() - since;
  };
}

/** The path of a request target, or null when it is not one we can read. */
function pathOf(target: string | undefined): string | null {
  if (!target?.startsWith('/')) return null;
  try {
    return new URL(target, 'http://127.0.0.1').pathname;
  } catch {
    return null;
  }
}

export async function startWebHost(options: {
  bridge: CoreBridge;
  staticDir: string;
  port: number;
  /** How long a client's backlog may stand still before it is dropped (ms). */
  stalledMs?: number;
}): Promise<WebHost> {
  const stalledMs = options.stalledMs ?? STALLED_MS;
  const token = randomBytes(24).toString('hex');
  const server: Server = createServer();
  server.listen(options.port, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  const allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  // Whatever arrives is checked before it is parsed: the Host first (DNS rebinding), then
  // the request target, which a hostile client can make unparseable.
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    if (!allowedHosts.has(request.headers.host ?? '')) {
      response.writeHead(421).end();
      return;
    }
    const path = pathOf(request.url);
    if (path === null) {
      response.writeHead(400).end();
      return;
    }
    serveStatic(options.staticDir, request, response, path, origin).catch(() => {
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME });
  server.on('upgrade', (request, socket, head) => {
    socket.on('error', () => socket.destroy());
    const refuse = (status: string) =>
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
    if (!allowedHosts.has(request.headers.host ?? '')) return refuse('403 Forbidden');
    const path = pathOf(request.url);
    if (path === null) return refuse('400 Bad Request');
    const given = new URL(request.url ?? '/', origin).searchParams.get('token');
    const originOk =
      request.headers.origin === origin || request.headers.origin === `http://localhost:${port}`;
    if (path !== '/bridge' || !originOk || !sameToken(given, token)) return refuse('403 Forbidden');
    wss.handleUpgrade(request, socket, head, (ws) => attach(ws));
  });

  /**
   * Per client: the length of the snapshot it may still be reading (allowed on top of
   * MAX_BUFFERED), whether it fell behind (events are then held back for a fresh snapshot),
   * the watch that runs while its backlog is large, and its snapshots on their way.
   */
  interface Client {
    snapshotAllowance: number;
    behind: boolean;
    watch: NodeJS.Timeout | undefined;
    snapshots: SnapshotSender;
  }
  const clients = new Map<WebSocket, Client>();
  /** `text`: the event as JSON, when the caller has it already (a broadcast encodes once). */
  const send = (ws: WebSocket, event: CoreEvent, text?: string) => {
    const client = clients.get(ws);
    if (!client || ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount <= MAX_BUFFERED) client.snapshotAllowance = 0;
    if (client.behind) return;
    if (ws.bufferedAmount > MAX_BUFFERED) watchBacklog(ws, client);
    if (ws.bufferedAmount > MAX_BUFFERED + client.snapshotAllowance) {
      client.behind = true;
      return;
    }
    ws.send(text ?? stringifyAscii(event));
  };
  /**
   * Sends a snapshot's frame and says when it has left: true once the socket has taken it,
   * false when the client is gone, or dropped because its backlog stood still for `stalledMs`
   * (a client that reads nothing never builds a large backlog of parts: they wait for it).
   */
  const sendFrame = (ws: WebSocket, text: string) =>
    new Promise<boolean>((resolve) => {
      const still = backlogStill(ws);
      const watch = setInterval(() => {
        const open = ws.readyState === ws.OPEN;
        if (open && still() <= stalledMs) return;
        clearInterval(watch);
        if (open) ws.terminate();
        resolve(false);
      }, CATCH_UP_POLL_MS);
      ws.send(text, (error) => {
        clearInterval(watch);
        resolve(!error);
      });
    });
  /**
   * A snapshot's frames all go, however far behind the client is: one with a part missing
   * would be a wrong list. What it may still be reading grows by each.
   */
  const snapshotsFor = (ws: WebSocket) =>
    new SnapshotSender(
      () => options.bridge.snapshotInParts(),
      (frame) => {
        const reader = clients.get(ws);
        if (!reader || ws.readyState !== ws.OPEN) return false;
        if (ws.bufferedAmount <= MAX_BUFFERED) reader.snapshotAllowance = 0;
        const json = stringifyAscii(frame);
        reader.snapshotAllowance += json.length;
        return sendFrame(ws, json);
      },
    );
  const requestSnapshot = (ws: WebSocket) => clients.get(ws)?.snapshots.request();
  /**
   * While a client's backlog is large: once it has read most of it, a client that fell behind
   * gets a fresh snapshot; a client whose backlog stops shrinking reads nothing and is dropped.
   */
  const watchBacklog = (ws: WebSocket, client: Client) => {
    if (client.watch) return;
    const still = backlogStill(ws);
    const stop = () => {
      clearInterval(client.watch);
      client.watch = undefined;
    };
    client.watch = setInterval(() => {
      if (ws.readyState !== ws.OPEN) return stop();
      const standing = still();
      if (ws.bufferedAmount <= MAX_BUFFERED / 4) {
        stop();
        if (!client.behind) return;
        client.behind = false;
        requestSnapshot(ws);
      } else if (standing > stalledMs) {
        stop();
        ws.terminate();
      }
    }, CATCH_UP_POLL_MS);
  };
  const broadcast = (event: CoreEvent) => {
    if (clients.size === 0) return;
    // A new snapshot (signed in, out, or synced after a start from the cache) goes in parts
    // too; read when sent, it holds this one's changes and any since.
    if (event.type === 'snapshot') {
      for (const ws of clients.keys()) requestSnapshot(ws);
      return;
    }
    const text = stringifyAscii(event);
    for (const ws of clients.keys()) send(ws, event, text);
  };
  options.bridge.on('event', broadcast);

  function attach(ws: WebSocket): void {
    clients.set(ws, {
      snapshotAllowance: 0,
      behind: false,
      watch: undefined,
      snapshots: snapshotsFor(ws),
    });
    // An oversize frame or a broken socket ends this client only (ws closes it: 1009, 1006).
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      clearInterval(clients.get(ws)?.watch);
      clients.delete(ws);
    });
    let tokens = COMMAND_BURST;
    let refilled = Date.now();
    ws.on('message', (raw) => {
      const now = Date.now();
      tokens = Math.min(COMMAND_BURST, tokens + ((now - refilled) / 1000) * COMMANDS_PER_SECOND);
      refilled = now;
      if (tokens < 1) {
        ws.close(1008, 'too many commands');
        return;
      }
      tokens--;
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw.toString());
      } catch {
        parsed = undefined;
      }
      const command = parseCommand(parsed);
      if (!command) return; // A well-behaved UI never sends these; nothing to answer.
      if (command.type === 'hello') {
        requestSnapshot(ws);
        return;
      }
      void options.bridge.handle(command, (event) => send(ws, event));
    });
  }

  return {
    url: origin,
    openUrl: `${origin}/#token=${token}`,
    token,
    close: async () => {
      options.bridge.off('event', broadcast);
      for (const ws of clients.keys()) ws.terminate();
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
  path: string,
  origin: string,
): Promise<void> {
  const file = staticFile(root, path);
  // Only what a page needs: a source map (from a debug build) would hand out the source.
  if (file === null || request.method !== 'GET' || !CONTENT_TYPES[extname(file)]) {
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
