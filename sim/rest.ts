import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimBehaviour } from './behaviour.js';
import { GWS_KINDS, SIM_KINDS } from './gws-names.js';
import type { HttpSession, HttpSessions } from './http-sessions.js';
import {
  HttpError,
  parseBasicAuth,
  parseCookies,
  readJson,
  sendError,
  sendJson,
} from './http-util.js';
import type { SubscriptionTarget } from './messages.js';
import { type GroupType, groupKey, type SimStore, type SimUser, type SimWorkbin } from './store.js';

export type Operation = 'Subscribe' | 'Unsubscribe';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface RestDeps {
  store: SimStore;
  sessions: HttpSessions;
  rejectingCredentials(): boolean;
  behaviour(): SimBehaviour;
  /** True (once per armed failure) when this contents load must fail. */
  takeContentsFailure(workbinId: string): boolean;
  /**
   * Starts an async (un)subscription and returns its referenceId. `owner`: a user id, or a
   * group key (`AgentGroup:<name>`) for a team workbin.
   */
  requestSubscription(
    subscriber: SimUser,
    owner: string,
    target: SubscriptionTarget,
    operation: Operation,
  ): number;
}

export const SESSION_COOKIE = 'JSESSIONID';
export const CSRF_HEADER = 'X-CSRF-TOKEN';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'DELETE', 'PATCH']);

/** Resolves the request's GWS session: the cookie if valid, else a basic-auth sign-in. */
export function authenticate(
  deps: RestDeps,
  request: IncomingMessage,
): { session: HttpSession; fresh: boolean } {
  const cookie = parseCookies(request.headers.cookie).get(SESSION_COOKIE);
  const existing = deps.sessions.get(cookie);
  if (existing) return { session: existing, fresh: false };
  const basic = parseBasicAuth(request.headers.authorization);
  if (!basic) throw new HttpError(401, 'Authentication required');
  const user = deps.store.userByName(basic.user);
  if (deps.rejectingCredentials() || !user || user.password !== basic.password) {
    throw new HttpError(401, 'Bad credentials');
  }
  return { session: deps.sessions.create(user.id), fresh: true };
}

export function sessionOfRequest(
  deps: RestDeps,
  request: IncomingMessage,
): HttpSession | undefined {
  return deps.sessions.get(parseCookies(request.headers.cookie).get(SESSION_COOKIE));
}

function workbinSummary(workbin: SimWorkbin, base: string): Record<string, unknown> {
  return {
    id: workbin.id,
    name: workbin.name,
    displayName: workbin.displayName,
    type: workbin.type,
    uri: `${base}/${encodeURIComponent(workbin.id)}`,
  };
}

function workbinContents(
  deps: RestDeps,
  workbin: SimWorkbin,
  owner: string,
  base: string,
): unknown {
  const contents: Record<string, unknown> = workbinSummary(workbin, base);
  const items = deps.store.itemsIn(owner, workbin.id);
  for (const kind of SIM_KINDS) {
    const ofKind = items.filter((i) => i.kind === kind).map((i) => i.resource);
    if (ofKind.length > 0) contents[GWS_KINDS[kind].contents] = ofKind;
  }
  return { statusCode: 0, workbin: contents };
}

function operationOf(body: unknown): Operation {
  const name =
    typeof body === 'object' && body !== null
      ? (body as { operationName?: unknown }).operationName
      : undefined;
  if (name === 'Subscribe' || name === 'Unsubscribe') return name;
  throw new HttpError(400, 'operationName must be Subscribe or Unsubscribe');
}

/** Handles /api/v2/... except notifications. */
export async function handleRest(
  deps: RestDeps,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://gws');
  let headers: Record<string, string> = {};
  try {
    const { session, fresh } = authenticate(deps, request);
    const behaviour = deps.behaviour();
    if (fresh && behaviour.signInDelay > 0) await sleep(behaviour.signInDelay);
    headers = {
      ...((fresh || !behaviour.csrfOnlyAtSignIn) && {
        'X-CSRF-HEADER': CSRF_HEADER,
        [CSRF_HEADER]: session.csrfToken,
      }),
      ...(fresh && { 'Set-Cookie': `${SESSION_COOKIE}=${session.id}; Path=/; HttpOnly` }),
    };
    const method = request.method ?? 'GET';
    if (UNSAFE_METHODS.has(method)) {
      const sent = request.headers[CSRF_HEADER.toLowerCase()];
      if (fresh || sent !== session.csrfToken) {
        throw new HttpError(403, 'Missing or invalid Csrf token');
      }
    }
    const me = deps.store.users.get(session.userId);
    if (!me) throw new HttpError(401, 'Session user no longer exists');
    const body = await route(deps, me, method, url, request);
    sendJson(response, 200, body, headers);
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    sendError(response, error.status, error.message, deps.behaviour().htmlErrors, {
      ...headers,
      ...(error.status === 401 && { 'WWW-Authenticate': 'Basic realm="GWS"' }),
    });
  }
}

