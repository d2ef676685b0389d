import type { WorkbinInfo, WorkbinItem } from '../contract/domain.js';
import type { GwsError } from '../contract/errors.js';
import { ownerGroup, workbinKey } from '../contract/keys.js';
import type { SyncProblem } from '../contract/status.js';
import { STRINGS } from '../contract/strings.js';
import type { GwsClient } from '../gws/client.js';
import { readWorkbinItemsInSlices } from './contents.js';
import type { WorkbinMessage } from './messages.js';
import type { WorkbinEvent } from './state.js';

export interface SyncTarget {
  readonly owner: string;
  readonly workbinId: string;
}

/** A full sync lists, subscribes and loads the owners' workbins; a reload only loads. */
export type SyncScope =
  | { readonly kind: 'full'; readonly owners: readonly string[] }
  | { readonly kind: 'reload'; readonly workbins: readonly SyncTarget[] };

export interface SyncOutcome {
  /** Problems of this run: empty means everything in scope was listed, confirmed and loaded. */
  readonly problems: readonly SyncProblem[];
  /** Workbins whose Subscribed answer did not come in time: reload them when it does. */
  readonly unanswered: readonly SyncTarget[];
  readonly workbins: number;
}

export interface SyncRunDeps {
  readonly client: GwsClient;
  enqueue(event: WorkbinEvent): void;
  /** The owner's workbins, as the server listed them: the scope of what messages may touch. */
  listed(owner: string, workbins: readonly WorkbinInfo[], ownerName: string | null): void;
  /** Whether the owner is another user (a supervisor's watched agent), whose name is shown. */
  isWatchedUser(owner: string): boolean;
  problem(during: string, error: GwsError): void;
  /** Entries of a contents answer that could not be used, and fields cut from the rest. */
  skipped(skipped: number, trimmed: number): void;
  /** A removal of this item, with this content, was seen before this run began. */
  removedBefore(key: string, item: WorkbinItem): boolean;
  readonly subscribeTimeout: number;
  /** Owners synced at once: a supervisor's team must not cost one wait per agent. */
  readonly concurrency: number;
}

/**
 * One sync, and all of its bookkeeping: the answers it waits for, the live messages it
 * records while a workbin loads (replayed after the snapshot), its timers. Cancelling a run
 * takes all of that with it; nothing it started can touch the state afterwards.
 */
export class SyncRun {
  private cancelled = false;
  private readonly startedAt: number;
  private readonly recording = new Map<string, WorkbinMessage[]>();
  /** Subscription answers seen since the run began: referenceId, or null when GWS sent none. */
  private readonly answers = new Map<string, Array<number | null>>();
  private readonly waiters = new Set<(key: string, referenceId: number | null) => void>();
  private readonly cancelHooks = new Set<() => void>();
  private readonly problems: SyncProblem[] = [];
  private readonly unanswered: SyncTarget[] = [];
  private workbinCount = 0;

  constructor(
    private readonly deps: SyncRunDeps,
    readonly scope: SyncScope,
    now: number,
  ) {
    this.startedAt = now;
  }

  async run(): Promise<SyncOutcome> {
    if (this.scope.kind === 'full') {
      await eachLimited(this.scope.owners, this.deps.concurrency, (owner) => this.syncOwner(owner));
    } else {
      await Promise.all(
        this.scope.workbins.map(({ owner, workbinId }) => {
          this.recording.set(workbinKey(owner, workbinId), []);
          return this.load(owner, workbinId);
        }),
      );
    }
    return { problems: this.problems, unanswered: this.unanswered, workbins: this.workbinCount };
  }

  /**
   * Every validated live message, while the run lives: recorded, and answers matched. `key`:
   * the workbin it is about (the caller has it already).
   */
  observe(message: WorkbinMessage, key: string): void {
    if (this.cancelled) return;
    if (message.type === 'subscription') {
      let seen = this.answers.get(key);
      if (!seen) {
        seen = [];
        this.answers.set(key, seen);
      }
      seen.push(message.referenceId);
      for (const waiter of this.waiters) waiter(key, message.referenceId);
    }
    this.recording.get(key)?.push(message);
  }

  cancel(): void {
    this.cancelled = true;
    this.recording.clear();
    for (const hook of [...this.cancelHooks]) hook();
  }

