import { setImmediate as nextTurn } from 'node:timers/promises';
import type { WorkbinItem } from '../contract/domain.js';
import type { CoreEvent, SnapshotPreview } from '../contract/protocol.js';
import {
  PREVIEW_ITEMS,
  SNAPSHOT_PART_ITEMS,
  type SnapshotHead,
  type SnapshotPart,
  snapshotFrames,
} from '../contract/snapshot-parts.js';
import { newestAhead } from './newest-items.js';

type Snapshot = Extract<CoreEvent, { type: 'snapshot' }>;

/**
 * What writing a frame gives: false when the page is gone (the snapshot is given up), true
 * when written; or, from a transport that can tell, the same once the frame has left.
 */
export type FrameWritten = boolean | Promise<boolean>;

/**
 * Sends one page its snapshots in parts (`snapshotFrames`), a frame an event-loop turn so that
 * the core's events go on meanwhile, and one snapshot at a time: two sent together would mix
 * their parts. Asked for again while one is on its way, a fresh one follows it. A snapshot of
 * more than `PREVIEW_ITEMS` goes with a preview ahead, written in the turn the snapshot is
 * taken (the page holds the core's later events from then on), and its newest items in the
 * first part. While a large cache is still being read, the page is given its preview and
 * first part, and the whole snapshot once the cache is in.
 *
 * No more than two frames are on their way at once. Written as fast as they were made, the
 * parts of 100,000 items queued up faster than a page read them, 60 MB held by the socket
 * and written out in bursts of 20-30 ms each, with the core's events waiting behind them.
 */
export class SnapshotSender {
  #sending = false;
  #again = false;

  constructor(
    /**
     * The snapshot now, its items to be read as they are sent; with `complete`, a preview
     * (a large cache still being read) whose whole comes once `complete` settles.
     */
    private readonly take: () => {
      readonly snapshot: Snapshot;
      readonly items: Iterable<WorkbinItem>;
      readonly complete?: Promise<void>;
    },
    /** Writes one frame. */
    private readonly write: (frame: SnapshotPreview | SnapshotPart | SnapshotHead) => FrameWritten,
  ) {}

  request(): void {
    if (this.#sending) {
      this.#again = true;
      return;
    }
    this.#sending = true;
    this.#send()
      .catch((error: unknown) => console.error('Workbin Tray: a snapshot was not sent:', error))
      .finally(() => {
        this.#sending = false;
      });
  }

  async #send(): Promise<void> {
    // Every request made before the snapshot is read is answered by it.
    await nextTurn();
    do {
      this.#again = false;
      const { snapshot, items, complete } = this.take();
      const total = snapshot.workbins.reduce((sum, workbin) => sum + workbin.count, 0);
      if (complete) {
        // The preview with its newest items, shown while the rest is read; then a whole one.
        const preview = this.write({ type: 'snapshot-preview', total, snapshot });
        const part = this.write({ type: 'snapshot-part', index: 0, items: [...items] });
        if (preview === false || part === false || !(await preview) || !(await part)) return;
        await complete;
        this.#again = true;
        continue;
      }
      let previous: FrameWritten = true;
      let ordered = items;
      if (total > PREVIEW_ITEMS) {
        previous = this.write({ type: 'snapshot-preview', total, snapshot });
        if (previous === false) return;
        ordered = await newestAhead(items, SNAPSHOT_PART_ITEMS);
      }
      let first = true;
      for (const frame of snapshotFrames(snapshot, ordered)) {
        if (!first) await nextTurn();
        first = false;
        const written = this.write(frame);
        if (written === false || !(await previous)) return;
        previous = written;
      }
      if (!(await previous)) return;
    } while (this.#again);
  }
}
