/**
 * A large snapshot crosses to a page in parts: its items go ahead of it, a part an event-loop
 * turn, and the snapshot itself comes last with the rest. One frame of 100,000 items stopped
 * the process sending it for 0.8 to 1 s while it was written (the core's events waited
 * meanwhile), and the page could parse nothing before all of it had come. The page puts the
 * parts back together before anything sees the snapshot.
 *
 * Ahead of the parts of a snapshot of more than `PREVIEW_ITEMS` goes a preview: the snapshot
 * without its items, and how many it holds. Its first part holds the newest items, the top of
 * the list as a page first shows it. So the page can show the account, the workbins and the
 * first screen of the list while the rest comes (0.4-0.5 s more at 100,000), saying that it
 * is loading.
 */
import type { WorkbinItem } from './domain.js';
import {
  type CoreEvent,
  type PageEvent,
  parseCoreEvent,
  type SnapshotPreview,
} from './protocol.js';

type Snapshot = Extract<CoreEvent, { type: 'snapshot' }>;

export interface SnapshotPart {
  readonly type: 'snapshot-part';
  /** Its place among its snapshot's parts, from 0. */
  readonly index: number;
  readonly items: readonly WorkbinItem[];
}

/** A snapshot as its own last frame: it says how many parts went ahead of it. */
export type SnapshotHead = Snapshot & { readonly parts: number };

/**
 * Items per part: some 300 KB of JSON. With the page's process parsing on the other core, the
 * host's longest stall at 100,000 items was 10-27 ms (median 14) with 500, 17-19 ms with
 * 1,000 (scavenges of 5-16 ms among them); the start to the first list was the same.
 */
export const SNAPSHOT_PART_ITEMS = 500;

/**
 * A snapshot of more items than this goes with a preview. At 10,000 the whole list came some
 * 80 ms later with one (paired runs: the page drew a list twice while the parts came), and
 * only 0.1 s after the preview anyway; at 100,000 the preview came 0.6 s before it.
 */
export const PREVIEW_ITEMS = 10_000;

/**
 * The frames that carry a snapshot: `items` in parts of `partItems`, read only as each part
 * is asked for, then `snapshot` with the last of them. A snapshot that fits in one part is
 * one frame, as before parts existed.
 */
export function* snapshotFrames(
  snapshot: Snapshot,
  items: Iterable<WorkbinItem>,
  partItems = SNAPSHOT_PART_ITEMS,
): Generator<SnapshotPart | SnapshotHead, void, undefined> {
  let part: WorkbinItem[] = [];
  let index = 0;
  for (const item of items) {
    if (part.length === partItems) {
      yield { type: 'snapshot-part', index: index++, items: part };
      part = [];
    }
    part.push(item);
  }
  yield { ...snapshot, items: part, parts: index };
}

/** A preview's envelope, its snapshot checked as a snapshot is. */
function parseSnapshotPreview(value: unknown): SnapshotPreview | null {
  if (typeof value !== 'object' || value === null) return null;
  const { type, total, snapshot } = value as Partial<Record<keyof SnapshotPreview, unknown>>;
  return type === 'snapshot-preview' &&
    Number.isSafeInteger(total) &&
    parseCoreEvent(snapshot)?.type === 'snapshot'
    ? (value as SnapshotPreview)
    : null;
}

/** A part's envelope, checked as shallowly as a snapshot's own items are. */
function parseSnapshotPart(value: unknown): SnapshotPart | null {
  if (typeof value !== 'object' || value === null) return null;
  const { type, index, items } = value as Partial<Record<keyof SnapshotPart, unknown>>;
  return type === 'snapshot-part' && Number.isSafeInteger(index) && Array.isArray(items)
    ? (value as SnapshotPart)
    : null;
}

/** Parts went missing: the page joined while a snapshot was on its way (an app window reloaded). */
const INCOMPLETE = Symbol('incomplete');

/**
 * The page's side: puts a snapshot's parts together. Events that come among its parts are
 * newer than the snapshot: they are held, and given after it in the order they came. A
 * snapshot with a part missing is not given at all, nor the events held with it: the page
 * keeps what it shows until a whole one comes (a page that joined midway has asked for it).
 * A preview is given with its first part's items; the events after it are held.
 */
export class SnapshotAssembly {
  #parts: (readonly WorkbinItem[])[] | typeof INCOMPLETE | null = null;
  #held: CoreEvent[] = [];
  #preview: SnapshotPreview | null = null;

  /** One message from the core, as received: the events to give the page now, oldest first. */
  receive(data: unknown): PageEvent[] {
    const preview = parseSnapshotPreview(data);
    if (preview) {
      this.#parts = [];
      this.#held = [];
      this.#preview = preview;
      return [];
    }
    const part = parseSnapshotPart(data);
    if (part) {
      // After a preview the parts are already begun (none yet), and its events held.
      const previewed = this.#preview;
      this.#preview = null;
      if (part.index === 0 && !previewed) {
        this.#parts = [part.items];
        this.#held = [];
      } else if (Array.isArray(this.#parts) && this.#parts.length === part.index) {
        this.#parts.push(part.items);
      } else {
        this.#parts = INCOMPLETE;
      }
      return previewed && part.index === 0
        ? [{ ...previewed, snapshot: { ...previewed.snapshot, items: part.items } }]
        : [];
    }
    const event = parseCoreEvent(data);
    if (!event) return [];
    if (event.type === 'snapshot') {
      const { parts: expected, ...snapshot } = event as Partial<SnapshotHead> & typeof event;
      const parts = this.#parts ?? [];
      this.#parts = null;
      this.#preview = null;
      const held = this.#held.splice(0);
      if (parts === INCOMPLETE || parts.length !== (expected ?? 0)) return [];
      const whole =
        parts.length > 0
          ? { ...snapshot, items: ([] as WorkbinItem[]).concat(...parts, snapshot.items) }
          : snapshot;
      return [whole, ...held];
    }
    if (this.#parts) {
      this.#held.push(event);
      return [];
    }
    return [event];
  }

  /** The connection is gone: the next one begins with a whole new snapshot. */
  reset(): void {
    this.#parts = null;
    this.#held = [];
    this.#preview = null;
  }
}