  private async syncOwner(owner: string): Promise<void> {
    const listed = await this.deps.client.listWorkbins(owner);
    if (this.cancelled) return;
    if (!listed.ok) {
      this.fail(owner, null, 'list', listed.error, `list workbins of ${owner}`);
      // What is held of them (from the cache or an earlier sync) is not live any more.
      this.deps.enqueue({
        type: 'owner-unavailable',
        ownerUserId: owner,
        reason: listed.error.message,
      });
      return;
    }
    const workbins = listed.value;
    this.workbinCount += workbins.length;
    // A watched agent is shown by name; not knowing it is no reason to fail the sync.
    let ownerName: string | null = null;
    if (this.deps.isWatchedUser(owner)) {
      const user = await this.deps.client.userInfo(owner);
      if (this.cancelled) return;
      if (user.ok) ownerName = user.value.displayName;
    }
    this.deps.listed(owner, workbins, ownerName);
    for (const w of workbins) {
      this.recording.set(workbinKey(owner, w.id), []);
      this.deps.enqueue({ type: 'subscription-requested', ownerUserId: owner, workbinId: w.id });
    }
    if (workbins.length > 0) {
      const ids = workbins.map((w) => w.id);
      const subscribed = await this.deps.client.subscriptions('Subscribe', ids, owner);
      if (this.cancelled) return;
      if (!subscribed.ok) {
        this.fail(owner, null, 'subscribe', subscribed.error, `subscribe to ${owner}'s workbins`);
      } else {
        // GWS subscribes asynchronously. Loading before the Subscribed answer would miss an
        // item added between the snapshot and the start of the stream.
        const late = await this.awaitAnswers(owner, ids, subscribed.value);
        if (this.cancelled) return;
        for (const workbinId of late) {
          this.unanswered.push({ owner, workbinId });
          this.fail(
            owner,
            workbinKey(owner, workbinId),
            'answer',
            {
              kind: 'timeout',
              message: ownerGroup(owner) ? STRINGS.errors.noTeamAnswer : STRINGS.errors.noAnswer,
            },
            `subscribe to ${workbinId}`,
          );
        }
      }
    }
    await Promise.all(workbins.map((w) => this.load(owner, w.id)));
  }

  /**
   * Waits until each workbin has its answer: matched by referenceId where GWS sends one,
   * else by owner and workbin id (the docs' own examples carry no referenceId). Resolves
   * with the workbins still unanswered after the timeout.
   */
  private awaitAnswers(
    owner: string,
    ids: readonly string[],
    referenceIds: Readonly<Record<string, number>>,
  ): Promise<string[]> {
    const left = new Map<string, { workbinId: string; referenceId: number | undefined }>();
    for (const workbinId of ids) {
      const key = workbinKey(owner, workbinId);
      const referenceId = referenceIds[workbinId];
      const seen = this.answers.get(key) ?? [];
      if (!seen.some((r) => r === null || r === referenceId))
        left.set(key, { workbinId, referenceId });
    }
    if (left.size === 0) return Promise.resolve([]);
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
        this.cancelHooks.delete(finish);
        resolve([...left.values()].map((w) => w.workbinId));
      };
      const waiter = (key: string, referenceId: number | null) => {
        const wanted = left.get(key);
        if (!wanted) return;
        if (referenceId !== null && referenceId !== wanted.referenceId) return;
        left.delete(key);
        if (left.size === 0) finish();
      };
      const timer = setTimeout(finish, this.deps.subscribeTimeout);
      this.waiters.add(waiter);
      this.cancelHooks.add(finish);
    });
  }

  private async load(owner: string, workbinId: string): Promise<void> {
    const key = workbinKey(owner, workbinId);
    const contents = await this.deps.client.workbinContents(workbinId, owner);
    if (this.cancelled) return;
    if (!contents.ok) {
      this.recording.delete(key);
      this.fail(owner, key, 'load', contents.error, `load workbin ${workbinId}`);
      return;
    }
    // Read in slices; what arrives live meanwhile is still recorded, and replayed below.
    const { items, skipped, trimmed } = await readWorkbinItemsInSlices(
      contents.value,
      workbinId,
      owner,
    );
    if (this.cancelled) return;
    const replay = this.recording.get(key) ?? [];
    this.recording.delete(key);
    this.deps.skipped(skipped, trimmed);
    this.deps.enqueue({
      type: 'contents-loaded',
      ownerUserId: owner,
      workbinId,
      items,
      at: this.startedAt,
    });
    // What arrived live during the load may be newer than the snapshot: apply it again. An
    // add the snapshot lacks, of an item whose removal was seen before the load began, is an
    // old message delivered again: replaying it would bring back a removed item. The snapshot
    // is searched only for such adds: a set of its 100,000 ids took 30 ms in one turn, at
    // every load, for a replay that is nearly always empty.
    const old = new Map<WorkbinMessage, string>();
    for (const m of replay)
      if (m.type === 'item-added' && this.deps.removedBefore(key, m.item)) old.set(m, m.item.id);
    const absent = new Set(old.values());
    if (absent.size > 0) for (const item of items) absent.delete(item.id);
    for (const message of replay) {
      const id = old.get(message);
      if (id !== undefined && absent.has(id)) continue;
      this.deps.enqueue({ type: 'message', message, replayed: true });
    }
  }

  private fail(
    owner: string,
    key: string | null,
    step: SyncProblem['step'],
    error: GwsError,
    during: string,
  ): void {
    this.problems.push({ ownerUserId: owner, workbinKey: key, step, reason: error.message });
    this.deps.problem(during, error);
  }
}

/** Runs `work` over `items`, at most `limit` at a time. */
async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
