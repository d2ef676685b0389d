import { EventEmitter } from 'node:events';
import { CometdSession, type Transport } from '../cometd/session.js';
import { afterFailure } from '../cometd/status.js';
import type { GwsUser } from '../contract/domain.js';
import type { GwsError } from '../contract/errors.js';
import { workbinKey } from '../contract/keys.js';
import type { ConnectionStatus } from '../contract/status.js';
import { type Credentials, GwsClient } from '../gws/client.js';
import { SessionCookies } from '../gws/cookie-jar.js';
import { apiUrl } from '../gws/server-url.js';
import { readWorkbinItems } from './contents.js';
import { parseWorkbinMessage, type WorkbinMessage } from './messages.js';
import {
  EMPTY_STATE,
  itemCount,
  reduce,
  type WorkbinChange,
  type WorkbinEvent,
  type WorkbinState,
} from './state.js';

export interface LiveWorkbinsOptions {
  readonly baseUrl: URL;
  readonly credentials: Credentials;
  /** Other users whose workbins to watch (supervisors). */
  readonly watchUsers?: readonly string[];
  readonly transport?: Transport;
  readonly maxBackoff?: number;
  readonly backoffIncrement?: number;
  readonly maxNetworkDelay?: number;
  /** Lost for this long (ms) counts as offline rather than reconnecting. */
  readonly offlineAfter?: number;
  readonly requestTimeout?: number;
  /** How long a sync waits for GWS to confirm its subscriptions before loading anyway, ms. */
  readonly subscribeTimeout?: number;
  /** Start from a cached state (shown until the first sync replaces it). */
  readonly initialState?: WorkbinState;
  readonly now?: () => number;
}

export interface CoreStats {
  messages: number;
  /** Messages rejected as malformed, unknown or hostile. */
  rejected: number;
  /** Fields cut or dropped from accepted messages. */
  trimmed: number;
  /** Completed full loads (the first one included). */
  syncs: number;
}

export interface LiveWorkbinsEvents {
  status: [ConnectionStatus];
  changes: [{ state: WorkbinState; changes: readonly WorkbinChange[] }];
  /** A full load finished: the state now matches the server. */
  synced: [{ state: WorkbinState; workbins: number; items: number }];
  rejected: [{ reason: string; sample: string }];
  /** A REST call failed; the core carries on (retrying where that can help). */
  problem: [{ during: string; error: GwsError }];
}

/**
 * The core: keeps a live, correct WorkbinState for the signed-in user over REST and CometD,
 * through restarts, expiries and network loss.
 */
export class LiveWorkbins extends EventEmitter<LiveWorkbinsEvents> {
  readonly stats: CoreStats = { messages: 0, rejected: 0, trimmed: 0, syncs: 0 };
  private readonly cookies = new SessionCookies();
  private readonly client: GwsClient;
  private readonly cometd: CometdSession;
  private current: WorkbinState;
  private currentStatus: ConnectionStatus;
  private queue: WorkbinEvent[] = [];
  private flushScheduled = false;
  /** Live messages seen while a workbin's contents are loading, replayed after the load. */
  private readonly recording = new Map<string, WorkbinMessage[]>();
  /** Subscription answers seen (by referenceId), and the sync waiting for some of them. */
  private readonly answeredReferences = new Set<number>();
  private readonly awaitedReferences = new Map<number, () => void>();
  private syncGeneration = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private restAttempts = 0;
  private running = false;
  /** The connection failed since it was last online. */
  private lost = false;
  /** A handshake (which always resyncs) happened since the connection was lost. */
  private handshakeSinceLoss = false;
  private readonly now: () => number;

