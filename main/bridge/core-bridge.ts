import { EventEmitter } from 'node:events';
import type { CachedSnapshot } from '../cache/codec.js';
import type { CachePreview } from '../cache/snapshot-layout.js';
import type { DiagnosticsReport } from '../contract/diagnostics.js';
import type { WorkbinItem } from '../contract/domain.js';
import type { SignInError } from '../contract/errors.js';
import type { Notice } from '../contract/notice.js';
import type { CoreEvent, UiCommand } from '../contract/protocol.js';
import { err, ok, type Result } from '../contract/result.js';
import { type AccountSession, sameSession } from '../contract/session.js';
import { DEFAULT_SETTINGS, type Settings } from '../contract/settings.js';
import type { ConnectionStatus } from '../contract/status.js';
import { explain } from '../contract/strings.js';
import { DiagnosticsJournal } from '../diagnostics/journal.js';
import { GwsClient } from '../gws/client.js';
import { SessionCookies } from '../gws/cookie-jar.js';
import { isCleartext, parseServerUrl } from '../gws/server-url.js';
import { LiveWorkbins, type LiveWorkbinsOptions } from '../workbins/live-workbins.js';
import {
  EMPTY_STATE,
  stateItems,
  type WorkbinChange,
  type WorkbinState,
} from '../workbins/state.js';
import { deltaEvent, workbinDtos } from './dto.js';
import { type UnseenChange, UnseenItems } from './unseen.js';

export interface SignInRequest {
  readonly server: string;
  readonly user: string;
  readonly password: string;
}

export interface CoreBridgeOptions {
  /** The user chose to allow plain http to another machine (--allow-insecure-http). */
  readonly allowInsecureHttp?: boolean;
  /** Core tuning (backoff etc.) applied to every session. */
  readonly core?: Partial<Omit<LiveWorkbinsOptions, 'baseUrl' | 'credentials' | 'initialState'>>;
  /** Where problems and rejected messages are kept (and logged); memory only by default. */
  readonly journal?: DiagnosticsJournal;
  /** Settings as saved by the host. */
  readonly settings?: Settings;
  /** Last known state (offline cache): shown, marked stale, until the first sync. */
  readonly cached?: CachedSnapshot;
  /**
   * A large cache still being read: its preview is shown meanwhile, and `whole` replaces it
   * (null: the cache turned out unusable). Sign-in, sign-out and stop wait for it.
   */
  readonly restoring?: {
    readonly preview: CachePreview;
    readonly whole: Promise<CachedSnapshot | null>;
  };
}

export interface CoreBridgeEvents {
  /** For every connected UI. */
  event: [CoreEvent];
  /** The core's raw changes, for the notification policy and the cache. */
  changes: [{ state: WorkbinState; changes: readonly WorkbinChange[] }];
  status: [ConnectionStatus];
  /** A successful sign-in; the host may store the credentials (safeStorage in the app). */
  'signed-in': [SignInRequest & { session: AccountSession }];
  'signed-out': [];
  /**
   * The server refused the credentials (at sign-in, or later when the session was renewed):
   * the host forgets the saved password, so that it is not replayed at every start (an
   * account lockout waiting to happen).
   */
  'credentials-rejected': [];
  'open-item': [{ workbinKey: string; id: string }];
  /** What is unseen changed (the tray count, the cache). */
  unseen: [UnseenChange];
  /** Settings changed (from the UI or the host); the host persists them. */
  settings: [Settings];
  /** The whole cache is in, after a start from its preview (`restoring`). */
  restored: [];
}

/**
 * The core as the UI sees it: turns UI commands into core actions and core changes into
 * protocol events. Transport-agnostic: Electron IPC and the browser WebSocket both use it.
 */
export class CoreBridge extends EventEmitter<CoreBridgeEvents> {
  private core: LiveWorkbins | undefined;
  private session: AccountSession | null = null;
  private stale = false;
  private cachedAt: number | null = null;
  private state: WorkbinState = EMPTY_STATE;
  private status: ConnectionStatus = { state: 'stopped', since: Date.now() };
  private settings: Settings;
  private unseen = new UnseenItems();
  /** Bumped by every sign-in, sign-out and stop: an older sign-in finds it changed and yields. */
  private generation = 0;
  private lifecycle: Promise<unknown> = Promise.resolve();
  private readonly journal: DiagnosticsJournal;
  /** A hostile server can cause a rejection per message: the UI hears of them in batches. */
  private diagnosticsTimer: NodeJS.Timeout | undefined;
  /** While a large cache is read: its preview, and when the whole is in. */
  private restoring: { preview: CachePreview; restored: Promise<void> } | null = null;

