/**
 * The double's link to the test: every Electron call the shell makes is recorded here and
 * sent to the parent process (the shell runs as a child with an IPC channel); the test's
 * actions (a click, a foreign IPC message, a resume) come back the same way.
 */

/** One recorded call: `api` is `Class.method` (or `module.method`), `detail` plain data. */
export interface JournalEntry {
  readonly seq: number;
  readonly api: string;
  readonly detail: unknown;
}

/** What a test can do as the user or the OS. */
export type DoubleAction =
  | { readonly type: 'click-tray' }
  | { readonly type: 'click-menu'; readonly label: string }
  | { readonly type: 'click-notification'; readonly index: number }
  /** `window`: which window, in the order they were made (default 0, the main window). */
  | { readonly type: 'close-window'; readonly window?: number }
  | { readonly type: 'blur-window'; readonly window?: number }
  | {
      readonly type: 'resize-window';
      readonly window?: number;
      readonly width: number;
      readonly height: number;
    }
  | { readonly type: 'press-shortcut'; readonly accelerator: string }
  | {
      readonly type: 'ipc';
      readonly channel: string;
      readonly payload: unknown;
      /** `window`: the app's own page; `foreign`: another webContents. */
      readonly sender: 'window' | 'foreign';
      /** Which window's page, when the sender is a window (default 0). */
      readonly window?: number;
      readonly frame: 'main' | 'sub';
      readonly url: string;
    }
  | { readonly type: 'power'; readonly event: 'resume' | 'unlock-screen' | 'suspend' }
  | { readonly type: 'online'; readonly online: boolean }
  | { readonly type: 'window-open'; readonly url: string }
  | { readonly type: 'navigate'; readonly url: string }
  | { readonly type: 'permission'; readonly permission: string }
  | { readonly type: 'fetch'; readonly url: string }
  | { readonly type: 'quit' }
  /** The page calling the preload's bridge, and the main process sending to the page. */
  | { readonly type: 'renderer-send'; readonly command: unknown }
  | { readonly type: 'renderer-receive'; readonly channel: string; readonly payload: unknown };

export type ParentMessage = {
  readonly type: 'act';
  readonly id: number;
  readonly action: DoubleAction;
};
export type ChildMessage =
  | { readonly type: 'journal'; readonly entry: JournalEntry }
  | {
      readonly type: 'acted';
      readonly id: number;
      readonly result: unknown;
      readonly error?: string;
    }
  /** Sent last, so that the test knows the journal is complete. */
  | { readonly type: 'exit'; readonly exitCode: number };

let seq = 0;

/** Keeps only what survives a structured clone: the journal is data, not live objects. */
function plain(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (_key, v: unknown) => (typeof v === 'function' ? '[function]' : v)) ??
      'null',
  );
}

/**
 * `WBT_DOUBLE_FAIL=<api>` makes that call throw, as Electron does when the OS refuses (no
 * tray on this desktop, a scheme already taken): how a test starts an app that cannot start.
 */
export function record(api: string, detail: unknown = null): void {
  if (process.env.WBT_DOUBLE_FAIL === api) throw new Error(`${api} failed (WBT_DOUBLE_FAIL)`);
  const entry: JournalEntry = { seq: ++seq, api, detail: plain(detail) };
  if (process.send) process.send({ type: 'journal', entry } satisfies ChildMessage);
  else if (process.env.WBT_DOUBLE_TRACE) console.error('[electron-double]', api, entry.detail);
}

export function onAction(act: (action: DoubleAction) => Promise<unknown> | unknown): void {
  if (!process.send) return;
  process.on('message', (message: ParentMessage) => {
    if (message?.type !== 'act') return;
    Promise.resolve()
      .then(() => act(message.action))
      .then(
        (result) =>
          process.send?.({
            type: 'acted',
            id: message.id,
            result: plain(result),
          } satisfies ChildMessage),
        (error: unknown) =>
          process.send?.({
            type: 'acted',
            id: message.id,
            result: null,
            error: error instanceof Error ? error.message : String(error),
          } satisfies ChildMessage),
      );
  });
  // The channel must not keep a quitting app alive.
  process.channel?.unref();
}
