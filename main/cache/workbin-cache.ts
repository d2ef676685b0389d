import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileSync } from 'atomically';
import { readSettings, type Settings } from '../contract/settings.js';
import { type CachedSnapshot, decodeSnapshot, encodeSnapshot } from './codec.js';

/**
 * Where the cache lives. Settings and credentials are small and go to electron-store (in the
 * app) or its engine `conf` (under Node). The workbin snapshot can be megabytes and is
 * rewritten often, so it has a file of its own, written atomically in one step: conf re-reads
 * and re-parses its whole file on every `set`, which cost 90 to 290 ms for 20,000 items.
 */
export interface CacheLocation {
  readonly settingsPath: string;
  readonly createSettings: () => CacheBackend;
  readonly snapshotPath: string;
}

/** What the cache needs of its settings store. Both stores write atomically. */
export interface CacheBackend {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
}

export const CACHE_NAME = 'workbin-tray';

/**
 * The cache's files in `dir`: `workbin-tray.json` (settings, written by `createSettings`'s
 * store under that name) and `workbin-tray-state.json` (the snapshot).
 */
export function cacheLocationIn(dir: string, createSettings: () => CacheBackend): CacheLocation {
  return {
    settingsPath: join(dir, `${CACHE_NAME}.json`),
    snapshotPath: join(dir, `${CACHE_NAME}-state.json`),
    createSettings,
  };
}

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

  private constructor(
    private readonly backend: CacheBackend,
    private readonly snapshotPath: string,
    private readonly now: () => number,
  ) {}

  static open(
    location: CacheLocation,
    now: () => number = Date.now,
  ): { cache: WorkbinCache; problem: CacheProblem | null } {
    // Customer subjects, attached data and the encrypted credential: the owner's eyes only.
    const dir = dirname(location.snapshotPath);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
    try {
      return {
        cache: new WorkbinCache(location.createSettings(), location.snapshotPath, now),
        problem: null,
      };
    } catch (error) {
      const problem = moveAside(location.settingsPath, (error as Error).message, now());
      return {
        cache: new WorkbinCache(location.createSettings(), location.snapshotPath, now),
        problem,
      };
    }
  }

  /** The last saved workbin state, if any and if it can be read. */
  load(): { snapshot: CachedSnapshot | null; problem: CacheProblem | null } {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(this.snapshotPath, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        return { snapshot: null, problem: null };
      return {
        snapshot: null,
        problem: moveAside(this.snapshotPath, (error as Error).message, this.now()),
      };
    }
    const decoded = decodeSnapshot(raw);
    if (!decoded.ok) {
      this.forgetSnapshot();
      return { snapshot: null, problem: { kind: 'unusable', message: decoded.error } };
    }
    return { snapshot: decoded.value.snapshot, problem: null };
  }

  save(snapshot: CachedSnapshot): void {
    writeFileSync(this.snapshotPath, JSON.stringify(encodeSnapshot(snapshot)), { mode: 0o600 });
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
    rmSync(this.snapshotPath, { force: true });
  }

  settings(): Settings {
    return readSettings(this.backend.get('settings'));
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

function moveAside(path: string, message: string, now: number): CacheProblem {
  const movedTo = existsSync(path) ? `${path}.corrupt-${now}` : null;
  if (movedTo) {
    renameSync(path, movedTo);
    chmodSync(movedTo, 0o600);
  }
  return { kind: 'corrupt', message, movedTo };
}

export type { CachedSnapshot };