  constructor(private readonly options: CoreBridgeOptions = {}) {
    super();
    this.settings = options.settings ?? DEFAULT_SETTINGS;
    this.journal = options.journal ?? new DiagnosticsJournal();
    const cached = options.cached ?? options.restoring?.preview.snapshot;
    if (cached) this.showCached(cached);
    if (options.restoring) {
      const { preview, whole } = options.restoring;
      this.restoring = { preview, restored: this.serially(() => this.restore(whole)) };
    }
  }

  private showCached(cached: CachedSnapshot): void {
    this.state = cached.state;
    this.session = cached.session;
    this.cachedAt = cached.savedAt;
    this.stale = true;
    this.unseen = new UnseenItems(cached.unseen);
  }

  /** No account and nothing of one: signed out, or the cache was unusable after all. */
  private showNothing(): void {
    this.session = null;
    this.state = EMPTY_STATE;
    this.stale = false;
    this.cachedAt = null;
    this.unseen = new UnseenItems();
  }

  /** The whole cache replaces its preview, or, unusable after all, nothing is cached. */
  private async restore(whole: Promise<CachedSnapshot | null>): Promise<void> {
    const cached = await whole;
    this.restoring = null;
    if (cached) this.showCached(cached);
    else this.showNothing();
    this.emit('restored');
    this.emit('event', this.snapshot());
  }

  get currentState(): WorkbinState {
    return this.state;
  }

  get currentSession(): AccountSession | null {
    return this.session;
  }

  get currentStatus(): ConnectionStatus {
    return this.status;
  }

  get currentSettings(): Settings {
    return this.settings;
  }

  get unseenItems(): readonly string[] {
    return this.unseen.list();
  }

  get unseenCount(): number {
    return this.unseen.size;
  }

  /** The agent saw these items (opened them, clicked their notification), or all of them. */
  markSeen(keys?: readonly string[]): void {
    // Marked on the whole cache once it is in: the preview's list is about to be replaced, and
    // saving the preview's state would leave a cache of its newest items alone.
    if (this.restoring) {
      void this.restoring.restored.then(() => this.markSeen(keys));
      return;
    }
    this.announceUnseen(this.unseen.markSeen(keys));
  }

  /** Browser mode: the page shows this notification (the app shows its own natively). */
  notify(notice: Notice): void {
    this.emit('event', { type: 'notify', notice });
  }

  get diagnostics(): DiagnosticsReport {
    return this.journal.report();
  }

  /** Something went wrong that the agent or support may need: journal it, tell the UI soon. */
  recordProblem(kind: 'problem' | 'rejected', text: string): void {
    this.journal.record(kind, text);
    this.diagnosticsTimer ??= setTimeout(() => {
      this.diagnosticsTimer = undefined;
      this.emit('event', { type: 'diagnostics', diagnostics: this.journal.report() });
    }, 250);
  }

  private announceUnseen(change: UnseenChange): void {
    if (change.added.length === 0 && change.removed.length === 0) return;
    this.emit('unseen', change);
    this.emit('event', { type: 'unseen', ...change });
  }

  snapshot(): Extract<CoreEvent, { type: 'snapshot' }> {
    const { snapshot, items } = this.snapshotInParts();
    return { ...snapshot, items: [...items] };
  }

