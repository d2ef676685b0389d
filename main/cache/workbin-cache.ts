import { existsSync, renameSync } from 'node:fs';
import type { SessionDto } from '../bridge/protocol.js';
import { type CachedSnapshot, decodeSnapshot, encodeSnapshot } from './codec.js';

/**
 * What the cache needs of its store: electron-store in the app, its engine `conf` under Node.
 * Both write atomically (write to a temp file, then rename).
 */
export interface CacheBackend {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
}

export interface Settings {
  readonly notificationsPaused: boolean;
  /** Workbin keys whose new items raise no notification. */
  readonly mutedWorkbins: readonly string[];
  readonly startAtLogin: boolean;
}

export const DEFAULT_SETTINGS: Settings = {
  notificationsPaused: false,
  mutedWorkbins: [],
  startAtLogin: false,
};

export type CacheProblem =
  | { readonly kind: 'corrupt'; readonly message: string; readonly movedTo: string | null }
  | { readonly kind: 'unusable'; readonly message: string };

/** Saved credentials: the password is encrypted by the shell (safeStorage) before it gets here. */
export interface SavedCredentials {
  readonly server: string;
  readonly user: string;
  readonly encryptedPassword: string;
}

/**
 * The offline cache and settings. Opening never throws: an unreadable file is moved aside
 * and reported, and the app starts empty.
 */
export class WorkbinCache {
  private timer: NodeJS.Timeout | undefined;
  private pending: CachedSnapshot | undefined;

  private constructor(private readonly backend: CacheBackend) {}

  static open(
    path: string,
    create: () => CacheBackend,
    now: () => number = Date.now,
  ): { cache: WorkbinCache; problem: CacheProblem | null } {
    try {
      return { cache: new WorkbinCache(create()), problem: null };
    } catch (error) {
      const movedTo = existsSync(path) ? `${path}.corrupt-${now()}` : null;
      if (movedTo) renameSync(path, movedTo);
      const problem: CacheProblem = { kind: 'corrupt', message: (error as Error).message, movedTo };
      return { cache: new WorkbinCache(create()), problem };
    }
  }

  /** The last saved workbin state, if any and if it can be read. */
  load(): { snapshot: CachedSnapshot | null; problem: CacheProblem | null } {
    const raw = this.backend.get('snapshot');
    if (raw === undefined) return { snapshot: null, problem: null };
    const decoded = decodeSnapshot(raw);
    if (!decoded.ok) {
      this.backend.delete('snapshot');
      return { snapshot: null, problem: { kind: 'unusable', message: decoded.reason } };
    }
    return { snapshot: decoded.snapshot, problem: null };
  }

  save(snapshot: CachedSnapshot): void {
    this.backend.set('snapshot', encodeSnapshot(snapshot));
  }

  /** Saves at most every `delay` ms during bursts; the latest snapshot wins. */
  saveSoon(snapshot: CachedSnapshot, delay = 1_000): void {
    this.pending = snapshot;
    this.timer ??= setTimeout(() => this.flush(), delay);
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const pending = this.pending;
    this.pending = undefined;
    if (pending) this.save(pending);
  }

  forgetSnapshot(): void {
    this.pending = undefined;
    this.backend.delete('snapshot');
  }

  settings(): Settings {
    const raw = this.backend.get('settings');
    if (typeof raw !== 'object' || raw === null) return DEFAULT_SETTINGS;
    const s = raw as Record<string, unknown>;
    return {
      notificationsPaused: s.notificationsPaused === true,
      mutedWorkbins: Array.isArray(s.mutedWorkbins)
        ? s.mutedWorkbins.filter((k) => typeof k === 'string')
        : [],
      startAtLogin: s.startAtLogin === true,
    };
  }

  updateSettings(patch: Partial<Settings>): Settings {
    const next = { ...this.settings(), ...patch };
    this.backend.set('settings', next);
    return next;
  }

  credentials(): SavedCredentials | null {
    const raw = this.backend.get('credentials') as Partial<SavedCredentials> | undefined;
    return typeof raw?.server === 'string' &&
      typeof raw.user === 'string' &&
      typeof raw.encryptedPassword === 'string'
      ? { server: raw.server, user: raw.user, encryptedPassword: raw.encryptedPassword }
      : null;
  }

  saveCredentials(credentials: SavedCredentials | null): void {
    if (credentials) this.backend.set('credentials', credentials);
    else this.backend.delete('credentials');
  }
}

export type { CachedSnapshot, SessionDto };
