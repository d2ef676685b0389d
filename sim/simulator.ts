import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { BayeuxEndpoint } from './bayeux.js';
import { DEFAULT_BEHAVIOUR, type SimBehaviour } from './behaviour.js';
import { HttpSessions } from './http-sessions.js';
import { HttpError, sendError } from './http-util.js';
import {
  groupItemStateChange,
  itemStateChange,
  type SubscriptionTarget,
  subscriptionStateChange,
} from './messages.js';
import type { ItemSpec } from './resources.js';
import { CSRF_HEADER, handleRest, type Operation, sessionOfRequest } from './rest.js';
import {
  parseGroupKey,
  parseSeed,
  type Seed,
  type SimItem,
  SimStore,
  type SimUser,
} from './store.js';

export const NOTIFICATIONS_PATH = '/api/v2/notifications';

export interface SimulatorOptions {
  host?: string;
  /** 0 picks a free port; a restart keeps whatever port was bound. */
  port?: number;
  seed?: Seed;
  /** CometD long-poll hold, ms. GWS uses 30 000; tests use less. */
  timeout?: number;
  /** CometD session expiry without a connect, ms. GWS uses 15 000. */
  maxInterval?: number;
  /** Delay before the async subscription answer, ms (also `behaviour.subscriptionDelay`). */
  subscriptionDelay?: number;
  /** Where GWS may behave in more than one way: see SimBehaviour. */
  behaviour?: Partial<SimBehaviour>;
}

export function loadSeedFile(path: string): Seed {
  return parseSeed(JSON.parse(readFileSync(path, 'utf8')) as unknown);
}

export const DEMO_SEED_PATH = new URL('./demo-data.json', import.meta.url);

export function demoSeed(): Seed {
  return parseSeed(JSON.parse(readFileSync(DEMO_SEED_PATH, 'utf8')) as unknown);
}

/**
 * A Genesys Web Services stand-in: REST sign-in and Workbins API, CometD notifications on
 * `/v2/me/workbins`, and the faults a real deployment has.
 */
export class GwsSimulator {
  readonly store = new SimStore();
  readonly sessions = new HttpSessions();
  private bayeux: BayeuxEndpoint;
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  /** subscriber user id -> keys (SimStore.key) of the workbins they watch */
  private readonly subscriptions = new Map<string, Set<string>>();
  private readonly failingSubscriptions = new Set<string>();
  private readonly pendingTimers = new Set<NodeJS.Timeout>();
  private referenceIds = 0;
  /** (Un)subscribe requests taken, ever: lets a test act between a request and its answer. */
  subscriptionRequests = 0;
  private rejectCredentials = false;
  private hung = false;
  private heldWork: Array<() => void> = [];
  private boundPort = 0;
  private readonly contentsFailures = new Map<string, number>();
  private current: SimBehaviour;
  private readonly options: Required<
    Omit<SimulatorOptions, 'seed' | 'behaviour' | 'subscriptionDelay'>
  >;

  constructor(options: SimulatorOptions = {}) {
    this.options = {
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 0,
      timeout: options.timeout ?? 30_000,
      maxInterval: options.maxInterval ?? 15_000,
    };
    this.current = {
      ...DEFAULT_BEHAVIOUR,
      ...(options.subscriptionDelay !== undefined && {
        subscriptionDelay: options.subscriptionDelay,
      }),
      ...options.behaviour,
    };
    this.store.load(options.seed ?? demoSeed());
    this.bayeux = this.newBayeux();
  }

  get behaviour(): SimBehaviour {
    return this.current;
  }

  /** Changes how the simulator behaves from now on (see SimBehaviour). */
  behave(patch: Partial<SimBehaviour>): SimBehaviour {
    this.current = { ...this.current, ...patch };
    return this.current;
  }

  /** Denies the next `count` CometD subscribes to /v2/me/workbins. */
  failChannelSubscribes(count: number): void {
    this.bayeux.denyChannelSubscribes(count);
  }

  /** Answers the next `count` contents loads of `workbinId` with a 500. */
  failContentsLoads(workbinId: string, count = 1): void {
    this.contentsFailures.set(workbinId, count);
  }

  get port(): number {
    return this.boundPort;
  }

  get url(): string {
    return `http://${this.options.host}:${this.boundPort}`;
  }

  get running(): boolean {
    return this.server?.listening ?? false;
  }

  async start(): Promise<void> {
    const server = createServer((request, response) => this.onRequest(request, response));
    // Long polls are held for `timeout`; Node must not cut them first.
    server.requestTimeout = 0;
    server.keepAliveTimeout = this.options.timeout + 10_000;
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    server.listen(this.boundPort || this.options.port, this.options.host);
    await once(server, 'listening');
    this.server = server;
    this.boundPort = (server.address() as AddressInfo).port;
  }