  /**
   * The snapshot with its items still to be read, as the transports send it in parts
   * (`SnapshotSender`): taking them all at once stopped the host for 30 to 100 ms at 100,000.
   * While a large cache is read, it is the cache's preview: the newest items, the whole
   * counts, and `complete`, which settles once the whole is in (then take it again).
   */
  snapshotInParts(): {
    readonly snapshot: Extract<CoreEvent, { type: 'snapshot' }>;
    readonly items: Iterable<WorkbinItem>;
    readonly complete?: Promise<void>;
  } {
    const restoring = this.restoring;
    const workbins = workbinDtos(this.state);
    return {
      snapshot: {
        type: 'snapshot',
        session: this.session,
        status: this.status,
        workbins: restoring
          ? workbins.map((dto) => ({
              ...dto,
              count: restoring.preview.counts.get(dto.key) ?? dto.count,
            }))
          : workbins,
        items: [],
        stale: this.stale,
        cachedAt: this.cachedAt,
        settings: this.settings,
        unseen: this.unseen.list(),
        diagnostics: this.journal.report(),
      },
      ...(restoring
        ? { items: restoring.preview.newest, complete: restoring.restored }
        : { items: stateItems(this.state) }),
    };
  }

  /** From the UI or the host (tray menu): every UI hears of it, the host saves it. */
  updateSettings(patch: Partial<Settings>): void {
    this.settings = { ...this.settings, ...patch };
    if (patch.agentGroups || patch.placeGroups || patch.watchUsers)
      this.core?.watch({
        users: this.settings.watchUsers,
        agentGroups: this.settings.agentGroups,
        placeGroups: this.settings.placeGroups,
      });
    this.emit('settings', this.settings);
    this.emit('event', { type: 'settings', settings: this.settings });
  }

  /**
   * Handles one validated command; `reply` reaches only the UI that sent it. Never rejects:
   * hosts fire and forget, and a failure here must not become an unhandled rejection.
   */
  async handle(command: UiCommand, reply: (event: CoreEvent) => void): Promise<void> {
    try {
      await this.dispatch(command, reply);
    } catch (error) {
      console.error(`Workbin Tray: the ${command.type} command failed:`, error);
    }
  }

  private async dispatch(command: UiCommand, reply: (event: CoreEvent) => void): Promise<void> {
    switch (command.type) {
      case 'hello':
        // The app's IPC gate and the web host answer it in parts themselves (SnapshotSender).
        reply(this.snapshot());
        return;
      case 'sign-in': {
        const result = await this.signIn(command);
        reply({ type: 'sign-in-result', error: result.ok ? null : result.error });
        return;
      }
      case 'sign-out':
        await this.signOut();
        return;
      case 'reconnect':
        await this.core?.retryNow();
        return;
      case 'retry':
        this.core?.retryWorkbin(command.workbinKey);
        return;
      case 'open-item':
        this.emit('open-item', { workbinKey: command.workbinKey, id: command.id });
        return;
      case 'seen':
        this.markSeen(command.keys);
        return;
      case 'settings':
        this.updateSettings(command.settings);
        return;
    }
  }

  /**
   * The machine woke from a sleep: a fresh CometD session now. The long poll from before the
   * sleep may look healthy and be dead (the server forgets a session after 15 s without a
   * connect); its own timeout would say so up to 40 s later, the status Online meanwhile.
   * "Retry now" (the `reconnect` command) keeps a connection it believes in.
   */
  async reconnectNow(): Promise<void> {
    await this.core?.reconnectNow();
  }

  /**
   * Checks the server and credentials once, then runs the core.
   * With `preferCache` (a sign-in at start-up) and cached contents of the same account, the
   * check is skipped: the core starts even if the server is unreachable, so the cached list
   * shows with a reconnecting status. A later sign-in or a sign-out supersedes this one at
   * any point: it then ends with `superseded` and leaves nothing running.
   */
  async signIn(
    request: SignInRequest,
    options: { preferCache?: boolean } = {},
  ): Promise<Result<AccountSession, SignInError>> {
    if (!request.server.trim()) return err({ kind: 'empty-field', field: 'server' });
    if (!request.user.trim()) return err({ kind: 'empty-field', field: 'user' });
    if (!request.password) return err({ kind: 'empty-field', field: 'password' });
    const url = parseServerUrl(request.server, {
      ...(this.options.allowInsecureHttp && { allowInsecureHttp: true }),
    });
    if (!url.ok) return url;
    const generation = ++this.generation;
    const credentials = { user: request.user.trim(), password: request.password };
    let displayName = this.session?.displayName ?? credentials.user;
    let userId = this.session?.userId ?? credentials.user;
    const cachedAccount =
      this.stale &&
      this.session?.server === url.value.href &&
      this.session.user === credentials.user;
    if (!(options.preferCache && cachedAccount)) {
      const probe = await new GwsClient({
        baseUrl: url.value,
        credentials,
        cookies: new SessionCookies(),
      }).signIn();
      if (generation !== this.generation) return err({ kind: 'superseded' });
      if (!probe.ok) {
        if (probe.error.kind === 'credentials') this.emit('credentials-rejected');
        return probe;
      }
      displayName = probe.value.displayName;
      userId = probe.value.id;
    }
    return this.serially(async () => {
      if (generation !== this.generation) return err({ kind: 'superseded' });
      await this.stopCore();
      if (generation !== this.generation) return err({ kind: 'superseded' });
      return this.run(request, url.value, credentials, { userId, displayName });
    });
  }