  constructor(private readonly options: LiveWorkbinsOptions) {
    super();
    this.now = options.now ?? Date.now;
    this.current = options.initialState ?? EMPTY_STATE;
    this.currentStatus = { state: 'stopped', since: this.now() };
    this.client = new GwsClient({
      baseUrl: options.baseUrl,
      credentials: options.credentials,
      cookies: this.cookies,
      ...(options.requestTimeout !== undefined && { timeout: options.requestTimeout }),
    });
    this.cometd = new CometdSession({
      url: apiUrl(options.baseUrl, '/notifications').toString(),
      cookies: this.cookies,
      headers: () => this.client.sessionHeaders(),
      ...(options.transport && { transport: options.transport }),
      ...(options.maxBackoff !== undefined && { maxBackoff: options.maxBackoff }),
      ...(options.backoffIncrement !== undefined && { backoffIncrement: options.backoffIncrement }),
      ...(options.maxNetworkDelay !== undefined && { maxNetworkDelay: options.maxNetworkDelay }),
    });
    this.cometd.on('handshake', () => {
      this.handshakeSinceLoss = true;
      void this.sync();
    });
    this.cometd.on('online', () => {
      this.restAttempts = 0;
      const recovered = this.lost && !this.handshakeSinceLoss;
      this.lost = false;
      this.setStatus({ state: 'online', since: this.now(), syncing: this.syncing });
      // Back on the same CometD session: the server should have kept what it queued, but a
      // reply lost on the wire is only redelivered where the server runs the ack extension
      // (not known for GWS, and seen to fail here after a hang). A REST resync is cheap.
      if (recovered) void this.sync();
    });
    this.cometd.on('failure', ({ reason, retryIn }) => this.onLost(reason, retryIn));
    this.cometd.on('unauthorized', () => void this.signInAndConnect());
    this.cometd.on('message', (data) => this.onMessage(data));
  }

  get state(): WorkbinState {
    return this.current;
  }

  get status(): ConnectionStatus {
    return this.currentStatus;
  }

  get user(): GwsUser | undefined {
    return this.client.user;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.setStatus({ state: 'connecting', since: this.now() });
    void this.signInAndConnect();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.syncGeneration++;
    clearTimeout(this.retryTimer);
    await this.cometd.stop();
    this.flush();
    this.setStatus({ state: 'stopped', since: this.now() });
  }

  /** Network back or machine resumed: retry at once instead of waiting for the backoff. */
  async reconnectNow(): Promise<void> {
    if (!this.running) return;
    clearTimeout(this.retryTimer);
    if (this.cometd.active) await this.cometd.reconnectNow();
    else void this.signInAndConnect();
  }

  private get syncing(): boolean {
    return this.recording.size > 0;
  }

  private setStatus(status: ConnectionStatus): void {
    this.currentStatus = status;
    this.emit('status', status);
  }

  private onLost(reason: string, retryIn: number | null): void {
    if (!this.running) return;
    if (!this.lost) {
      this.lost = true;
      this.handshakeSinceLoss = false;
    }
    this.setStatus(
      afterFailure(
        this.currentStatus,
        reason,
        retryIn,
        this.now(),
        this.options.offlineAfter ?? 10_000,
      ),
    );
  }

  private async signInAndConnect(): Promise<void> {
    if (!this.running) return;
    await this.cometd.stop(500);
    const signedIn = await this.client.signIn();
    if (!this.running) return;
    if (!signedIn.ok) {
      this.emit('problem', { during: 'sign-in', error: signedIn.error });
      if (signedIn.error.kind === 'credentials') {
        this.setStatus({ state: 'signed-out', since: this.now(), reason: signedIn.error.message });
        this.running = false;
        return;
      }
      // Anything else may pass (network, server, even TLS or a URL fixed on the server side):
      // our own backoff for REST, the same shape as CometD's: 1, 2, 3 ... s, capped.
      this.restAttempts++;
      const delay = Math.min(
        (this.options.backoffIncrement ?? 1_000) * this.restAttempts,
        this.options.maxBackoff ?? 15_000,
      );
      this.onLost(signedIn.error.message, delay);
      clearTimeout(this.retryTimer);
      this.retryTimer = setTimeout(() => void this.signInAndConnect(), delay);
      return;
    }
    this.cometd.start();
  }

