import { randomBytes, timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import { chmodSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseBehaviourPatch } from './behaviour.js';
import { HttpError, readJson, sendJson } from './http-util.js';
import type { SubscriptionTarget } from './messages.js';
import type { GwsSimulator } from './simulator.js';
import { parseGroupKey, parseItemSpec, parseSeed, SeedError } from './store.js';

function field(body: unknown, key: string): unknown {
  return typeof body === 'object' && body !== null
    ? (body as Record<string, unknown>)[key]
    : undefined;
}

function optionalString(body: unknown, key: string): string | undefined {
  const value = field(body, key);
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '')
    throw new HttpError(400, `${key}: expected a string`);
  return value;
}

function requiredString(body: unknown, key: string): string {
  const value = optionalString(body, key);
  if (value === undefined) throw new HttpError(400, `${key} is required`);
  return value;
}

function optionalNumber(body: unknown, key: string, fallback: number): number {
  const value = field(body, key) ?? fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new HttpError(400, `${key}: expected a non-negative number`);
  }
  return value;
}

/** Resolves a user given by id or by user name. */
function userId(sim: GwsSimulator, given: string): string {
  if (sim.store.users.has(given)) return given;
  const byName = sim.store.userByName(given);
  if (byName) return byName.id;
  throw new HttpError(404, `unknown user ${given}`);
}

/** The header that carries the control token (a web page cannot set it cross-origin). */
export const CONTROL_TOKEN_HEADER = 'x-control-token';

const tokens = new WeakMap<Server, string>();

/**
 * Whether a request may drive the simulator: our token, a loopback Host (no DNS rebinding),
 * and a JSON body (no "simple" cross-origin form or text/plain POST). The status to answer
 * with otherwise.
 */
function refusal(request: IncomingMessage, token: string, port: number): number | null {
  const loopback = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
  if (!loopback.includes(request.headers.host ?? '')) return 421;
  const given = request.headers[CONTROL_TOKEN_HEADER];
  if (typeof given !== 'string' || given.length !== token.length) return 403;
  if (!timingSafeEqual(Buffer.from(given), Buffer.from(token))) return 403;
  const type = request.headers['content-type'] ?? '';
  if (request.method !== 'GET' && !/^application\/json\b/i.test(type)) return 415;
  return null;
}

/**
 * The control API: how demos, tests and `npm run simctl` drive the simulator. Loopback only,
 * on its own port so that it stays up while the GWS port is restarted or hung.
 */
export async function handleControl(
  sim: GwsSimulator,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const url = new URL(request.url?.startsWith('/') ? request.url : '/', 'http://control');
  const route = `${request.method ?? 'GET'} ${url.pathname}`;
  try {
    const body = request.method === 'GET' ? {} : await readJson(request);
    sendJson(response, 200, await dispatch(sim, route, url, body));
  } catch (error) {
    const status =
      error instanceof HttpError ? error.status : error instanceof SeedError ? 400 : 500;
    sendJson(response, status, { error: error instanceof Error ? error.message : String(error) });
  }
}