  /** Runs the core for an account whose credentials were accepted (or are cached). */
  private run(
    request: SignInRequest,
    url: URL,
    credentials: { user: string; password: string },
    identity: { userId: string; displayName: string },
  ): Result<AccountSession, SignInError> {
    const { userId, displayName } = identity;
    const session: AccountSession = {
      server: url.href,
      user: credentials.user,
      userId,
      displayName,
      insecure: isCleartext(url),
    };
    const before = { session: this.session, stale: this.stale };
    const sameAccount =
      this.session?.server === session.server && this.session.user === session.user;
    if (!sameAccount) {
      this.state = EMPTY_STATE;
      this.cachedAt = null;
      this.unseen = new UnseenItems();
    }
    this.session = session;
    this.stale = this.state !== EMPTY_STATE;
    // A start from the cache signs in to the cached account: the list, the account and its
    // staleness are what every page has; the status comes from the core as it changes. (The
    // same session is the same account, so the list was kept above.)
    const shown = before.stale === this.stale && sameSession(before.session, session);
    const core = new LiveWorkbins({
      ...this.options.core,
      watchUsers: this.settings.watchUsers,
      agentGroups: this.settings.agentGroups,
      placeGroups: this.settings.placeGroups,
      baseUrl: url,
      credentials,
      initialState: this.state,
    });
    this.core = core;
    core.on('status', (status) => {
      if (core !== this.core) return;
      if (status.state === 'signed-out') this.emit('credentials-rejected');
      this.status = status;
      this.emit('status', status);
      this.emit('event', { type: 'status', status });
    });
    core.on('changes', ({ state, changes }) => {
      if (core !== this.core) return;
      this.state = state;
      this.emit('changes', { state, changes });
      this.emit('event', deltaEvent(state, changes, this.stale));
      this.announceUnseen(this.unseen.onChanges(changes));
    });
    core.on('problem', ({ during, error }) => {
      if (core === this.core) this.recordProblem('problem', `${during}: ${explain(error)}`);
    });
    core.on('rejected', ({ reason }) => {
      if (core === this.core) this.recordProblem('rejected', reason);
    });
    core.on('synced', ({ state }) => {
      if (core !== this.core) return;
      this.state = state;
      if (this.stale) {
        this.stale = false;
        this.cachedAt = null;
        this.emit('event', this.snapshot());
      }
    });
    this.emit('signed-in', { ...request, session });
    if (!shown) this.emit('event', this.snapshot());
    core.start();
    return ok(session);
  }

  /** Always wins over a sign-in under way: that one ends superseded and starts nothing. */
  signOut(): Promise<void> {
    this.generation++;
    return this.serially(async () => {
      await this.stopCore();
      this.showNothing();
      this.status = { state: 'stopped', since: Date.now() };
      this.emit('signed-out');
      this.emit('event', this.snapshot());
    });
  }

  stop(): Promise<void> {
    this.generation++;
    clearTimeout(this.diagnosticsTimer);
    this.diagnosticsTimer = undefined;
    return this.serially(() => this.stopCore());
  }

  private async stopCore(): Promise<void> {
    const core = this.core;
    this.core = undefined;
    await core?.stop();
  }

  /** Sign-in, sign-out and stop change the running core one at a time, in call order. */
  private serially<T>(step: () => Promise<T> | T): Promise<T> {
    const next = this.lifecycle.then(step);
    this.lifecycle = next.catch(() => {});
    return next;
  }
}
