import { chmodSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readSettings, type Settings } from '../contract/settings.js';
import type { CachedSnapshot } from './codec.js';
import {
  type CacheProblem,
  type LoadedSnapshot,
  moveAside,
  type SnapshotChange,
  SnapshotFiles,
  type SnapshotTuning,
} from './snapshot-files.js';
import type { CachePreview } from './snapshot-layout.js';

/**
 * Where the cache lives. Settings and credentials are small and go to electron-store (in the
 * app) or its engine `conf` (under Node). The workbin snapshot can be megabytes and changes
 * often, so it has files of its own, a snapshot and a journal of changes (SnapshotFiles):
 * conf re-reads and re-parses its whole file on every `set`, which cost 90 to 290 ms for
 * 20,000 items.
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
  private constructor(
    private readonly backend: CacheBackend,
    private readonly files: SnapshotFiles,
  ) {}

  static open(
    location: CacheLocation,
    now: () => number = Date.now,
    tuning?: SnapshotTuning,
  ): { cache: WorkbinCache; problem: CacheProblem | null } {
    // Customer subjects, attached data and the encrypted credential: the owner's eyes only.
    const dir = dirname(location.snapshotPath);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
    const files = new SnapshotFiles(location.snapshotPath, now, tuning);
    try {
      return { cache: new WorkbinCache(location.createSettings(), files), problem: null };
    } catch (error) {
      const problem = moveAside(location.settingsPath, (error as Error).message, now());
      return { cache: new WorkbinCache(location.createSettings(), files), problem };
    }
  }

  /** The last saved workbin state, if any and if it can be read. */
  load(): LoadedSnapshot {
    return this.files.load();
  }

  /** As `load`, read off the event loop and parsed in slices (see SnapshotFiles). */
  loadInSlices(): Promise<LoadedSnapshot> {
    return this.files.loadInSlices();
  }

  /** A large snapshot's head and newest items, read alone (see SnapshotFiles), or null. */
  peek(): CachePreview | null {
    return this.files.peek();
  }

  /** Writes now, in one go (quitting, tests): blocks for as long as the state is large. */
  save(snapshot: CachedSnapshot): void {
    this.files.save(snapshot);
  }

  /**
   * Saves soon and in the background: `change` (what made this snapshot differ from the one
   * before) as a journal line, or the whole snapshot, in slices, when the change is unknown or
   * the journal has grown (see SnapshotFiles).
   */
  saveSoon(snapshot: CachedSnapshot, change?: SnapshotChange): void {
    this.files.saveSoon(snapshot, change);
  }

  /** A background snapshot write finished (tests, and whoever must know the file is written). */
  get idle(): Promise<void> {
    return this.files.idle;
  }

  /**
   * Writes what is not written yet, synchronously: the app is quitting. Never throws (the
   * quit goes on): says what could not be written, for the log.
   */
  flush(): string | null {
    try {
      this.files.flush();
      return null;
    } catch (error) {
      return `Offline cache not saved at quit (${(error as Error).message}); it keeps what it last held`;
    }
  }

  forgetSnapshot(): void {
    this.files.forget();
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

export type { CachedSnapshot, CachePreview, CacheProblem, LoadedSnapshot, SnapshotChange };
