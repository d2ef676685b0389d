/**
 * A large snapshot crosses to a page in parts: its items go ahead of it, a part an event-loop
 * turn, and the snapshot itself comes last with the rest. One frame of 100,000 items stopped
 * the process sending it for 0.8 to 1 s while it was written (the core's events waited
 * meanwhile), and the page could parse nothing before all of it had come. The page puts the
 * parts back together before anything sees the snapshot.
 */
import type { WorkbinItem } from './domain.js';
import { type CoreEvent, parseCoreEvent } from './protocol.js';

type Snapshot = Extract<CoreEvent, { type: 'snapshot' }>;

export interface SnapshotPart {
  readonly type: 'snapshot-part';
  readonly items: readonly WorkbinItem[];
}

/**
 * Items per part: some 300 KB of JSON. With the page's process parsing on the other core, the
 * host's longest stall at 100,000 items was 10-27 ms (median 14) with 500, 17-19 ms with
 * 1,000 (scavenges of 5-16 ms among them); the start to the first list was the same.
 */
export const SNAPSHOT_PART_ITEMS = 500;

/**
 * The frames that carry a snapshot: `items` in parts of `partItems`, read only as each part
 * is asked for, then `snapshot` with the last of them. A snapshot that fits in one part is
 * one frame, as before parts existed.
 */
export function* snapshotFrames(
  snapshot: Snapshot,
  items: Iterable<WorkbinItem>,
  partItems = SNAPSHOT_PART_ITEMS,
): Generator<SnapshotPart | Snapshot, void, undefined> {
  let part: WorkbinItem[] = [];
  for (const item of items) {
    if (part.length === partItems) {
      yield { type: 'snapshot-part', items: part };
      part = [];
    }
    part.push(item);
  }
  yield { ...snapshot, items: part };
}

/** A part's envelope, checked as shallowly as a snapshot's own items are. */
function parseSnapshotPart(value: unknown): SnapshotPart | null {
  return typeof value === 'object' &&
    value !== null &&
    (value as { type?: unknown }).type === 'snapshot-part' &&
    Array.isArray((value as { items?: unknown }).items)
    ? (value as SnapshotPart)
    : null;
}

/**
 * The page's side: puts a snapshot's parts together. Events that come among its parts are
 * newer than the snapshot: they are held, and given after it in the order they came.
 */
export class SnapshotAssembly {
  #parts: (readonly WorkbinItem[])[] | null = null;
  #held: CoreEvent[] = [];

  /** One message from the core, as received: the events to give the page now, oldest first. */
  receive(data: unknown): CoreEvent[] {
    const part = parseSnapshotPart(data);
    if (part) {
      if (this.#parts) this.#parts.push(part.items);
      else this.#parts = [part.items];
      return [];
    }
    const event = parseCoreEvent(data);
    if (!event) return [];
    if (event.type === 'snapshot') {
      const parts = this.#parts;
      this.#parts = null;
      const whole = parts
        ? { ...event, items: ([] as WorkbinItem[]).concat(...parts, event.items) }
        : event;
      return [whole, ...this.#held.splice(0)];
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
  }
}
