import {
  chmodSync,
  closeSync,
  existsSync,
  fdatasync,
  fdatasyncSync,
  fsyncSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { type FileHandle, open as openFile, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { UnseenChange } from '../bridge/unseen.js';
import { MAIN_SLICE_MS, runInSlices, runToEnd } from '../slices/time-slices.js';
import type { WorkbinChange } from '../workbins/state.js';
import { applyJournal, PendingChanges } from './change-journal.js';
import { CACHE_SCHEMA, type CachedSnapshot, decodeSnapshotSteps, isObject } from './codec.js';
import {
  type CachePreview,
  decodePreview,
  encodeSnapshotPieces,
  parseSnapshotBytes,
  readHeadLine,
} from './snapshot-layout.js';
import { type ItemLine, openLineSource, type WrittenLines, writtenLines } from './written-lines.js';

/** The longest the event loop is held by a background snapshot write before it yields. */
const SLICE_MS = 3;
/** A change set of more items than this is written as a new snapshot, in slices, not a line. */
const LARGEST_CHANGE_ITEMS = 2_000;
/** Changes of this many items are appended at once, not held for the timer: lines stay short. */
const LINE_ITEMS = 500;
/** A journal past this share of its snapshot's size is folded into a new snapshot. */
const JOURNAL_SHARE = 0.25;
/** Appended lines reach the disk (fdatasync) at most this often. */
const SYNC_EVERY_MS = 1_000;
/** A snapshot written in one go is joined and written this many characters at a time. */
const WRITE_BATCH_CHARS = 1 << 20;

export interface SnapshotTuning {
  /** Changes are appended at most this often (ms): a crash loses what came since. */
  readonly appendDelayMs: number;
  /** Nor is a journal folded into a new snapshot before it has this many bytes. */
  readonly journalFloorBytes: number;
  /** Snapshot writes may take this share of one core at most: they are spaced to fit. */
  readonly writeCpuShare: number;
}

export const DEFAULT_TUNING: SnapshotTuning = {
  appendDelayMs: 100,
  journalFloorBytes: 1 << 20,
  writeCpuShare: 0.05,
};

/** What changed since the last save: a journal line, or, when unknown, a whole snapshot. */
export type SnapshotChange =
  | { readonly changes: readonly WorkbinChange[] }
  | { readonly unseen: UnseenChange }
  | 'unknown';

/** A snapshot file's bytes, or why it could not be read. */
type SnapshotFile = { readonly bytes: Buffer } | { readonly error: NodeJS.ErrnoException };

export interface LoadedSnapshot {
  readonly snapshot: CachedSnapshot | null;
  readonly problem: CacheProblem | null;
}

export type CacheProblem =
  | { readonly kind: 'corrupt'; readonly message: string; readonly movedTo: string | null }
  | { readonly kind: 'unusable'; readonly message: string };

/**
 * The workbin snapshot on disk: a snapshot file and an append-only journal of the changes
 * since it. Each change costs a short line proportional to it; the snapshot is rewritten in
 * the background, in slices, only when the journal has grown to a quarter of it.
 *
 * Journals are numbered. Snapshot `n` names journal `n` in its header; a load applies
 * journals n, n+1, … for as long as they exist, so that every crash point reads back whole:
 * - a new snapshot `n+1` is started only after journal `n` holds everything up to it, and
 *   journal `n+1` is created before it: a crash while it is written reads snapshot n +
 *   journal n + journal n+1; after its rename, snapshot n+1 + journal n+1;
 * - when the journal cannot continue (another account, a change too big for one line, no
 *   journal known) the next snapshot skips a number: until it lands, the old snapshot and its
 *   journal read back alone, consistent and older, never mixed with the new one's changes;
 * - a torn last line (a crash mid-append) is dropped: the last batch is lost, not the file.
 */
export class SnapshotFiles {
  private readonly dir: string;
  private readonly stem: string;
  /** The next append. */
  private timer: NodeJS.Timeout | undefined;
  /** A snapshot waits for the one being written, or for its CPU-share slot. */
  private snapshotWaiting = false;
  private snapshotTimer: NodeJS.Timeout | undefined;
  private latest: CachedSnapshot | undefined;
  private readonly pending = new PendingChanges();
  /** The journal being appended to (null: none yet, or it cannot continue the last snapshot). */
  private journal: { number: number; fd: number; bytes: number } | null = null;
  /** The highest journal number in use or on disk: the next one is above it. */
  private lastNumber = 0;
  private snapshotBytes = 0;
  private lastSync = 0;
  /** The snapshot write under way, and what it writes. */
  private writing: { done: Promise<void>; snapshot: CachedSnapshot } | undefined;
  /**
   * The item lines of the snapshot file this process wrote last: the next one copies them.
   * They keep that file's items alive until then, those changed since among them: the next
   * snapshot comes once the journal holds a quarter as much, or after a large change.
   */
  private written: WrittenLines | null = null;
  /** Bumped by every synchronous write or removal: an older background write then discards. */
  private generation = 0;
  /** When the next snapshot write may start (performance.now()): writes fit the CPU share. */
  private nextWriteAt = 0;

  constructor(
    private readonly path: string,
    private readonly now: () => number,
    private readonly tuning: SnapshotTuning = DEFAULT_TUNING,
  ) {
    this.dir = dirname(path);
    this.stem = basename(path).replace(/\.json$/, '');
    this.lastNumber = Math.max(0, ...this.journalNumbers());
  }

  /** The last saved workbin state, if any and if it can be read. Never throws. */
  load(): LoadedSnapshot {
    try {
      this.beginRead();
      let file: SnapshotFile;
      try {
        file = { bytes: readFileSync(this.path) };
      } catch (error) {
        file = { error: error as NodeJS.ErrnoException };
      }
      return runToEnd(this.readSteps(file));
    } catch (error) {
      return this.unusable(error);
    }
  }

  /**
   * As `load`, with the file read off the event loop and parsed a line at a time, the loop
   * turning every few milliseconds: a start serves its page meanwhile. Never rejects.
   */
  async loadInSlices(): Promise<LoadedSnapshot> {
    try {
      this.beginRead();
      let file: SnapshotFile;
      try {
        file = { bytes: await readFile(this.path) };
      } catch (error) {
        file = { error: error as NodeJS.ErrnoException };
      }
      return await runInSlices(this.readSteps(file), MAIN_SLICE_MS);
    } catch (error) {
      return this.unusable(error);
    }
  }

  /**
   * The head of the snapshot written last, with its newest items: what a start shows while
   * `loadInSlices` reads the rest. Null without one (no file, a small snapshot, an older
   * layout, an unreadable head). The journal is not applied: the preview is the snapshot as
   * last written whole, and the changes since come with the rest. Never throws.
   */
  peek(): CachePreview | null {
    let fd: number | undefined;
    try {
      fd = openSync(this.path, 'r');
      const head = readHeadLine(fd);
      return head === null ? null : decodePreview(head);
    } catch {
      return null;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  /** A file we cannot stat, remove or open: said, and the next save starts over. */
  private unusable(error: unknown): LoadedSnapshot {
    this.closeJournal();
    return {
      snapshot: null,
      problem: { kind: 'unusable', message: `cache files: ${(error as Error).message}` },
    };
  }

  private beginRead(): void {
    this.closeJournal();
    this.removeStaleTemporaries();
  }

  private *readSteps(file: SnapshotFile): Generator<void, LoadedSnapshot, undefined> {
    let raw: unknown;
    try {
      if ('error' in file) throw file.error;
      raw = yield* parseSnapshotBytes(file.bytes);
    } catch (error) {
      this.removeJournals(() => true);
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        return { snapshot: null, problem: null };
      return {
        snapshot: null,
        problem: moveAside(this.path, (error as Error).message, this.now()),
      };
    }
    this.snapshotBytes = statSync(this.path).size;
    const first = isObject(raw) && Number.isSafeInteger(raw.journal) ? (raw.journal as number) : 0;
    this.removeJournals((n) => n < first);
    const lines: string[] = [];
    let unreadable: string | null = null;
    let number = first;
    for (; existsSync(this.journalPath(number)); number++) {
      try {
        lines.push(...completeLines(readFileSync(this.journalPath(number), 'utf8')));
      } catch (error) {
        // The journals after it continue this one: without it they cannot be applied.
        unreadable = `journal ${number} is unreadable (${(error as Error).message}); the changes in it and after it are lost`;
        break;
      }
    }
    const journaled = yield* applyJournal(raw, lines);
    const decoded = yield* decodeSnapshotSteps(journaled.raw);
    if (!decoded.ok) {
      this.forget();
      return { snapshot: null, problem: { kind: 'unusable', message: decoded.error } };
    }
    // The journal goes on where it ends, unless a line in it could not be read, or the snapshot
    // is of an older layout: lines of this version must not pile up behind it.
    const current = isObject(raw) && raw.schema === CACHE_SCHEMA;
    const error = unreadable ?? journaled.error;
    if (!error && current) this.openJournal(Math.max(first, number - 1), 'a');
    this.latest = decoded.value.snapshot;
    return {
      snapshot: decoded.value.snapshot,
      problem: error ? { kind: 'unusable', message: error } : null,
    };
  }

  /**
   * Saves `snapshot` soon: `change` (what made it differ from the last one) is appended to the
   * journal within `appendDelayMs`; an unknown change, a new account or a journal grown large
   * writes a new snapshot in the background.
   */
  saveSoon(snapshot: CachedSnapshot, change: SnapshotChange = 'unknown'): void {
    const previous = this.latest;
    this.latest = snapshot;
    if (change === 'unknown' || !previous || !sameAccount(previous, snapshot)) this.breakJournal();
    else if ('unseen' in change) this.pending.noteUnseen(change.unseen);
    else if (change.changes.length > LARGEST_CHANGE_ITEMS) this.breakJournal();
    else this.pending.note(change.changes);
    if (this.pending.size >= LINE_ITEMS) this.append();
    this.timer ??= setTimeout(() => this.writeDue(), this.tuning.appendDelayMs);
  }

  /** Writes now, in one go (quitting, tests): blocks for as long as the state is large. */
  save(snapshot: CachedSnapshot): void {
    this.generation++;
    this.cancelSnapshot();
    this.latest = snapshot;
    this.pending.clear();
    this.closeJournal();
    const number = this.lastNumber + 2;
    this.openJournal(number, 'w');
    const encoding = this.encode(snapshot, number);
    try {
      this.snapshotBytes = replaceFileSync(this.path, this.temporaryPath('now'), encoding.pieces);
    } catch (error) {
      // The journal just opened continues a snapshot that is not there: the next save is a
      // whole snapshot again, and the files on disk stay as they were.
      this.breakJournal();
      throw error;
    } finally {
      encoding.close();
    }
    encoding.placed();
    this.removeJournals((n) => n < number);
  }

  /** Everything due is written (tests, and whoever must know the files are current). */
  get idle(): Promise<void> {
    return (async () => {
      while (this.writing || this.timer || this.snapshotWaiting)
        await (this.writing?.done ?? new Promise((resolve) => setTimeout(resolve, 5)));
    })();
  }

  /** Writes what is not written yet, synchronously: the app is quitting. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const latest = this.latest;
    if (!latest) return;
    // No journal continues the file on disk, or the one that does waits on a snapshot still
    // being written: only a whole snapshot holds the latest state.
    if (!this.journal || this.writing) {
      this.save(latest);
      return;
    }
    this.append();
    fdatasyncSync(this.journal.fd);
  }

  /** Lets go of the journal's descriptor and the timers (tests; the app keeps one to the end). */
  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.cancelSnapshot();
    this.closeJournal();
  }

  /** Signed out: nothing of the account stays on disk. */
  forget(): void {
    this.close();
    this.latest = undefined;
    this.pending.clear();
    this.generation++;
    this.written = null;
    rmSync(this.path, { force: true });
    this.removeJournals(() => true);
  }

  /** A snapshot waiting its turn is not needed any more (one was written, or none may be). */
  private cancelSnapshot(): void {
    clearTimeout(this.snapshotTimer);
    this.snapshotTimer = undefined;
    this.snapshotWaiting = false;
  }

  /** The journal cannot say what changed: the next write is a whole snapshot. */
  private breakJournal(): void {
    this.pending.clear();
    this.closeJournal();
  }

  /** Appends what is pending; a whole snapshot follows when one is needed. */
  private writeDue(): void {
    this.timer = undefined;
    if (!this.latest) return;
    this.append();
    if (this.snapshotNeeded()) this.snapshotDue();
  }

  /** No journal continues the files on disk, or it has outgrown its share of the snapshot. */
  private snapshotNeeded(): boolean {
    if (!this.journal) return true;
    const share = Math.max(this.tuning.journalFloorBytes, this.snapshotBytes * JOURNAL_SHARE);
    return this.journal.bytes > share;
  }

  /**
   * Starts a snapshot now, or after the one being written, or once it fits the CPU share. The
   * wait has a timer of its own: appends go on every `appendDelayMs` meanwhile, so what a
   * crash can lose does not grow while a snapshot waits its turn.
   */
  private snapshotDue(): void {
    if (this.snapshotWaiting) return;
    const generation = this.generation;
    const later = (turn: Promise<unknown>) => {
      this.snapshotWaiting = true;
      void turn.then(() => {
        // A synchronous write or a sign-out came meanwhile: it decides what is due.
        if (generation !== this.generation) return;
        this.snapshotWaiting = false;
        if (this.latest && this.snapshotNeeded()) this.snapshotDue();
      });
    };
    if (this.writing) {
      later(this.writing.done);
      return;
    }
    const wait = this.nextWriteAt - performance.now();
    if (wait > 0) {
      later(
        new Promise((resolve) => {
          this.snapshotTimer = setTimeout(resolve, wait);
        }),
      );
      return;
    }
    const snapshot = this.latest;
    if (!snapshot) return;
    // With a journal that continues, the new snapshot takes the next number; without, it skips.
    const continues = this.journal !== null && this.journal.number === this.lastNumber;
    const number = this.lastNumber + (continues ? 1 : 2);
    // The journal holds everything up to the new snapshot before it is started: until it
    // lands, a crash reads the old snapshot and this journal. Changes noted since the last
    // append (the turn may have come from a wait, not from an append) go in now; without a
    // journal there is nothing to continue, and the new snapshot alone holds them.
    this.append();
    this.pending.clear();
    this.closeJournal();
    try {
      this.openJournal(number, 'w');
    } catch (error) {
      // Out of descriptors, a read-only folder: said, and the next change tries again. This
      // runs from a timer, where a throw would end the app.
      console.warn(`Offline cache not saved: ${(error as Error).message}`);
      return;
    }
    const done = this.writeInSlices(snapshot, number)
      .catch((error: unknown) => {
        // A full disk or a vanished folder: said, and the next change tries again.
        console.warn(`Offline cache not saved: ${(error as Error).message}`);
      })
      .finally(() => {
        this.writing = undefined;
      });
    this.writing = { done, snapshot };
  }

  /** The pending changes as one journal line, appended synchronously: it is short. */
  private append(): void {
    const latest = this.latest;
    if (!this.journal || !latest || this.pending.empty) return;
    const line = this.pending.line(latest);
    this.pending.clear();
    try {
      this.journal.bytes += writeAllSync(this.journal.fd, line);
    } catch (error) {
      // A full disk: the line may be half written, so this journal cannot go on; the next
      // write is a whole snapshot. From a timer, a throw would end the app.
      console.warn(`Offline cache not saved: ${(error as Error).message}`);
      this.breakJournal();
      return;
    }
    const now = performance.now();
    if (now - this.lastSync < SYNC_EVERY_MS) return;
    this.lastSync = now;
    fdatasync(this.journal.fd, () => {});
  }

  /**
   * Encodes in slices of at most SLICE_MS, each written as it is made (the event loop turns
   * between them), to a temporary file (0600) that is synced and renamed over the snapshot.
   */
  private async writeInSlices(snapshot: CachedSnapshot, number: number): Promise<void> {
    const generation = this.generation;
    const temporary = this.temporaryPath('slices');
    const cpu = process.cpuUsage();
    const file = await openFile(temporary, 'w', 0o600);
    let written = false;
    let bytes = 0;
    const encoding = this.encode(snapshot, number);
    try {
      let parts: string[] = [];
      let slice = performance.now();
      for (const piece of encoding.pieces) {
        parts.push(piece);
        if (performance.now() - slice < SLICE_MS) continue;
        bytes += await writeAll(file, parts.join(''));
        parts = [];
        slice = performance.now();
      }
      bytes += await writeAll(file, parts.join(''));
      await file.sync();
      written = true;
    } finally {
      encoding.close();
      await file.close();
      if (!written) rmSync(temporary, { force: true });
    }
    // The process's CPU over the write: an overestimate when other work ran meanwhile, which
    // only spaces writes further apart.
    const used = process.cpuUsage(cpu);
    this.nextWriteAt =
      performance.now() + (used.user + used.system) / 1000 / this.tuning.writeCpuShare;
    // A newer synchronous write, or a sign-out, came first: this one is out of date.
    if (generation !== this.generation) {
      rmSync(temporary, { force: true });
      return;
    }
    renameSync(temporary, this.path);
    this.snapshotBytes = bytes;
    encoding.placed();
    this.removeJournals((n) => n < number);
  }

  /**
   * A new snapshot's pieces, copying the unchanged lines of the file this process wrote last:
   * `close` lets that file go, and `placed`, once the new file is in its place, keeps the new
   * lines for the next snapshot to copy.
   */
  private encode(
    snapshot: CachedSnapshot,
    number: number,
  ): { pieces: Generator<string>; close(): void; placed(): void } {
    const copyFrom = openLineSource(this.path, this.written);
    const lines: ItemLine[] = [];
    return {
      pieces: encodeSnapshotPieces(snapshot, number, { copyFrom, written: lines }),
      close: () => copyFrom?.close(),
      placed: () => {
        this.written = writtenLines(this.path, lines);
      },
    };
  }

  private journalPath(number: number): string {
    return join(this.dir, `${this.stem}.${number}.journal`);
  }

  private journalNumbers(): number[] {
    const pattern = new RegExp(`^${escapeRegExp(this.stem)}\\.(\\d+)\\.journal$`);
    const numbers: number[] = [];
    for (const name of readdirSync(this.dir)) {
      const match = pattern.exec(name);
      if (match) numbers.push(Number(match[1]));
    }
    return numbers;
  }

  private removeJournals(which: (number: number) => boolean): void {
    for (const number of this.journalNumbers())
      if (which(number) && number !== this.journal?.number)
        rmSync(this.journalPath(number), { force: true, recursive: true });
  }

  /**
   * Where a snapshot is written before it is renamed over the file. A write in one go does not
   * wait for one in slices to end, so each has its own: the one in slices still holds its
   * descriptor, and writes on after the one in one go has landed.
   */
  private temporaryPath(writer: 'slices' | 'now'): string {
    return `${this.path}.${process.pid}${writer === 'now' ? '.now' : ''}.tmp`;
  }

  /** Half-written snapshots of processes that crashed (see `temporaryPath`). */
  private removeStaleTemporaries(): void {
    const pattern = new RegExp(`^${escapeRegExp(basename(this.path))}\\.(\\d+)(?:\\.now)?\\.tmp$`);
    for (const name of readdirSync(this.dir)) {
      const pid = pattern.exec(name)?.[1];
      if (pid && Number(pid) !== process.pid) rmSync(join(this.dir, name), { force: true });
    }
  }

  /** `a`: go on with the lines a load applied; `w`: a new journal, empty. */
  private openJournal(number: number, flags: 'a' | 'w'): void {
    const fd = openSync(this.journalPath(number), flags, 0o600);
    this.journal = { number, fd, bytes: statSync(this.journalPath(number)).size };
    this.lastNumber = Math.max(this.lastNumber, number);
  }

  private closeJournal(): void {
    const journal = this.journal;
    this.journal = null;
    if (!journal) return;
    try {
      closeSync(journal.fd);
    } catch {
      // Already unusable: nothing more to lose by letting it go.
    }
  }
}

/**
 * All of `text`, however many writes it takes: a write may take only part of it (a full disk,
 * a file size limit), and the next one then throws why. Taking a short write for a whole one
 * renamed torn snapshots into place (this module's background writer, and `atomically`).
 * The text goes as a string, made a Buffer only for a rest: a Buffer per write is external
 * memory to V8, and with 100,000 items held that brought on full collections of 60-100 ms in
 * the middle of background writes. Returns the bytes written.
 */
function writeAllSync(fd: number, text: string): number {
  const length = Buffer.byteLength(text);
  const first = writeSync(fd, text);
  if (first < length) {
    const rest = Buffer.from(text).subarray(first);
    for (let at = 0; at < rest.length; ) at += writeSync(fd, rest, at);
  }
  return length;
}

/** `writeAllSync` for a file open for writing off the event loop. */
async function writeAll(file: FileHandle, text: string): Promise<number> {
  const length = Buffer.byteLength(text);
  const first = (await file.write(text)).bytesWritten;
  if (first < length) {
    const rest = Buffer.from(text).subarray(first);
    for (let at = 0; at < rest.length; ) at += (await file.write(rest, at)).bytesWritten;
  }
  return length;
}

/**
 * Writes `pieces` to `temporary` (0600), syncs it and renames it over `path`: a write that
 * fails part way (a full disk, a file size limit) throws, and `path` stays as it was.
 * Written a megabyte at a time, not joined whole: 62 MB at 100,000 items.
 */
function replaceFileSync(path: string, temporary: string, pieces: Iterable<string>): number {
  const fd = openSync(temporary, 'w', 0o600);
  let bytes = 0;
  try {
    let batch: string[] = [];
    let chars = 0;
    const writeBatch = () => {
      bytes += writeAllSync(fd, batch.join(''));
      batch = [];
      chars = 0;
    };
    for (const piece of pieces) {
      batch.push(piece);
      chars += piece.length;
      if (chars >= WRITE_BATCH_CHARS) writeBatch();
    }
    writeBatch();
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(temporary, path);
  return bytes;
}

/** Lines that end in a newline: a line without one was torn by a crash mid-append. */
function completeLines(text: string): string[] {
  const lines = text.split('\n');
  lines.pop();
  return lines.filter((line) => line.length > 0);
}

function sameAccount(a: CachedSnapshot, b: CachedSnapshot): boolean {
  return a.session.server === b.session.server && a.session.userId === b.session.userId;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function moveAside(path: string, message: string, now: number): CacheProblem {
  const movedTo = existsSync(path) ? `${path}.corrupt-${now}` : null;
  if (movedTo) {
    renameSync(path, movedTo);
    chmodSync(movedTo, 0o600);
  }
  return { kind: 'corrupt', message, movedTo };
}