async function dispatch(
  sim: GwsSimulator,
  route: string,
  url: URL,
  body: unknown,
): Promise<unknown> {
  const itemMatch = /^DELETE \/items\/([^/]+)$/.exec(route);
  if (itemMatch?.[1]) {
    const removed = sim.removeItem(decodeURIComponent(itemMatch[1]));
    if (!removed) throw new HttpError(404, `no item ${itemMatch[1]}`);
    return { removed: removed.id };
  }
  switch (route) {
    case 'GET /state':
      return {
        url: sim.url,
        running: sim.running,
        hung: sim.isHung,
        users: [...sim.store.users.values()].map(({ password: _, ...user }) => user),
        workbins: [...sim.store.workbins.values()],
        items: [...sim.store.items.values()].map(({ resource: _, ...item }) => item),
        subscribedUsers: sim.subscribedUsers(),
      };
    case 'GET /truth':
      return sim.truth(userId(sim, url.searchParams.get('user') ?? ''));
    case 'GET /items': {
      const id = url.searchParams.get('id') ?? '';
      const item = sim.store.items.get(id);
      if (!item) throw new HttpError(404, `no item ${id}`);
      return item;
    }
    case 'POST /seed':
      sim.load(parseSeed(body));
      return {
        users: sim.store.users.size,
        workbins: sim.store.workbins.size,
        items: sim.store.items.size,
      };
    case 'POST /items': {
      const spec = parseItemSpec(body);
      if (spec.ownerUserId !== undefined && !parseGroupKey(spec.ownerUserId))
        spec.ownerUserId = userId(sim, spec.ownerUserId);
      const count = optionalNumber(body, 'count', 1);
      // A fixed id can only be used once, so bulk adds always get fresh ids.
      const { id: _fixedId, ...fresh } = spec;
      const added: string[] = [];
      // `stamp`: the publish time goes into userData.publishedAt (epoch ms, sub-ms precision),
      // so that a client can measure delivery latency against the same clock.
      const stamp = field(body, 'stamp') === true;
      let publishedAt = 0;
      for (let i = 0; i < count; i++) {
        const base = count > 1 ? fresh : spec;
        publishedAt = performance.timeOrigin + performance.now();
        added.push(
          sim.addItem(stamp ? { ...base, userData: { ...base.userData, publishedAt } } : base).id,
        );
      }
      return stamp ? { added, publishedAt } : { added };
    }
    case 'POST /request-failed': {
      const target: SubscriptionTarget = { workbinId: requiredString(body, 'workbin') };
      const owner = optionalString(body, 'owner');
      if (owner !== undefined) target.workbinUserId = userId(sim, owner);
      const reason = optionalString(body, 'reason') ?? 'Request failed';
      return {
        delivered: sim.emitRequestFailed(userId(sim, requiredString(body, 'user')), target, reason),
      };
    }
    case 'POST /raw': {
      if (field(body, 'data') === undefined) throw new HttpError(400, 'data is required');
      return {
        delivered: sim.emitRaw(userId(sim, requiredString(body, 'user')), field(body, 'data')),
      };
    }
    case 'POST /faults/drop':
      return { dropped: sim.dropConnections() };
    case 'POST /faults/restart': {
      const downMs = optionalNumber(body, 'downMs', 0);
      await sim.restart(downMs);
      return { restarted: true, downMs, url: sim.url };
    }
    case 'POST /faults/stop':
      await sim.stop();
      return { stopped: true };
    case 'POST /faults/start':
      if (!sim.running) await sim.start();
      return { started: true, url: sim.url };
    case 'POST /faults/hang':
      sim.hang();
      return { hung: true };
    case 'POST /faults/resume':
      sim.resume();
      return { hung: false };
    case 'POST /faults/expire': {
      const user = optionalString(body, 'user');
      return sim.expireSessions({
        ...(user !== undefined && { userId: userId(sim, user) }),
        http: field(body, 'http') === true,
      });
    }
    case 'POST /faults/reject-credentials':
      sim.setRejectCredentials(field(body, 'on') !== false);
      return { rejecting: field(body, 'on') !== false };
    case 'GET /behaviour':
      return sim.behaviour;
    case 'POST /behaviour':
      return sim.behave(parseBehaviourPatch(body));
    case 'POST /faults/fail-channel-subscribe': {
      const count = optionalNumber(body, 'count', 1);
      sim.failChannelSubscribes(count);
      return { denying: count };
    }
    case 'POST /faults/fail-contents': {
      const workbin = requiredString(body, 'workbin');
      const count = optionalNumber(body, 'count', 1);
      sim.failContentsLoads(workbin, count);
      return { workbin, failing: count };
    }
    case 'POST /faults/fail-subscribe': {
      const workbin = requiredString(body, 'workbin');
      sim.setSubscriptionFailure(workbin, field(body, 'on') !== false);
      return { workbin, failing: field(body, 'on') !== false };
    }
    default:
      throw new HttpError(404, `no control route ${route}`);
  }
}

export async function startControlServer(
  sim: GwsSimulator,
  port: number,
  host = '127.0.0.1',
): Promise<Server> {
  const token = randomBytes(16).toString('hex');
  const server = createServer((request, response) => {
    const refused = refusal(request, token, (server.address() as AddressInfo).port);
    if (refused !== null) {
      sendJson(response, refused, {
        error: 'not allowed: use simctl, or the printed Control API URL',
      });
      return;
    }
    void handleControl(sim, request, response);
  });
  server.listen(port, host);
  await once(server, 'listening');
  tokens.set(server, token);
  return server;
}

/** The control API's address with its token: `http://127.0.0.1:8091/#token=…`. */
export function controlUrl(server: Server): string {
  const address = server.address() as AddressInfo;
  return `http://${address.address}:${address.port}/#token=${tokens.get(server) ?? ''}`;
}

/** Where simctl finds the last simulator started by `npm run sim` or `npm run web`. */
export const CONTROL_FILE = join(
  tmpdir(),
  `workbin-tray-simctl-${process.getuid?.() ?? 'user'}.json`,
);

/** Remembers `url` for simctl (owner-only: it carries the token). */
export function rememberControl(url: string): void {
  writeFileSync(CONTROL_FILE, JSON.stringify({ url }), { mode: 0o600 });
  chmodSync(CONTROL_FILE, 0o600);
}