  /** Stops like a crashed server: every connection cut, every session forgotten. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const timer of this.pendingTimers) clearTimeout(timer);
    this.pendingTimers.clear();
    this.heldWork = [];
    this.hung = false;
    this.bayeux.close();
    this.sessions.invalidate();
    this.subscriptions.clear();
    if (server) {
      const closed = once(server, 'close');
      server.close();
      this.dropConnections();
      await closed;
    }
  }

  /** Crash and come back on the same port after `downMs`; data survives, sessions do not. */
  async restart(downMs = 0): Promise<void> {
    await this.stop();
    this.bayeux = this.newBayeux();
    if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
    await this.start();
  }

  /** A network blip: connections cut, server and sessions untouched. */
  dropConnections(): number {
    const count = this.sockets.size;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    return count;
  }

  /** Like SIGSTOP: requests are taken but nothing is answered until `resume()`. */
  hang(): void {
    this.hung = true;
  }

  resume(): void {
    this.hung = false;
    const held = this.heldWork;
    this.heldWork = [];
    for (const work of held) work();
  }

  get isHung(): boolean {
    return this.hung;
  }

  /** Expires CometD sessions (402 unknown session); with `http`, the JSESSIONIDs too. */
  expireSessions(options: { userId?: string; http?: boolean } = {}): {
    cometd: number;
    http: number;
  } {
    const cometd = this.bayeux.expireSessions(options.userId);
    const http = options.http ? this.sessions.invalidate(options.userId) : 0;
    return { cometd, http };
  }

  /** While on, every sign-in fails with 401 and existing sessions are revoked. */
  setRejectCredentials(on: boolean): void {
    this.rejectCredentials = on;
    if (on) this.sessions.invalidate();
  }

  /** Makes the next subscriptions to this workbin answer RequestFailed (until cleared). */
  setSubscriptionFailure(workbinId: string, failing: boolean): void {
    if (failing) this.failingSubscriptions.add(workbinId);
    else this.failingSubscriptions.delete(workbinId);
  }

  load(seed: Seed): void {
    this.store.load(seed);
  }

  addItem(spec: ItemSpec): SimItem {
    const item = this.store.addItem(spec);
    this.notifyItem('ItemAdded', item);
    return item;
  }

  /**
   * Changes an item's subject and announces it the way the client must expect a change: an
   * ItemAdded for an id it already holds, with the new content.
   */
  updateItem(id: string, subject: string): SimItem | undefined {
    const item = this.store.items.get(id);
    if (!item) return undefined;
    item.resource = { ...item.resource, subject };
    this.notifyItem('ItemAdded', item);
    return item;
  }

  removeItem(id: string): SimItem | undefined {
    const item = this.store.removeItem(id);
    if (item) this.notifyItem('ItemRemoved', item);
    return item;
  }

  /** Sends a RequestFailed for a workbin to a subscriber, as GWS does on a backend error. */
  emitRequestFailed(subscriberId: string, target: SubscriptionTarget, reason: string): number {
    return this.bayeux.deliverTo(
      subscriberId,
      subscriptionStateChange(
        target,
        'RequestFailed',
        this.answerReference(target, ++this.referenceIds),
        reason,
      ),
    );
  }

  /** Delivers anything at all as the `data` of a /v2/me/workbins message. */
  emitRaw(userId: string, data: unknown): number {
    return this.bayeux.deliverTo(userId, data);
  }

  /** Live CometD sessions, all users together. */
  cometdSessionCount(): number {
    return this.bayeux.sessionCount();
  }

  subscribedUsers(): string[] {
    return this.bayeux.subscribedUsers();
  }

  watchedWorkbins(subscriberId: string): string[] {
    return [...(this.subscriptions.get(subscriberId) ?? [])];
  }

  /** The server's truth: item ids per workbin of `ownerUserId`, for comparing with a client. */
  truth(ownerUserId: string): Record<string, string[]> {
    const result: Record<string, string[]> = {};
    for (const workbin of this.store.workbinsOf(ownerUserId)) {
      result[workbin.id] = this.store
        .itemsIn(ownerUserId, workbin.id)
        .map((i) => i.id)
        .sort();
    }
    return result;
  }

  private newBayeux(): BayeuxEndpoint {
    return new BayeuxEndpoint(
      { timeout: this.options.timeout, maxInterval: this.options.maxInterval },
      {
        userOfRequest: (request) => sessionOfRequest(this.restDeps, request)?.userId,
        sessionEnded: (userId) => {
          if (this.current.subscriptionsEndWithCometd) this.subscriptions.delete(userId);
        },
      },
    );
  }

  /** The referenceId an answer carries: always for group workbins (as documented), else by switch. */
  private answerReference(target: SubscriptionTarget, referenceId: number): number | null {
    const group = target.agentGroup !== undefined || target.placeGroup !== undefined;
    return group || this.current.referenceIdInAnswers ? referenceId : null;
  }

