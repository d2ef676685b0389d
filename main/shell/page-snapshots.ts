import type { WebContents } from 'electron';
import type { CoreBridge } from '../bridge/core-bridge.js';
import { SnapshotSender } from '../bridge/snapshot-sender.js';
import { IPC_EVENT } from '../contract/protocol.js';

/**
 * Each page's snapshots, sent over IPC in parts (`SnapshotSender`): as one message, 100,000
 * items went through V8's serializer in the main process, half of the 0.5-0.9 s their way
 * there and back takes (`ipc.clone.h100k`), with the CometD session waiting meanwhile. The
 * preload puts the parts together.
 */
export class PageSnapshots {
  readonly #senders = new WeakMap<WebContents, SnapshotSender>();

  constructor(private readonly bridge: CoreBridge) {}

  request(contents: WebContents): void {
    let sender = this.#senders.get(contents);
    if (!sender) {
      sender = new SnapshotSender(
        () => this.bridge.snapshotInParts(),
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
