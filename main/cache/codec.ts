import type { WorkbinItem, WorkbinType } from '../contract/domain.js';
import { splitItemKey, workbinKey } from '../contract/keys.js';
import { isItemKind } from '../contract/kinds.js';
import { err, ok, type Result } from '../contract/result.js';
import type { AccountSession } from '../contract/session.js';
import { runToEnd } from '../slices/time-slices.js';
import { sanitiseUserData } from '../workbins/sanitise.js';
import {
  DEFAULT_LIMITS,
  EMPTY_STATE,
  itemBytes,
  reduce,
  type WorkbinState,
  type WorkbinView,
} from '../workbins/state.js';

/** The cache's current layout. Bump it, and add a migration, whenever the layout changes. */
export const CACHE_SCHEMA = 4;

export interface CachedSnapshot {
  /** Item keys that arrived live and were not seen yet: new stays new across a restart. */
  readonly unseen: readonly string[];
  readonly savedAt: number;
  readonly session: AccountSession;
  readonly state: WorkbinState;
}

export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): v is string => typeof v === 'string';

/** A workbin as the snapshot file and the journal write it: its owner, its id, its items. */
export interface WorkbinEntry extends Json {
  readonly ownerUserId: string;
  readonly workbinId: string;
  readonly items: unknown[];
}

export const isWorkbinEntry = (v: unknown): v is WorkbinEntry =>
  isObject(v) && str(v.ownerUserId) && str(v.workbinId) && Array.isArray(v.items);
const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * Older layouts, upgraded one step at a time. v1 had no `session.userId` (the user name was
 * the only identity), so "my workbins" could not be told apart from watched ones.
 */
const MIGRATIONS: Record<number, (old: Json) => Json> = {
  1: (old) => {
    const session = isObject(old.session) ? old.session : {};
    return { ...old, schema: 2, session: { ...session, userId: session.userId ?? session.user } };
  },
  // v2 knew nothing of unseen items.
  2: (old) => ({ ...old, schema: 3, unseen: [] }),
  // v4 is written in lines (snapshot-layout.ts), and read back as the same document.
  3: (old) => ({ ...old, schema: 4 }),
};

/** What the cache keeps of a workbin besides its items (the subscription is live state). */
export function viewHeader(view: WorkbinView) {
  return {
    ownerUserId: view.ownerUserId,
    workbinId: view.workbinId,
    displayName: view.displayName,
    type: view.type,
    syncedAt: view.syncedAt,
    ownerName: view.ownerName,
  };
}

/**
 * A snapshot file's fields before its workbins. `journal`: the number of the change journal
 * that continues this snapshot (see snapshot-files.ts); a file written without one is
 * continued by no journal.
 */
export function snapshotHead(snapshot: CachedSnapshot, journal: number | undefined): Json {
  return {
    schema: CACHE_SCHEMA,
    ...(journal !== undefined && { journal }),
    savedAt: snapshot.savedAt,
    unseen: snapshot.unseen,
    session: snapshot.session,
  };
}

type Decoded = Result<{ snapshot: CachedSnapshot; skipped: number }, string>;

/** Reads a cache entry back. The file is outside our control, so it is validated like input. */
export function decodeSnapshot(raw: unknown): Decoded {
  return runToEnd(decodeSnapshotSteps(raw));
}

/**
 * Items read back between yields, by the journal's application and by the check here: about
 * 1 ms. In one go, a start from a 100,000-item cache held the event loop for 110-190 ms after
 * its lines had been read in slices (30-50 ms of it keying a journal's items by id).
 */
export const READ_STEP_ITEMS = 1_000;

