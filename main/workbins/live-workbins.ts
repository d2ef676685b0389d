import { EventEmitter } from 'node:events';
import type { Transport } from '../cometd/session.js';
import type { GwsUser, WorkbinInfo } from '../contract/domain.js';
import type { GwsError } from '../contract/errors.js';
import { groupOwner, itemKey, ownerGroup, workbinKey } from '../contract/keys.js';
import type { ConnectionStatus, SyncProblem } from '../contract/status.js';
import { STRINGS } from '../contract/strings.js';
import type { Credentials } from '../gws/client.js';
import { StateBatcher } from './batcher.js';
import { GwsConnection } from './connection.js';
import { deriveStatus, sameStatus } from './health.js';
import { parseWorkbinMessage } from './messages.js';
import {
  DEFAULT_LIMITS,
  EMPTY_STATE,
  itemCount,
  type StateLimits,
  type WorkbinChange,
  type WorkbinState,
} from './state.js';
import { SyncRun, type SyncScope, type SyncTarget } from './sync-run.js';
import { Tombstones } from './tombstones.js';

export interface LiveWorkbinsOptions {
  readonly baseUrl: URL;
  readonly credentials: Credentials;
  /** Other users whose workbins to watch (supervisors). */
  readonly watchUsers?: readonly string[];
  /** Agent groups and place groups whose team workbins to watch. */
  readonly agentGroups?: readonly string[];
  readonly placeGroups?: readonly string[];
  readonly transport?: Transport;
  readonly maxBackoff?: number;
  readonly backoffIncrement?: number;
  readonly maxNetworkDelay?: number;
  /** Lost for this long (ms) counts as offline rather than reconnecting. */
  readonly offlineAfter?: number;
  readonly requestTimeout?: number;
  /** The largest CometD reply read, bytes (default 64 MiB). */
  readonly maxReplyBytes?: number;
  /** How long a sync waits for GWS to confirm its subscriptions before loading anyway, ms. */
  readonly subscribeTimeout?: number;
  /**
   * A full resync this often (ms, jittered ±10 %), whatever else happens: a message lost
   * without any failure the client could see is found within this time. 0 turns it off.
   */
  readonly safetyResyncMs?: number;
  /** Cap on the wait before retrying the failed parts of a sync, ms. */
  readonly maxSyncRetry?: number;
  /** Owners synced at once. */
  readonly syncConcurrency?: number;
  /** Start from a cached state (shown until the first sync replaces it). */
  readonly initialState?: WorkbinState;
  /** Bounds on what a workbin may hold (default DEFAULT_LIMITS). */
  readonly limits?: StateLimits;
  readonly now?: () => number;
}

export interface CoreStats {
  messages: number;
  /** Messages rejected as malformed, unknown, hostile or unsolicited. */
  rejected: number;
  /** Fields cut or dropped from accepted messages. */
  trimmed: number;
  /** Completed full loads (the first one included). */
  syncs: number;
}

export interface LiveWorkbinsEvents {
  status: [ConnectionStatus];
  changes: [{ state: WorkbinState; changes: readonly WorkbinChange[] }];
  /** Everything watched was listed, confirmed and loaded: the state matches the server. */
  synced: [{ state: WorkbinState; workbins: number; items: number }];
  rejected: [{ reason: string; sample: string }];
  /** A REST call failed; the core carries on (retrying where that can help). */
  problem: [{ during: string; error: GwsError }];
}

/** Whose workbins are watched besides the user's own. */
export interface Watched {
  readonly users: readonly string[];
  readonly agentGroups: readonly string[];
  readonly placeGroups: readonly string[];
}

/**
 * The core: keeps a live, correct WorkbinState for the signed-in user over REST and CometD,
 * through restarts, expiries and network loss. Three jobs, three parts: the connection
 * (sign-in, CometD, backoff), one SyncRun at a time (its bookkeeping dies with it), and the
 * batcher that folds events into the state. This class decides when to sync and what the
 * status says.
 */
