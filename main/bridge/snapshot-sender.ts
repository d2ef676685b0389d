import { setImmediate as nextTurn } from 'node:timers/promises';
import type { WorkbinItem } from '../contract/domain.js';
import type { CoreEvent } from '../contract/protocol.js';
import {
  type SnapshotHead,
  type SnapshotPart,
  snapshotFrames,
} from '../contract/snapshot-parts.js';

type Snapshot = Extract<CoreEvent, { type: 'snapshot' }>;

/**
 * Sends one page its snapshots in parts (`snapshotFrames`), a frame an event-loop turn so that
 * the core's events go on meanwhile, and one snapshot at a time: two sent together would mix
 * their parts. Asked for again while one is on its way, a fresh one follows it.
 */
export class SnapshotSender {
  #sending = false;
  #again = false;

  constructor(
    /** The snapshot now, its items to be read as they are sent. */
    private readonly take: () => {
      readonly snapshot: Snapshot;
      readonly items: Iterable<WorkbinItem>;
    },
    /** Writes one frame; false when the page is gone, and the snapshot is given up. */
    private readonly write: (frame: SnapshotPart | SnapshotHead) => boolean,
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
      const { snapshot, items } = this.take();
      let first = true;
      for (const frame of snapshotFrames(snapshot, items)) {
        if (!first) await nextTurn();
        first = false;
        if (!this.write(frame)) return;
      }
    } while (this.#again);
  }
}
