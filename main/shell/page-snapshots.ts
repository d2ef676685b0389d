import type { WebContents } from 'electron';
import type { CoreBridge } from '../bridge/core-bridge.js';
import { SnapshotSender } from '../bridge/snapshot-sender.js';
import { IPC_EVENT } from '../contract/protocol.js';

/**
 * Each page's snapshots, sent over IPC in parts (`SnapshotSender`): serialising 100,000 items
 * for one message took the main process 0.5 s, with the CometD session waiting meanwhile.
 * The preload puts the parts together.
 */
export class PageSnapshots {
  readonly #senders = new WeakMap<WebContents, SnapshotSender>();

  constructor(private readonly bridge: () => CoreBridge) {}

  request(contents: WebContents): void {
    let sender = this.#senders.get(contents);
    if (!sender) {
      sender = new SnapshotSender(
        () => this.bridge().snapshotInParts(),
        (frame) => {
          if (contents.isDestroyed()) return false;
          contents.send(IPC_EVENT, frame);
          return true;
        },
      );
      this.#senders.set(contents, sender);
    }
    sender.request();
  }
}