export class LiveWorkbins extends EventEmitter<LiveWorkbinsEvents> {
  readonly stats: CoreStats = { messages: 0, rejected: 0, trimmed: 0, syncs: 0 };
  private readonly connection: GwsConnection;
  private readonly batcher: StateBatcher;
  private readonly now: () => number;
  private currentStatus: ConnectionStatus;
  private running = false;
  private run: SyncRun | undefined;
  /** What to sync once the current run ends. */
  private pending: { full: boolean; owners: Set<string>; reloads: Map<string, SyncTarget> } = {
    full: false,
    owners: new Set(),
    reloads: new Map(),
  };
  private firstSyncEnded = false;
  /** Open problems by workbin key (or `owner:<id>` for a whole owner). */
  private readonly problems = new Map<string, SyncProblem>();
  /** Workbins whose Subscribed answer came too late: reloaded when it arrives. */
  private readonly unanswered = new Map<string, SyncTarget>();
  /** The listed workbin ids per owner: the only workbins a message may touch. */
  private readonly listed = new Map<string, Set<string>>();
  /** Recent live removals, by item key: what a replay must not bring back. */
  private readonly tombstones = new Tombstones();
  private retryTimer: NodeJS.Timeout | undefined;
  private retryAttempts = 0;
  private nextRetryAt: number | null = null;
  private safetyTimer: NodeJS.Timeout | undefined;
  private watched: Watched;
  private readonly droppedReported = new Set<string>();

  constructor(private readonly options: LiveWorkbinsOptions) {
    super();
    this.now = options.now ?? Date.now;
    this.watched = {
      users: options.watchUsers ?? [],
      agentGroups: options.agentGroups ?? [],
      placeGroups: options.placeGroups ?? [],
    };
    const initial = options.initialState ?? EMPTY_STATE;
    this.currentStatus = { state: 'stopped', since: this.now() };
    for (const view of initial.workbins.values()) this.allow(view.ownerUserId, view.workbinId);
    this.batcher = new StateBatcher(
      initial,
      (state, changes) => {
        this.reportDropped(state, changes);
        this.emit('changes', { state, changes });
        if (changes.some((c) => c.type === 'workbin-updated' || c.type === 'subscription-failed'))
          this.refreshStatus();
      },
      (ignored) => {
        // The scope check below stops these first; this counts what slipped past it.
        this.stats.rejected += ignored;
      },
      options.limits,
    );
    this.connection = new GwsConnection({
      baseUrl: options.baseUrl,
      credentials: options.credentials,
      ...(options.transport && { transport: options.transport }),
      ...(options.maxBackoff !== undefined && { maxBackoff: options.maxBackoff }),
      ...(options.backoffIncrement !== undefined && { backoffIncrement: options.backoffIncrement }),
      ...(options.maxNetworkDelay !== undefined && { maxNetworkDelay: options.maxNetworkDelay }),
      ...(options.requestTimeout !== undefined && { requestTimeout: options.requestTimeout }),
      ...(options.maxReplyBytes !== undefined && { maxReplyBytes: options.maxReplyBytes }),
      now: this.now,
    });
    this.connection.on('health', () => this.refreshStatus());
    // A new session knows none of our subscriptions: whatever runs is void. The sync starts
    // once the channel listens, or the Subscribed answers it waits for would go unheard.
    this.connection.on('handshake', () => this.cancelRun());
    this.connection.on('listening', () => this.requestFullSync());
    // Back on the same CometD session: the server should have kept what it queued, but a
    // reply lost on the wire is only redelivered where the server runs the ack extension
    // (not known for GWS, and seen to fail after a hang). A REST resync is cheap.
    this.connection.on('recovered', () => this.requestFullSync());
    this.connection.on('message', (data) => this.onMessage(data));
    this.connection.on('problem', (problem) => this.emit('problem', problem));
    this.connection.on('signed-out', ({ reason }) => {
      this.halt();
      this.setStatus({ state: 'signed-out', since: this.now(), reason });
    });
  }

  get state(): WorkbinState {
    return this.batcher.state;
  }

  get status(): ConnectionStatus {
    return this.currentStatus;
  }

  get user(): GwsUser | undefined {
    return this.connection.user;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.setStatus({ state: 'connecting', since: this.now() });
    this.connection.start();
  }

  async stop(): Promise<void> {
    this.halt();
    await this.connection.stop();
    this.batcher.flush();
    this.setStatus({ state: 'stopped', since: this.now() });
  }

  /** Network back or machine resumed: retry at once instead of waiting for the backoff. */
  async reconnectNow(): Promise<void> {
    if (!this.running) return;
    await this.connection.reconnectNow();
  }

  /**
   * "Retry now": a lost connection is retried at once; a connected but degraded one loads
   * everything again.
   */
  async retryNow(): Promise<void> {
    if (!this.running) return;
    if (this.connection.health.phase === 'connected') this.resync();
    else await this.connection.reconnectNow();
  }

