import type { UnseenChange } from '../bridge/unseen.js';
import { stringifyAscii } from '../contract/ascii-json.js';
import { workbinKey } from '../contract/keys.js';
import type { WorkbinChange } from '../workbins/state.js';
import {
  type CachedSnapshot,
  isObject,
  isWorkbinEntry,
  type Json,
  READ_STEP_ITEMS,
  viewHeader,
  type WorkbinEntry,
} from './codec.js';

/**
 * The changes since the cache was last written, as keys only: a journal line is made from the
 * latest state when it is written, so it holds each item's last value once however often it
 * changed, and cannot disagree with the state.
 */
export class PendingChanges {
  /** Per workbin key: the item ids changed, or every item (the workbin was removed). */
  private items = new Map<string, Set<string> | 'all'>();
  private readonly unseenAdded = new Set<string>();
  private readonly unseenRemoved = new Set<string>();
  private itemCount = 0;

  /** Item ids noted: a journal line grows with them (a load of 100,000 is not one line). */
  get size(): number {
    return this.itemCount;
  }

  get empty(): boolean {
    return this.items.size === 0 && this.unseenAdded.size === 0 && this.unseenRemoved.size === 0;
  }

  note(changes: readonly WorkbinChange[]): void {
    for (const change of changes) {
      switch (change.type) {
        case 'item-added':
        case 'item-updated':
        case 'item-removed': {
          const ids = this.items.get(change.key) ?? new Set<string>();
          if (ids === 'all') break;
          this.items.set(change.key, ids);
          if (!ids.has(change.item.id)) this.itemCount++;
          ids.add(change.item.id);
          break;
        }
        case 'workbin-updated':
          if (!this.items.has(change.key)) this.items.set(change.key, new Set());
          break;
        case 'workbin-removed':
          // Gone, or gone and back: either way, what it held before does not count.
          this.items.set(change.key, 'all');
          break;
        case 'subscription-failed':
          // Live state: not cached.
          break;
      }
    }
  }

  noteUnseen(change: UnseenChange): void {
    for (const key of change.added) {
      this.unseenRemoved.delete(key);
      this.unseenAdded.add(key);
    }
    for (const key of change.removed) {
      this.unseenAdded.delete(key);
      this.unseenRemoved.add(key);
    }
  }

  clear(): void {
    this.items = new Map();
    this.unseenAdded.clear();
    this.unseenRemoved.clear();
    this.itemCount = 0;
  }

  /** One journal line (with its newline): what `snapshot` holds for every key noted. */
  line(snapshot: CachedSnapshot): string {
    const workbins: Json[] = [];
    const removedWorkbins: string[] = [];
    for (const [key, ids] of this.items) {
      const view = snapshot.state.workbins.get(key);
      if (!view) {
        removedWorkbins.push(key);
        continue;
      }
      if (ids === 'all') {
        workbins.push({ ...viewHeader(view), replace: true, items: [...view.items.values()] });
        continue;
      }
      const items = [];
      const removed = [];
      for (const id of ids) {
        const item = view.items.get(id);
        if (item) items.push(item);
        else removed.push(id);
      }
      workbins.push({ ...viewHeader(view), items, removed });
    }
    return `${stringifyAscii({
      savedAt: snapshot.savedAt,
      workbins,
      removedWorkbins,
      unseenAdded: [...this.unseenAdded],
      unseenRemoved: [...this.unseenRemoved],
    })}\n`;
  }
}

/**
 * A snapshot file's JSON with journal lines applied, still unvalidated: `decodeSnapshot`
 * checks the result as it checks any file. Stops at the first line that is not a journal
 * line (after a crash, the last one may be torn); `error` then says which. As steps, a
 * yield every `READ_STEP_ITEMS` items (see time-slices.ts).
 */
export function* applyJournal(
  raw: unknown,
  lines: readonly string[],
): Generator<void, { raw: unknown; applied: number; error: string | null }, undefined> {
  if (!isObject(raw) || !Array.isArray(raw.workbins) || lines.length === 0)
    return { raw, applied: 0, error: null };
  const workbins = new Map<string, { header: Json; items: Map<string, unknown> }>();
  for (const entry of raw.workbins) {
    if (!isWorkbinEntry(entry)) continue;
    workbins.set(workbinKey(entry.ownerUserId, entry.workbinId), {
      header: entry,
      items: yield* byId(entry.items),
    });
  }
  const unseen = new Set(Array.isArray(raw.unseen) ? raw.unseen : []);
  let savedAt = raw.savedAt;
  let applied = 0;
  let error: string | null = null;
  for (const text of lines) {
    const record = parseLine(text);
    if (!record) {
      error = `journal line ${applied + 1} is unreadable; the changes from it on are lost`;
      break;
    }
    for (const key of record.removedWorkbins) workbins.delete(key);
    for (const entry of record.workbins) {
      const key = workbinKey(entry.ownerUserId, entry.workbinId);
      const held = workbins.get(key);
      const items = entry.replace || !held ? new Map<string, unknown>() : held.items;
      for (const [id, item] of yield* byId(entry.items)) items.set(id, item);
      for (const id of entry.removed) items.delete(id);
      workbins.set(key, { header: entry, items });
    }
    for (const key of record.unseenRemoved) unseen.delete(key);
    for (const key of record.unseenAdded) unseen.add(key);
    savedAt = record.savedAt;
    applied++;
    yield;
  }
  const entries: Json[] = [];
  for (const { header, items } of workbins.values()) {
    const list: unknown[] = [];
    for (const item of items.values()) if (list.push(item) % READ_STEP_ITEMS === 0) yield;
    entries.push({ ...viewHeaderOf(header), items: list });
  }
  return { raw: { ...raw, savedAt, unseen: [...unseen], workbins: entries }, applied, error };
}

interface JournalRecord {
  readonly savedAt: number;
  readonly workbins: readonly (WorkbinEntry & { readonly removed: readonly string[] })[];
  readonly removedWorkbins: readonly string[];
  readonly unseenAdded: readonly string[];
  readonly unseenRemoved: readonly string[];
}

const strings = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((s) => typeof s === 'string');

/** A line as written by `PendingChanges.line`, or null: the shape is checked, the items later. */
function parseLine(text: string): JournalRecord | null {
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObject(record) || typeof record.savedAt !== 'number' || !Array.isArray(record.workbins))
    return null;
  const { removedWorkbins, unseenAdded, unseenRemoved } = record;
  if (!strings(removedWorkbins) || !strings(unseenAdded) || !strings(unseenRemoved)) return null;
  for (const entry of record.workbins) {
    if (!isWorkbinEntry(entry)) return null;
    entry.removed ??= [];
    if (!strings(entry.removed)) return null;
  }
  return record as unknown as JournalRecord;
}

function* byId(items: readonly unknown[]): Generator<void, Map<string, unknown>, undefined> {
  const map = new Map<string, unknown>();
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (isObject(item) && typeof item.id === 'string') map.set(item.id, item);
    if ((i + 1) % READ_STEP_ITEMS === 0) yield;
  }
  return map;
}

/** A journal entry's workbin fields, without what only the journal knows. */
function viewHeaderOf(entry: Json): Json {
  const { items: _items, removed: _removed, replace: _replace, ...header } = entry;
  return header;
}