  private readonly restDeps = {
    store: this.store,
    sessions: this.sessions,
    rejectingCredentials: () => this.rejectCredentials,
    behaviour: () => this.current,
    takeContentsFailure: (workbinId: string): boolean => {
      const left = this.contentsFailures.get(workbinId) ?? 0;
      if (left <= 0) return false;
      this.contentsFailures.set(workbinId, left - 1);
      return true;
    },
    requestSubscription: (
      subscriber: SimUser,
      owner: string,
      target: SubscriptionTarget,
      operation: Operation,
    ): number => this.requestSubscription(subscriber, owner, target, operation),
  };

  private requestSubscription(
    subscriber: SimUser,
    owner: string,
    target: SubscriptionTarget,
    operation: Operation,
  ): number {
    const referenceId = ++this.referenceIds;
    this.subscriptionRequests++;
    // An Interaction Server older than 8.5.103.05 takes a group subscription and does nothing.
    if (this.current.oldInteractionServer && parseGroupKey(owner)) return referenceId;
    const timer = setTimeout(() => {
      this.pendingTimers.delete(timer);
      const key = SimStore.key(owner, target.workbinId);
      let watched = this.subscriptions.get(subscriber.id);
      if (!watched) {
        watched = new Set();
        this.subscriptions.set(subscriber.id, watched);
      }
      if (operation === 'Subscribe' && this.failingSubscriptions.has(target.workbinId)) {
        this.bayeux.deliverTo(
          subscriber.id,
          subscriptionStateChange(
            target,
            'RequestFailed',
            this.answerReference(target, referenceId),
            'Subscription failed',
          ),
        );
        return;
      }
      if (operation === 'Subscribe') watched.add(key);
      else watched.delete(key);
      const state = operation === 'Subscribe' ? 'Subscribed' : 'Unsubscribed';
      this.bayeux.deliverTo(
        subscriber.id,
        subscriptionStateChange(target, state, this.answerReference(target, referenceId)),
      );
    }, this.current.subscriptionDelay);
    this.pendingTimers.add(timer);
    return referenceId;
  }

  private notifyItem(action: 'ItemAdded' | 'ItemRemoved', item: SimItem): void {
    const group = parseGroupKey(item.ownerUserId);
    const owner = this.store.users.get(item.ownerUserId);
    if (!owner && !group) return;
    const key = SimStore.key(item.ownerUserId, item.workbinId);
    for (const [subscriberId, watched] of this.subscriptions) {
      if (!watched.has(key)) continue;
      this.bayeux.deliverTo(
        subscriberId,
        group
          ? groupItemStateChange(action, item, group)
          : itemStateChange(action, item, owner as SimUser, subscriberId !== item.ownerUserId),
      );
    }
  }

  private onRequest(request: IncomingMessage, response: ServerResponse): void {
    // While hung, even replies already being prepared (held long polls) stay unsent.
    const end = response.end.bind(response) as (...args: unknown[]) => ServerResponse;
    const send = (...args: unknown[]) => {
      const body = args[0];
      const packet = this.current.packetBytes;
      if (packet > 0 && (typeof body === 'string' || Buffer.isBuffer(body)))
        endInPackets(response, Buffer.from(body), packet, () => end());
      else end(...args);
    };
    response.end = ((...args: unknown[]) => {
      if (this.hung) this.heldWork.push(() => send(...args));
      else send(...args);
      return response;
    }) as ServerResponse['end'];
    const work = () => this.dispatch(request, response);
    if (this.hung) this.heldWork.push(work);
    else work();
  }

  private dispatch(request: IncomingMessage, response: ServerResponse): void {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    if (path === NOTIFICATIONS_PATH || path.startsWith(`${NOTIFICATIONS_PATH}/`)) {
      // GWS guards notifications with the servlet session, like every other resource.
      const session = sessionOfRequest(this.restDeps, request);
      if (!session) {
        sendError(response, 401, 'Authentication required', this.current.htmlErrors);
        return;
      }
      const csrf = request.headers[CSRF_HEADER.toLowerCase()];
      if (
        this.current.csrfOnNotifications &&
        request.method === 'POST' &&
        csrf !== session.csrfToken
      ) {
        sendError(response, 403, 'Missing or invalid Csrf token', false);
        return;
      }
      this.bayeux.handle(request, response);
      return;
    }
    handleRest(this.restDeps, request, response).catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 500;
      if (!response.headersSent) {
        sendError(response, status, String(error), this.current.htmlErrors);
      } else {
        response.destroy();
      }
    });
  }
}

/** Packets sent so far: their sizes vary with it, so that the cuts fall anywhere. */
let packets = 0;

/**
 * Writes `body` in packets of 1 to 2 × `size` bytes, 1 ms apart (a TCP packet each), then
 * `end`s. Of one size, the cuts fell at the same place of every like-sized reply: never in a
 * subject, or always.
 */
function endInPackets(response: ServerResponse, body: Buffer, size: number, end: () => void) {
  let at = 0;
  const next = () => {
    if (response.destroyed) return;
    if (at >= body.length) return end();
    const bytes = 1 + ((packets++ * 7_919) % (2 * size));
    response.write(body.subarray(at, at + bytes));
    at += bytes;
    setTimeout(next, 1);
  };
  next();
}