  /** "Retry" beside one workbin: its owner's workbins are listed, subscribed and loaded again. */
  retryWorkbin(key: string): void {
    const view = this.batcher.state.workbins.get(key);
    if (!this.running || !view) return;
    clearTimeout(this.retryTimer);
    this.nextRetryAt = null;
    this.requestPartial([view.ownerUserId]);
  }

  /** Loads everything again now (the user asked, or a caller knows something was missed). */
  resync(): void {
    if (this.running) this.requestFullSync();
  }

  /** Stops every sync and timer: nothing started before may change the state afterwards. */
  private halt(): void {
    this.running = false;
    this.cancelRun();
    clearTimeout(this.retryTimer);
    clearTimeout(this.safetyTimer);
    this.nextRetryAt = null;
  }

  /**
   * Everyone whose workbins are watched: the user, the teams, and (for a supervisor) the
   * watched users. A non-supervisor's watched users are never asked for: GWS refuses them
   * for the role, every time.
   */
  private owners(): string[] {
    const me = this.connection.user;
    if (!me) return [];
    return [
      me.id,
      ...(me.supervisor ? this.watched.users.filter((u) => u !== me.id) : []),
      ...this.watched.agentGroups.map((g) => groupOwner('AgentGroup', g)),
      ...this.watched.placeGroups.map((g) => groupOwner('PlaceGroup', g)),
    ];
  }

  /** Watched users a non-supervisor asked for: reported, not requested. */
  private refusedOwners(): string[] {
    const me = this.connection.user;
    return me && !me.supervisor ? this.watched.users.filter((u) => u !== me.id) : [];
  }

  /** Changes who is watched (a supervisor's team, the agent's groups) and loads it all again. */
  watch(change: Partial<Watched>): void {
    this.watched = { ...this.watched, ...change };
    this.resync();
  }

  private allow(owner: string, workbinId: string): void {
    let ids = this.listed.get(owner);
    if (!ids) {
      ids = new Set();
      this.listed.set(owner, ids);
    }
    ids.add(workbinId);
  }

  private inScope(owner: string, workbinId: string): boolean {
    return this.owners().includes(owner) && this.listed.get(owner)?.has(workbinId) === true;
  }

  // --- syncing -------------------------------------------------------------------------------

  private cancelRun(): void {
    this.run?.cancel();
    this.run = undefined;
  }

  /** A full sync supersedes whatever runs: a new session invalidates everything it knew. */
  private requestFullSync(): void {
    this.cancelRun();
    clearTimeout(this.retryTimer);
    this.nextRetryAt = null;
    this.pending = { full: true, owners: new Set(), reloads: new Map() };
    this.startNextRun();
  }

  private requestPartial(owners: Iterable<string>, reloads: Iterable<SyncTarget> = []): void {
    for (const owner of owners) this.pending.owners.add(owner);
    for (const target of reloads)
      this.pending.reloads.set(workbinKey(target.owner, target.workbinId), target);
    this.startNextRun();
  }

  private takePending(): SyncScope | null {
    const { full, owners, reloads } = this.pending;
    if (full || owners.size > 0) {
      const scope: SyncScope = { kind: 'full', owners: full ? this.owners() : [...owners] };
      // A full sync of an owner loads its workbins anyway: their reloads are covered.
      for (const [key, target] of reloads)
        if (full || owners.has(target.owner)) reloads.delete(key);
      this.pending = { full: false, owners: new Set(), reloads };
      return scope;
    }
    if (reloads.size > 0) {
      this.pending = { full: false, owners: new Set(), reloads: new Map() };
      return { kind: 'reload', workbins: [...reloads.values()] };
    }
    return null;
  }