async function route(
  deps: RestDeps,
  me: SimUser,
  method: string,
  url: URL,
  request: IncomingMessage,
): Promise<unknown> {
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  // parts: api v2 me ... | api v2 users {id} ... | api v2 workbins
  if (parts[0] !== 'api' || parts[1] !== 'v2') throw new HttpError(404, 'Not found');
  if (parts[2] === 'workbins' && parts.length === 3 && method === 'GET') {
    // Every valid workbin, of every type: the user's own and the group workbins.
    return {
      statusCode: 0,
      workbins: [...deps.store.workbinsOf(me.id), ...deps.store.groupWorkbins()].map((w) =>
        workbinSummary(w, '/api/v2/workbins'),
      ),
    };
  }
  let owner: SimUser;
  let rest: string[];
  if (parts[2] === 'me') {
    owner = me;
    rest = parts.slice(3);
  } else if (parts[2] === 'users' && parts[3] !== undefined) {
    const other = deps.store.users.get(parts[3]);
    if (!other) throw new HttpError(404, `User ${parts[3]} not found`);
    if (other.id !== me.id && !me.supervisor) {
      throw new HttpError(403, 'Supervisor role required to access other users');
    }
    owner = other;
    rest = parts.slice(4);
  } else {
    throw new HttpError(404, 'Not found');
  }
  const base = `/api/v2/${owner === me ? 'me' : `users/${encodeURIComponent(owner.id)}`}/workbins`;
  // A team workbin is the agent's own (`/me/workbins/{id}`) named with its group.
  const agentGroup = url.searchParams.get('agentGroup');
  const placeGroup = url.searchParams.get('placeGroup');
  let ownerKey = owner.id;
  if (agentGroup !== null || placeGroup !== null) {
    const type: GroupType = agentGroup !== null ? 'AgentGroup' : 'PlaceGroup';
    const name = agentGroup ?? placeGroup ?? '';
    if (owner !== me || (agentGroup !== null && placeGroup !== null) || name === '')
      throw new HttpError(400, 'Name one agentGroup or placeGroup, on /me only');
    const member = type === 'AgentGroup' ? me.agentGroups : me.placeGroups;
    if (!member.includes(name)) throw new HttpError(403, `Not a member of ${type} ${name}`);
    ownerKey = groupKey(type, name);
  }
  const target = (workbinId: string): SubscriptionTarget => {
    const t: SubscriptionTarget = { workbinId };
    if (owner !== me) t.workbinUserId = owner.id;
    if (agentGroup) t.agentGroup = agentGroup;
    if (placeGroup) t.placeGroup = placeGroup;
    return t;
  };

  if (rest.length === 0 && method === 'GET') {
    return {
      statusCode: 0,
      user: {
        id: owner.id,
        userName: owner.userName,
        firstName: owner.firstName,
        lastName: owner.lastName,
        employeeId: owner.employeeId,
        roles: owner.supervisor ? ['ROLE_AGENT', 'ROLE_SUPERVISOR'] : ['ROLE_AGENT'],
      },
    };
  }
  if (rest[0] !== 'workbins' || rest.length > 2) throw new HttpError(404, 'Not found');
  const workbinId = rest[1];

  if (workbinId === undefined) {
    if (method === 'GET') {
      return {
        statusCode: 0,
        // Only Agent and Place workbins here: group workbins are under /api/v2/workbins.
        workbins: deps.store.workbinsOf(owner.id).map((w) => workbinSummary(w, base)),
      };
    }
    if (method === 'POST') {
      const ids = (url.searchParams.get('workbinIds') ?? '').split(',').filter(Boolean);
      if (ids.length === 0) throw new HttpError(400, 'workbinIds is required');
      const unknown = ids.filter((id) => !deps.store.workbin(ownerKey, id));
      if (unknown.length > 0)
        throw new HttpError(404, `Workbin(s) not found: ${unknown.join(',')}`);
      const operation = operationOf(await readJson(request));
      const referenceIds: Record<string, number> = {};
      for (const id of ids) {
        referenceIds[id] = deps.requestSubscription(me, ownerKey, target(id), operation);
      }
      return { statusCode: 0, referenceIds };
    }
    throw new HttpError(405, 'Method not allowed');
  }

  const workbin = deps.store.workbin(ownerKey, workbinId);
  if (!workbin) throw new HttpError(404, `Workbin ${workbinId} not found`);
  if (method === 'GET') {
    const delay = deps.behaviour().contentsDelay;
    if (delay > 0) await sleep(delay);
    if (deps.takeContentsFailure(workbin.id)) throw new HttpError(500, 'Internal Server Error');
    return workbinContents(deps, workbin, ownerKey, base);
  }
  if (method === 'POST') {
    const operation = operationOf(await readJson(request));
    return {
      statusCode: 0,
      referenceId: deps.requestSubscription(me, ownerKey, target(workbinId), operation),
    };
  }
  throw new HttpError(405, 'Method not allowed');
}
