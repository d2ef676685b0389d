import { EventEmitter } from 'node:events';
import type { CacheLocation, CacheProblem, WorkbinCache } from '../cache/workbin-cache.js';
import { itemKey } from '../contract/keys.js';
import type { Notice } from '../contract/notice.js';
import type { CoreEvent, UiCommand } from '../contract/protocol.js';
import { readSettings, type Settings } from '../contract/settings.js';
import { explain } from '../contract/strings.js';
import type { DiagnosticsJournal } from '../diagnostics/journal.js';
import type { PolicyOptions } from '../notify/policy.js';
import { type TrayState, trayStateOf } from '../notify/tray-state.js';
import { openCachedBridge } from './cached-bridge.js';
import type { CoreBridge, CoreBridgeOptions } from './core-bridge.js';
import { Notifier } from './notifier.js';

/** What the OS keeps secret for us (safeStorage in the app); null when it cannot. */
export interface SecretBox {
  encrypt(secret: string): string | null;
  decrypt(blob: string): string | null;
}

/** What the tray shows. */
export interface TrayView {
  readonly state: TrayState;
  readonly unseen: number;
  /** Signed in over cleartext http (an explicit opt-in): warned about everywhere. */
  readonly insecure: boolean;
}

export type ItemTarget = { readonly workbinKey: string; readonly id: string };

export interface AppSessionOptions {
  readonly location: CacheLocation;
  readonly secrets: SecretBox;
  readonly journal?: DiagnosticsJournal;
  readonly core?: CoreBridgeOptions['core'];
  readonly policy?: PolicyOptions;
  /** Signed in to when nothing is saved (development: the simulator `npm start` runs). */
  readonly demoServer?: string;
  /** Runs before each sign-in with its server (the app: the system's proxy for it). */
  readonly prepareNetwork?: (server: string) => Promise<void>;
}

export interface AppSessionEvents {
  /** For the window. */
  event: [CoreEvent];
  /** The tray changed (emitted only when something it shows changed). */
  tray: [TrayView];
  notice: [Notice];
  /** Show the window with this item open. */
  reveal: [ItemTarget];
  /** The notification settings changed (the tray menu shows them). */
  settings: [];
}

/**
 * Everything the desktop app decides, in plain Node: the cached core, when notifications are
 * due (the policy's own schedule), what the tray shows, what counts as seen and what is kept
 * of a sign-in. The Electron shell only shows it; tests drive it against the simulator.
 */
export class AppSession extends EventEmitter<AppSessionEvents> {
  readonly bridge: CoreBridge;
  readonly cache: WorkbinCache;
  /** Settles once the cache has been read (a large one is read after the start). */
  readonly cacheProblem: Promise<CacheProblem | null>;
  private readonly notifier: Notifier;
  private shown: TrayView;

  constructor(private readonly options: AppSessionOptions) {
    super();
    const opened = openCachedBridge(options.location, options.core, {
      ...(options.journal && { journal: options.journal }),
    });
    this.bridge = opened.bridge;
    this.cache = opened.cache;
    this.cacheProblem = opened.problem;
    this.shown = this.trayView();
    this.notifier = new Notifier(this.bridge, options.policy);
    this.notifier.on('notice', (notice) => this.emit('notice', notice));

    const bridge = this.bridge;
    bridge.on('event', (event) => this.emit('event', event));
    bridge.on('changes', this.refreshTray);
    bridge.on('status', this.refreshTray);
    bridge.on('unseen', this.refreshTray);
    bridge.on('restored', this.refreshTray);
    bridge.on('signed-out', () => {
      this.cache.saveCredentials(null);
      this.refreshTray();
    });
    bridge.on('signed-in', (request) => {
      // Never saved for a cleartext server: it would be replayed unencrypted at every start.
      const encrypted = request.session.insecure ? null : options.secrets.encrypt(request.password);
      this.cache.saveCredentials(
        encrypted
          ? { server: request.session.server, user: request.user, encryptedPassword: encrypted }
          : null,
      );
    });
    bridge.on('settings', () => this.emit('settings'));
    bridge.on('open-item', (target) => this.reveal(target));
  }

  get tray(): TrayView {
    return this.shown;
  }

  get settings(): Settings {
    return this.bridge.currentSettings;
  }

  /** A command from the window (already checked by the IPC gate). */
  handle(command: UiCommand, reply: (event: CoreEvent) => void): void {
    void this.handled(command, reply);
  }

  private async handled(command: UiCommand, reply: (event: CoreEvent) => void): Promise<void> {
    // As at start: the network is prepared for a sign-in's server before it signs in.
    if (command.type === 'sign-in') await this.options.prepareNetwork?.(command.server);
    await this.bridge.handle(command, reply);
  }

  /** Opening an item is seeing it (the rule in main/bridge/unseen.ts). */
  reveal(target: ItemTarget): void {
    this.emit('reveal', target);
    this.bridge.markSeen([itemKey(target.workbinKey, target.id)]);
  }

  /** The OS says waiting for the backoff is pointless (unlock, network back, the tray's menu). */
  reconnect(): void {
    this.handle({ type: 'reconnect' }, () => {});
  }

  /** The machine woke from a sleep: nothing from before it is trusted (CoreBridge.reconnectNow). */
  resumed(): void {
    void this.bridge.reconnectNow();
  }

  setPaused(paused: boolean): void {
    this.bridge.updateSettings({ notificationsPaused: paused });
  }

  setStartAtLogin(on: boolean): void {
    this.bridge.updateSettings({ startAtLogin: on });
  }

  /** Saved as the settings read it: something that is not an accelerator turns it off. */
  setPopupShortcut(accelerator: string | null): void {
    this.bridge.updateSettings({
      popupShortcut: readSettings({ popupShortcut: accelerator }).popupShortcut,
    });
  }

  setPopupSize(size: NonNullable<Settings['popupSize']>): void {
    const saved = this.settings.popupSize;
    if (saved?.width !== size.width || saved.height !== size.height)
      this.bridge.updateSettings({ popupSize: size });
  }

  /**
   * Saved credentials first, then the demo server; the cache is shown until the first sync.
   * Returns what went wrong, for the log: nothing here stops the app.
   */
  async start(): Promise<string | null> {
    const saved = this.cache.credentials();
    const password = saved ? this.options.secrets.decrypt(saved.encryptedPassword) : null;
    const request =
      saved && password !== null
        ? { server: saved.server, user: saved.user, password }
        : this.options.demoServer
          ? { server: this.options.demoServer, user: 'agent1', password: 'demo' }
          : null;
    if (!request) return null;
    await this.options.prepareNetwork?.(request.server);
    const result = await this.bridge.signIn(request, { preferCache: true });
    return result.ok ? null : `Saved sign-in failed: ${explain(result.error)}`;
  }

  /** Quitting: nothing scheduled survives, the cache is written. */
  async stop(): Promise<void> {
    this.notifier.stop();
    const failed = this.cache.flush();
    if (failed) this.options.journal?.record('problem', failed);
    await this.bridge.stop();
  }

  private trayView(): TrayView {
    const bridge = this.bridge;
    return {
      state: trayStateOf(bridge.currentStatus, bridge.currentState.workbins.values()),
      unseen: bridge.unseenCount,
      insecure: bridge.currentSession?.insecure === true,
    };
  }

  private readonly refreshTray = () => {
    const next = this.trayView();
    const shown = this.shown;
    if (
      next.state === shown.state &&
      next.unseen === shown.unseen &&
      next.insecure === shown.insecure
    )
      return;
    this.shown = next;
    this.emit('tray', next);
  };
}