  private startNextRun(): void {
    if (this.run || !this.running || !this.connection.user) return;
    const scope = this.takePending();
    if (!scope) return;
    const everyone = scope.kind === 'full' && this.isEveryone(scope);
    if (everyone) {
      clearTimeout(this.safetyTimer);
      // Workbins of owners no longer watched (a cache of another watch list) go.
      this.batcher.enqueue({ type: 'owners-watched', owners: this.owners() });
      this.noteRefusedOwners();
    }
    const began = this.now();
    const run: SyncRun = new SyncRun(
      {
        client: this.connection.client,
        enqueue: (event) => this.batcher.enqueue(event),
        listed: (owner, workbins, ownerName) => this.onListed(owner, workbins, ownerName),
        isWatchedUser: (owner) => owner !== this.connection.user?.id && ownerGroup(owner) === null,
        problem: (during, error) => this.emit('problem', { during, error }),
        skipped: (skipped, trimmed) => {
          this.stats.rejected += skipped;
          this.stats.trimmed += trimmed;
        },
        removedBefore: (key, item) =>
          this.tombstones.removedBefore(itemKey(key, item.id), item, began, this.now()),
        subscribeTimeout: this.options.subscribeTimeout ?? 5_000,
        concurrency: this.options.syncConcurrency ?? 4,
      },
      scope,
      began,
    );
    this.run = run;
    this.refreshStatus();
    void run.run().then(async (outcome) => {
      // What the run loaded is folded in first (a large load in slices, the event loop
      // turning meanwhile), so that "synced" speaks of a state that holds it.
      await this.batcher.settled();
      if (this.run !== run) return; // superseded or stopped: its outcome means nothing now
      this.run = undefined;
      this.onRunEnded(run.scope, outcome, everyone);
      this.startNextRun();
      this.refreshStatus();
    });
  }

  /** A non-supervisor's watched users: a problem the status names, never a request. */
  private noteRefusedOwners(): void {
    for (const [key, problem] of this.problems)
      if (problem.step === 'not-allowed') this.problems.delete(key);
    for (const owner of this.refusedOwners())
      this.problems.set(`owner:${owner}`, {
        ownerUserId: owner,
        workbinKey: null,
        step: 'not-allowed',
        reason: STRINGS.errors.notSupervisor,
      });
  }

  private isEveryone(scope: Extract<SyncScope, { kind: 'full' }>): boolean {
    const owners = this.owners();
    return owners.length === scope.owners.length && owners.every((o) => scope.owners.includes(o));
  }

  private onListed(
    owner: string,
    workbins: readonly WorkbinInfo[],
    ownerName: string | null,
  ): void {
    this.listed.set(owner, new Set(workbins.map((w) => w.id)));
    this.batcher.enqueue({ type: 'workbins-listed', ownerUserId: owner, workbins, ownerName });
  }

  private onRunEnded(
    scope: SyncScope,
    outcome: {
      problems: readonly SyncProblem[];
      unanswered: readonly SyncTarget[];
      workbins: number;
    },
    everyone: boolean,
  ): void {
    // The run speaks for what it covered: its old problems go, its new ones stay.
    for (const [key, problem] of this.problems) {
      const covered =
        scope.kind === 'full'
          ? scope.owners.includes(problem.ownerUserId)
          : scope.workbins.some((t) => workbinKey(t.owner, t.workbinId) === problem.workbinKey);
      if (covered) this.problems.delete(key);
    }
    for (const problem of outcome.problems)
      this.problems.set(problem.workbinKey ?? `owner:${problem.ownerUserId}`, problem);
    for (const target of outcome.unanswered)
      this.unanswered.set(workbinKey(target.owner, target.workbinId), target);
    if (scope.kind === 'full' && everyone) this.firstSyncEnded = true;

    // Synced means every listing, subscribe request, answer and load succeeded: the contents
    // are the server's. A RequestFailed or a refused watch still shows as degraded.
    const loaded = [...this.problems.values()].every((p) => p.step === 'not-allowed');
    const retry = this.openProblems().filter((p) => p.step !== 'not-allowed');
    if (loaded) {
      this.refreshStatus(); // the status is current before anyone hears "synced"
      if (this.firstSyncEnded) {
        this.stats.syncs++;
        const state = this.batcher.state;
        this.emit('synced', {
          state,
          workbins: state.workbins.size,
          items: itemCount(state),
        });
      }
      this.scheduleSafetyResync();
    }
    if (retry.length > 0) this.scheduleRetry(retry);
    else {
      this.retryAttempts = 0;
      this.nextRetryAt = null;
    }
  }

  /** The failed parts again, with backoff: 1, 2, 4 … s up to `maxSyncRetry`. */
  private scheduleRetry(open: readonly SyncProblem[]): void {
    this.retryAttempts++;
    const delay = Math.min(
      (this.options.backoffIncrement ?? 1_000) * 2 ** (this.retryAttempts - 1),
      this.options.maxSyncRetry ?? 30_000,
    );
    clearTimeout(this.retryTimer);
    this.nextRetryAt = this.now() + delay;
    // A request refused for the user's role would be refused again: not retried.
    const owners = new Set(open.filter((p) => p.step !== 'not-allowed').map((p) => p.ownerUserId));
    if (owners.size === 0) {
      this.nextRetryAt = null;
      return;
    }
    this.retryTimer = setTimeout(() => {
      this.nextRetryAt = null;
      this.requestPartial(owners);
    }, delay);
  }

