import { readSync } from 'node:fs';
import { stringifyAscii } from '../contract/ascii-json.js';
import type { WorkbinItem } from '../contract/domain.js';
import { newestFirst, newestOf } from '../contract/item-order.js';
import { splitItemKey, workbinKey } from '../contract/keys.js';
import { PREVIEW_ITEMS, SNAPSHOT_PART_ITEMS } from '../contract/snapshot-parts.js';
import { DEFAULT_LIMITS, itemCount, stateItems } from '../workbins/state.js';
import {
  CACHE_SCHEMA,
  type CachedSnapshot,
  decodeSnapshot,
  isObject,
  type Json,
  snapshotHead,
  viewHeader,
} from './codec.js';
import type { ItemLine, LineSource } from './written-lines.js';

/**
 * The snapshot file's layout since schema 4: lines of JSON, so that a start can show the top
 * of the list without parsing the rest, then parse the rest a line at a time with the event
 * loop free between lines. Older layouts were one JSON document, which a start had to read,
 * parse and check whole (0.45-0.55 s at 100,000 items) before it could show anything.
 *
 * - The head: what `snapshotHead` writes, the workbins with how many items each holds and,
 *   for a snapshot of more than `PREVIEW_ITEMS`, its newest `SNAPSHOT_PART_ITEMS` items,
 *   newest first (the list's top as a page opens; they are in their lines as well).
 * - Then each workbin's items, at most `ITEMS_PER_LINE` a line: `{"w":<its place in the
 *   head>,"items":[...]}`.
 *
 * Read back, it becomes the one document of the older layouts, each workbin with its items:
 * the journal and `decodeSnapshot` work on that, whatever the layout.
 */

/** Items a line: about 150 KB, parsed in 0.3-0.5 ms. */
const ITEMS_PER_LINE = 250;
/** A head longer than this is not read for a preview (a huge unseen list): the whole is. */
const MAX_HEAD_BYTES = 32 << 20;

/** A workbin as the head lists it: its header and how many items its lines hold. */
interface HeadEntry extends Json {
  readonly count: number;
}

const isHeadEntry = (v: unknown): v is HeadEntry =>
  isObject(v) && Number.isSafeInteger(v.count) && (v.count as number) >= 0;

/** How a snapshot is encoded, besides the snapshot itself. */
export interface EncodeOptions {
  readonly itemsPerLine?: number;
  /** Lines of the file written before, copied where their items are all unchanged. */
  readonly copyFrom?: LineSource | null;
  /** Filled with the item lines as they are made, with their places in the new file. */
  readonly written?: ItemLine[];
}

/**
 * The file's text in pieces, each line or part of one: a caller can stop between pieces, so
 * that writing a 100,000-item cache never holds the event loop for long. The state is
 * persistent, so the pieces describe one consistent snapshot however long the caller takes.
 * While the newest items are found, the pieces are empty: the caller may stop there too.
 *
 * A workbin's lines from the file written before come first, copied, when every item in them
 * is still the state's own (see written-lines.ts); its other items follow in new lines.
 */
export function* encodeSnapshotPieces(
  snapshot: CachedSnapshot,
  journal?: number,
  { itemsPerLine = ITEMS_PER_LINE, copyFrom, written }: EncodeOptions = {},
): Generator<string> {
  const views = [...snapshot.state.workbins.values()];
  const newest =
    itemCount(snapshot.state) > PREVIEW_ITEMS
      ? yield* newestOf(stateItems(snapshot.state), SNAPSHOT_PART_ITEMS, itemsPerLine, '')
      : [];
  const head = {
    ...snapshotHead(snapshot, journal),
    workbins: views.map((view) => ({ ...viewHeader(view), count: view.items.size })),
    ...(newest.length > 0 && { newest }),
  };
  const headLine = `${stringifyAscii(head)}\n`;
  // Every piece is ASCII: its length is its size in bytes.
  let offset = headLine.length;
  yield headLine;
  const line = (w: number, workbin: string, items: readonly WorkbinItem[], text: string) => {
    const prefix = `{"w":${w},`;
    const start = offset + prefix.length;
    offset = start + text.length;
    written?.push({ workbin, items, start, end: offset });
    return prefix + text;
  };
  for (const [w, view] of views.entries()) {
    const copied = new Set<WorkbinItem>();
    if (copyFrom)
      for (const old of copyFrom.linesOf(view.key)) {
        if (!old.items.every((item) => view.items.get(item.id) === item)) continue;
        for (const item of old.items) copied.add(item);
        yield line(w, view.key, old.items, copyFrom.text(old));
      }
    let items: WorkbinItem[] = [];
    for (const item of view.items.values()) {
      if (copied.has(item)) continue;
      items.push(item);
      if (items.length < itemsPerLine) continue;
      yield line(w, view.key, items, `"items":${stringifyAscii(items)}}\n`);
      items = [];
    }
    if (items.length > 0) yield line(w, view.key, items, `"items":${stringifyAscii(items)}}\n`);
  }
}

