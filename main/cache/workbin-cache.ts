import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { open as openFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeFileSync } from 'atomically';
import { readSettings, type Settings } from '../contract/settings.js';
import {
  type CachedSnapshot,
  decodeSnapshot,
  encodeSnapshot,
  encodeSnapshotPieces,
} from './codec.js';

/** The longest the event loop is held by a background save before it yields. */
const SLICE_MS = 8;
/** A background save may take this share of one core at most: saves are spaced to fit. */
const SAVE_CPU_SHARE = 0.05;

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
  /** The background save under way, and what it saves. */
  private writing: { done: Promise<void>; snapshot: CachedSnapshot } | undefined;
  /** Bumped by every synchronous write or removal: an older background save then discards. */
  private generation = 0;
  /** CPU time the last background save took (ms), encoding, writing and collecting. */
  private lastCost = 0;

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

  /** Writes now, in one go (quitting, tests): blocks for as long as the state is large. */
  save(snapshot: CachedSnapshot): void {
    this.generation++;
    writeFileSync(this.snapshotPath, JSON.stringify(encodeSnapshot(snapshot)), { mode: 0o600 });
  }

  /**
   * Saves in the background, at most every `delay` ms during bursts and spaced so that saving
   * takes at most 5 % of a core (a 100,000-item state is written every few seconds, not every
   * second); the latest snapshot wins.
   */
  saveSoon(snapshot: CachedSnapshot, delay = 1_000): void {
    this.pending = snapshot;
    this.timer ??= setTimeout(
      () => this.startBackgroundSave(delay),
      Math.max(delay, this.lastCost / SAVE_CPU_SHARE),
    );
  }

  /** A background save finished (tests, and whoever must know the file is written). */
  get idle(): Promise<void> {
    return this.writing?.done ?? Promise.resolve();
  }

  /** Writes what is not written yet, synchronously: the app is quitting. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const latest = this.pending ?? this.writing?.snapshot;
    this.pending = undefined;
    if (latest) this.save(latest);
  }

  forgetSnapshot(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = undefined;
    this.generation++;
    rmSync(this.snapshotPath, { force: true });
  }

  private startBackgroundSave(delay: number): void {
    this.timer = undefined;
    if (this.writing) {
      // One at a time: the next starts when this one is done, with the latest snapshot.
      void this.writing.done.then(() => {
        if (this.pending) this.saveSoon(this.pending, delay);
      });
      return;
    }
    const snapshot = this.pending;
    this.pending = undefined;
    if (!snapshot) return;
    const done = this.writeInSlices(snapshot)
      .catch((error: unknown) => {
        // A full disk or a vanished folder: said, and the next change tries again.
        console.warn(`Offline cache not saved: ${(error as Error).message}`);
      })
      .finally(() => {
        this.writing = undefined;
      });
    this.writing = { done, snapshot };
  }

  /**
   * Encodes in slices of at most SLICE_MS, each written as it is made (the event loop turns
   * between them), to a temporary file (0600) that is synced and renamed over the cache: a
   * crash leaves the old file or the new one, never half of one.
   */
  private async writeInSlices(snapshot: CachedSnapshot): Promise<void> {
    const generation = this.generation;
    const temporary = `${this.snapshotPath}.${process.pid}.tmp`;
    const cpu = process.cpuUsage();
    const file = await openFile(temporary, 'w', 0o600);
    let written = false;
    try {
      let parts: string[] = [];
      let slice = performance.now();
      for (const piece of encodeSnapshotPieces(snapshot)) {
        parts.push(piece);
        if (performance.now() - slice < SLICE_MS) continue;
        const chunk = parts.join('');
        parts = [];
        await file.write(chunk);
        slice = performance.now();
      }
      await file.write(parts.join(''));
      await file.sync();
      written = true;
    } finally {
      await file.close();
      if (!written) rmSync(temporary, { force: true });
    }
    // The process's CPU over the save: an overestimate when other work ran meanwhile, which
    // only spaces saves further apart.
    const used = process.cpuUsage(cpu);
    this.lastCost = (used.user + used.system) / 1000;
    // A newer synchronous write, or a sign-out, came first: this one is out of date.
    if (generation !== this.generation) rmSync(temporary, { force: true });
    else renameSync(temporary, this.snapshotPath);
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