/** `decodeSnapshot` as steps, a yield every `READ_STEP_ITEMS` items (see time-slices.ts). */
export function* decodeSnapshotSteps(raw: unknown): Generator<void, Decoded, undefined> {
  if (!isObject(raw) || !num(raw.schema)) return err('no schema version');
  if (raw.schema > CACHE_SCHEMA) {
    return err(`written by a newer version (schema ${raw.schema})`);
  }
  let data = raw;
  for (let schema = raw.schema; schema < CACHE_SCHEMA; schema++) {
    const migrate = MIGRATIONS[schema];
    if (!migrate) return err(`no migration from schema ${schema}`);
    data = migrate(data);
  }
  const session = data.session;
  if (!isObject(session) || !str(session.server) || !str(session.user) || !str(session.userId)) {
    return err('no session');
  }
  if (!num(data.savedAt) || !Array.isArray(data.workbins)) return err('malformed');
  let skipped = 0;
  let checked = 0;
  const workbins = new Map<string, WorkbinView>();
  for (const entry of data.workbins) {
    if (!isWorkbinEntry(entry)) {
      skipped++;
      continue;
    }
    const items = new Map<string, WorkbinItem>();
    let bytes = 0;
    for (const candidate of entry.items) {
      const item = decodeItem(candidate, entry.ownerUserId, entry.workbinId);
      // The file is input like any other: it cannot make a workbin hold more than the core would.
      if (item && items.size < DEFAULT_LIMITS.itemsPerWorkbin) {
        // An id held twice counts once, as its last value.
        bytes += itemBytes(item) - itemBytes(items.get(item.id));
        items.set(item.id, item);
      } else skipped++;
      if (++checked % READ_STEP_ITEMS === 0) yield;
    }
    const key = workbinKey(entry.ownerUserId, entry.workbinId);
    workbins.set(key, {
      key,
      ownerUserId: entry.ownerUserId,
      workbinId: entry.workbinId,
      displayName: str(entry.displayName) ? entry.displayName : entry.workbinId,
      type: (str(entry.type) ? entry.type : 'Unknown') as WorkbinType,
      subscription: 'pending',
      failure: null,
      items,
      syncedAt: num(entry.syncedAt) ? entry.syncedAt : null,
      dropped: 0,
      bytes,
      ownerName: str(entry.ownerName) ? entry.ownerName : null,
    });
  }
  // Nor can it make the state hold more bytes than the core would: the oldest go.
  const bounded = reduce({ workbins }, [], DEFAULT_LIMITS).state;
  // Only keys of items the file holds: the rest would count as new forever. Looked up one
  // by one: a set of every held key cost 100,000 strings at each start from a large cache.
  const held = (key: string) => {
    const parts = splitItemKey(key);
    return (
      parts !== null && bounded.workbins.get(parts.workbinKey)?.items.has(parts.itemId) === true
    );
  };
  const unseen = Array.isArray(data.unseen)
    ? data.unseen.filter((k): k is string => str(k) && held(k))
    : [];
  return ok({
    skipped,
    snapshot: {
      unseen,
      savedAt: data.savedAt,
      session: {
        server: session.server,
        user: session.user,
        userId: session.userId,
        displayName: str(session.displayName) ? session.displayName : session.user,
        insecure: session.insecure === true,
      },
      state: workbins.size > 0 ? bounded : EMPTY_STATE,
    },
  });
}

/** The fields of a WorkbinItem: a file's item with these and no others may be kept as it is. */
const ITEM_FIELDS = 10;

/**
 * Whether `raw` (freshly parsed, ours alone) is already the item `decodeItem` would make:
 * every field there and of its type, no other field, its user data clean.
 */
function alreadyItem(raw: Json, userData: unknown, ownerUserId: string, workbinId: string) {
  let fields = 0;
  for (const _ in raw) fields++;
  return (
    fields === ITEM_FIELDS &&
    Object.getPrototypeOf(raw) === Object.prototype &&
    raw.workbinId === workbinId &&
    raw.ownerUserId === ownerUserId &&
    str(raw.summary) &&
    str(raw.from) &&
    (raw.receivedAt === null || num(raw.receivedAt)) &&
    str(raw.receivedRaw) &&
    str(raw.state) &&
    userData === raw.userData
  );
}

function decodeItem(raw: unknown, ownerUserId: string, workbinId: string): WorkbinItem | undefined {
  if (!isObject(raw) || !str(raw.id) || !isItemKind(raw.kind)) return undefined;
  const userData = sanitiseUserData(raw.userData, { trimmed: 0 });
  // Nearly every item of a file we wrote is: kept, not copied, 100,000 fewer objects at a start.
  if (alreadyItem(raw, userData, ownerUserId, workbinId)) return raw as unknown as WorkbinItem;
  return {
    id: raw.id,
    kind: raw.kind,
    workbinId,
    ownerUserId,
    summary: str(raw.summary) ? raw.summary : '',
    from: str(raw.from) ? raw.from : '',
    receivedAt: num(raw.receivedAt) ? raw.receivedAt : null,
    receivedRaw: str(raw.receivedRaw) ? raw.receivedRaw : '',
    state: str(raw.state) ? raw.state : '',
    userData,
  };
}