  private scheduleSafetyResync(): void {
    const every = this.options.safetyResyncMs ?? 5 * 60_000;
    clearTimeout(this.safetyTimer);
    if (every <= 0) return;
    const jittered = every * (0.9 + Math.random() * 0.2);
    this.safetyTimer = setTimeout(() => this.requestFullSync(), jittered);
  }

  /** Sync problems, and subscriptions GWS answered with RequestFailed. */
  private openProblems(): SyncProblem[] {
    const open = [...this.problems.values()];
    for (const view of this.batcher.state.workbins.values()) {
      if (view.subscription === 'failed' && !this.problems.has(view.key))
        open.push({
          ownerUserId: view.ownerUserId,
          workbinKey: view.key,
          step: 'request-failed',
          reason: view.failure ?? 'Subscription failed',
        });
    }
    return open;
  }

  // --- messages ------------------------------------------------------------------------------

  private onMessage(data: unknown): void {
    this.stats.messages++;
    const parsed = parseWorkbinMessage(data, this.connection.user?.id ?? '');
    if (!parsed.ok) {
      this.reject(parsed.error, data);
      return;
    }
    const { message, trimmed } = parsed.value;
    const [owner, workbinId] =
      message.type === 'item-added'
        ? [message.item.ownerUserId, message.item.workbinId]
        : [message.ownerUserId, message.workbinId];
    // Only what we listed and subscribed to may change the state: anything else would create
    // a workbin no resync ever removes.
    if (!this.inScope(owner, workbinId)) {
      this.reject('unsolicited', data);
      return;
    }
    this.stats.trimmed += trimmed;
    const key = workbinKey(owner, workbinId);
    if (message.type === 'item-removed')
      this.tombstones.add(
        itemKey(key, message.itemId),
        this.batcher.state.workbins.get(key)?.items.get(message.itemId),
        this.now(),
      );
    this.run?.observe(message, key);
    this.batcher.enqueue({ type: 'message', message });
    if (message.type === 'subscription' && message.state !== 'RequestFailed') {
      const late = this.unanswered.get(key);
      if (late) {
        // Subscribed after the load gave up waiting: whatever was added in between is only
        // in a fresh load.
        this.unanswered.delete(key);
        this.requestPartial([], [late]);
      }
    }
  }

  private reject(reason: string, data: unknown): void {
    this.stats.rejected++;
    let sample: string;
    try {
      sample = JSON.stringify(data)?.slice(0, 200) ?? String(data);
    } catch {
      sample = '(unserialisable)';
    }
    this.emit('rejected', { reason, sample });
  }

  /** Once per workbin that hits its bound: the log says what is not held. */
  private reportDropped(state: WorkbinState, changes: readonly WorkbinChange[]): void {
    for (const change of changes) {
      if (change.type !== 'workbin-updated') continue;
      const view = state.workbins.get(change.key);
      if (!view || view.dropped === 0 || this.droppedReported.has(view.key)) continue;
      this.droppedReported.add(view.key);
      const limits = this.options.limits ?? DEFAULT_LIMITS;
      const mib = Math.round(limits.retainedBytes / 1024 / 1024);
      this.emit('problem', {
        during: `hold workbin ${view.workbinId}`,
        error: {
          kind: 'protocol',
          message: `${view.dropped} oldest items not kept: at most ${limits.itemsPerWorkbin} per workbin and ${mib} MiB in all`,
        },
      });
    }
  }

  // --- status --------------------------------------------------------------------------------

  private refreshStatus(): void {
    if (!this.running) return;
    const next = deriveStatus(
      this.currentStatus,
      {
        transport: this.connection.health,
        firstSyncDone: this.firstSyncEnded,
        syncing: this.run !== undefined,
        problems: this.firstSyncEnded ? this.openProblems() : [],
        nextRetryAt: this.nextRetryAt,
      },
      this.now(),
      this.options.offlineAfter ?? 10_000,
    );
    if (!sameStatus(next, this.currentStatus)) this.setStatus(next);
  }

  private setStatus(status: ConnectionStatus): void {
    this.currentStatus = status;
    this.emit('status', status);
  }
}