  /** Loads every watched workbin over REST and renews the Workbins API subscriptions. */
  private async sync(): Promise<void> {
    const generation = ++this.syncGeneration;
    const me = this.client.user;
    if (!me) return;
    const owners = [me.id, ...(this.options.watchUsers ?? []).filter((u) => u !== me.id)];
    if (this.currentStatus.state === 'online')
      this.setStatus({ ...this.currentStatus, syncing: true });
    let workbinCount = 0;
    for (const owner of owners) {
      const listed = await this.client.listWorkbins(owner);
      if (generation !== this.syncGeneration) return;
      if (!listed.ok) {
        this.emit('problem', { during: `list workbins of ${owner}`, error: listed.error });
        continue;
      }
      const workbins = listed.value;
      workbinCount += workbins.length;
      this.enqueue({ type: 'workbins-listed', ownerUserId: owner, workbins });
      for (const w of workbins) {
        this.recording.set(workbinKey(owner, w.id), []);
        this.enqueue({ type: 'subscription-requested', ownerUserId: owner, workbinId: w.id });
      }
      if (workbins.length > 0) {
        const subscribed = await this.client.subscriptions(
          'Subscribe',
          workbins.map((w) => w.id),
          owner,
        );
        if (!subscribed.ok) {
          this.emit('problem', {
            during: `subscribe to ${owner}'s workbins`,
            error: subscribed.error,
          });
        } else {
          // GWS subscribes asynchronously. Loading before the Subscribed answer would miss
          // an item added between the snapshot and the start of the stream.
          await this.answers(
            Object.values(subscribed.value),
            this.options.subscribeTimeout ?? 5_000,
          );
          if (generation !== this.syncGeneration) return;
        }
      }
      await Promise.all(workbins.map((w) => this.load(owner, w.id, generation)));
      if (generation !== this.syncGeneration) return;
    }
    this.flush();
    this.stats.syncs++;
    this.emit('synced', {
      state: this.current,
      workbins: workbinCount,
      items: itemCount(this.current),
    });
    if (this.currentStatus.state === 'online')
      this.setStatus({ ...this.currentStatus, syncing: false });
  }

  private async load(owner: string, workbinId: string, generation: number): Promise<void> {
    const key = workbinKey(owner, workbinId);
    const contents = await this.client.workbinContents(workbinId, owner);
    if (generation !== this.syncGeneration) return;
    const replay = this.recording.get(key) ?? [];
    this.recording.delete(key);
    if (!contents.ok) {
      this.emit('problem', { during: `load workbin ${workbinId}`, error: contents.error });
      return;
    }
    const { items, skipped, trimmed } = readWorkbinItems(contents.value, workbinId, owner);
    this.stats.rejected += skipped;
    this.stats.trimmed += trimmed;
    this.enqueue({ type: 'contents-loaded', ownerUserId: owner, workbinId, items, at: this.now() });
    // What arrived live during the load may be newer than the snapshot: apply it again.
    for (const message of replay) this.enqueue({ type: 'message', message, replayed: true });
  }

  /** Resolves when every referenceId has had its subscription answer, or after `timeout`. */
  private answers(referenceIds: readonly number[], timeout: number): Promise<void> {
    const waiting = referenceIds.filter((id) => !this.answeredReferences.has(id));
    if (waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const left = new Set(waiting);
      const done = () => {
        clearTimeout(timer);
        for (const id of waiting) this.awaitedReferences.delete(id);
        resolve();
      };
      const timer = setTimeout(() => {
        this.emit('problem', {
          during: 'subscribe',
          error: { kind: 'timeout', message: `No answer to ${left.size} subscription request(s)` },
        });
        done();
      }, timeout);
      for (const id of waiting) {
        this.awaitedReferences.set(id, () => {
          left.delete(id);
          if (left.size === 0) done();
        });
      }
    });
  }

  private onMessage(data: unknown): void {
    this.stats.messages++;
    const me = this.client.user;
    const parsed = parseWorkbinMessage(data, me?.id ?? '');
    if (!parsed.ok) {
      this.stats.rejected++;
      let sample: string;
      try {
        sample = JSON.stringify(data)?.slice(0, 200) ?? String(data);
      } catch {
        sample = '(unserialisable)';
      }
      this.emit('rejected', { reason: parsed.error, sample });
      return;
    }
    this.stats.trimmed += parsed.value.trimmed;
    const message = parsed.value.message;
    if (message.type === 'subscription' && message.referenceId !== null) {
      this.answeredReferences.add(message.referenceId);
      if (this.answeredReferences.size > 10_000) this.answeredReferences.clear();
      this.awaitedReferences.get(message.referenceId)?.();
    }
    const key =
      message.type === 'item-added'
        ? workbinKey(message.item.ownerUserId, message.item.workbinId)
        : workbinKey(message.ownerUserId, message.workbinId);
    this.recording.get(key)?.push(message);
    this.enqueue({ type: 'message', message });
  }

  private enqueue(event: WorkbinEvent): void {
    this.queue.push(event);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Applies queued events in one reduction: a burst costs one state copy, not one per event. */
  private flush(): void {
    this.flushScheduled = false;
    if (this.queue.length === 0) return;
    const events = this.queue;
    this.queue = [];
    const { state, changes } = reduce(this.current, events);
    this.current = state;
    if (changes.length > 0) this.emit('changes', { state, changes });
  }
}