/** Every layout writes its schema first: a newer one is told apart before it is parsed. */
const SCHEMA_FIRST = /^\s*\{\s*"schema"\s*:\s*(\d+)/;

/** The schema a file says it has in its first bytes (NaN when it says none). */
const schemaOf = (bytes: Buffer) => Number(SCHEMA_FIRST.exec(bytes.toString('latin1', 0, 64))?.[1]);

const NEWLINE = 0x0a;

/**
 * A snapshot file as one document, a line parsed a step; unvalidated (the journal is applied
 * to it, then `decodeSnapshot` checks it as it checks any file). Throws a SyntaxError for a
 * file that is not what this version writes: it is moved aside as corrupt. Lines are found
 * and decoded in the file's bytes: a 62 MB file read as one string was a rope of the read's
 * chunks, and the first look at it flattened it, 30 ms and a copy of it.
 */
export function* parseSnapshotBytes(bytes: Buffer): Generator<void, unknown, undefined> {
  const schema = schemaOf(bytes);
  // Its layout is unknown here: `decodeSnapshot` says it is newer.
  if (schema > CACHE_SCHEMA) return { schema };
  // The older layouts (and whatever says no schema first): one document.
  if (schema !== CACHE_SCHEMA) return JSON.parse(bytes.toString('utf8'));
  // A newline byte is never part of a longer UTF-8 character.
  const headEnd = bytes.indexOf(NEWLINE);
  if (headEnd < 0) throw new SyntaxError('the head does not end');
  const head: unknown = JSON.parse(bytes.toString('utf8', 0, headEnd));
  const entries = isObject(head) ? head.workbins : undefined;
  if (!isObject(head) || !Array.isArray(entries) || !entries.every(isHeadEntry))
    throw new SyntaxError('the head does not list the workbins');
  const items: unknown[][] = entries.map(() => []);
  let start = headEnd + 1;
  for (let line = 2; start < bytes.length; line++) {
    const end = bytes.indexOf(NEWLINE, start);
    if (end < 0) throw new SyntaxError(`line ${line} does not end`);
    const record: unknown = JSON.parse(bytes.toString('utf8', start, end));
    const into = isObject(record) && Number.isSafeInteger(record.w) && items[record.w as number];
    if (!into || !isObject(record) || !Array.isArray(record.items))
      throw new SyntaxError(`line ${line} is not a line of items`);
    for (const item of record.items) into.push(item);
    start = end + 1;
    yield;
  }
  const { newest: _newest, ...rest } = head;
  return {
    ...rest,
    workbins: entries.map(({ count, ...header }, w) => {
      const held = items[w] as unknown[];
      if (held.length !== count)
        throw new SyntaxError(`a workbin holds ${held.length} items, its head says ${count}`);
      return { ...header, items: held };
    }),
  };
}

/**
 * What a start shows while the rest of a large cache is read: the snapshot as its head has
 * it, with the newest items only, and how many items each workbin holds.
 */
export interface CachePreview {
  readonly snapshot: CachedSnapshot;
  /** Per workbin key: how many items the whole file holds. */
  readonly counts: ReadonlyMap<string, number>;
  /** The snapshot's items, newest first. */
  readonly newest: readonly WorkbinItem[];
}

/**
 * A head line as a preview, checked as the whole file is: null when it is not one (an
 * older layout, a small snapshot written without its newest items, anything unreadable).
 */
export function decodePreview(headLine: string): CachePreview | null {
  let head: unknown;
  try {
    head = JSON.parse(headLine);
  } catch {
    return null;
  }
  if (!isObject(head) || head.schema !== CACHE_SCHEMA || !Array.isArray(head.newest)) return null;
  const entries = head.workbins;
  if (!Array.isArray(entries) || !entries.every(isHeadEntry)) return null;
  const newest = head.newest.filter(isObject);
  const decoded = decodeSnapshot({
    ...head,
    workbins: entries.map((entry) => ({
      ...entry,
      items: newest.filter(
        (item) => item.ownerUserId === entry.ownerUserId && item.workbinId === entry.workbinId,
      ),
    })),
  });
  if (!decoded.ok) return null;
  const { snapshot } = decoded.value;
  const counts = new Map<string, number>();
  for (const entry of entries) {
    const key = workbinKey(String(entry.ownerUserId), String(entry.workbinId));
    // A workbin holds no more than the core would let it, whatever its head says.
    if (snapshot.state.workbins.has(key))
      counts.set(key, Math.min(entry.count, DEFAULT_LIMITS.itemsPerWorkbin));
  }
  const items: WorkbinItem[] = [];
  for (const view of snapshot.state.workbins.values()) items.push(...view.items.values());
  // What is new is counted over the whole file, not the newest alone: the tray says it at once.
  const unseen = (Array.isArray(head.unseen) ? head.unseen : []).filter(
    (key): key is string =>
      typeof key === 'string' && counts.has(splitItemKey(key)?.workbinKey ?? ''),
  );
  return { snapshot: { ...snapshot, unseen }, counts, newest: items.sort(newestFirst) };
}

/**
 * The head line of the file open at `fd`: null when the file is of another layout (an older
 * one is a single line, the whole file: it is not read twice) or the head does not end within
 * MAX_HEAD_BYTES.
 */
export function readHeadLine(fd: number): string | null {
  const chunks: Buffer[] = [];
  let position = 0;
  while (position < MAX_HEAD_BYTES) {
    const chunk = Buffer.allocUnsafe(1 << 16);
    const bytes = readSync(fd, chunk, 0, chunk.length, position);
    if (bytes === 0) return null;
    if (position === 0 && schemaOf(chunk) !== CACHE_SCHEMA) return null;
    const end = chunk.subarray(0, bytes).indexOf(NEWLINE);
    if (end >= 0) {
      chunks.push(chunk.subarray(0, end));
      return Buffer.concat(chunks).toString('utf8');
    }
    chunks.push(chunk.subarray(0, bytes));
    position += bytes;
  }
  return null;
}
