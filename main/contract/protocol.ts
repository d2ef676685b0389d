/**
 * The one protocol between the core (main process, or the `web` server) and the UI. Both
 * directions are validated on receipt: the UI may be compromised, and the core's events cross
 * a process boundary.
 */

import type { DiagnosticsReport } from './diagnostics.js';
import type { SubscriptionStatus, WorkbinItem } from './domain.js';
import type { SignInError } from './errors.js';
import type { Notice } from './notice.js';
import type { AccountSession } from './session.js';
import { parseSettingsPatch, type Settings, type UiSettings } from './settings.js';
import type { ConnectionStatus } from './status.js';

export interface WorkbinDto {
  readonly key: string;
  readonly ownerUserId: string;
  readonly workbinId: string;
  readonly displayName: string;
  readonly type: string;
  readonly subscription: SubscriptionStatus;
  readonly failure: string | null;
  readonly count: number;
  readonly syncedAt: number | null;
  /** The server's oldest items not held, beyond the bound on a workbin. */
  readonly dropped: number;
  /** A watched user's name, when GWS gave it. */
  readonly ownerName: string | null;
}

/** Core → UI. */
export type CoreEvent =
  /** Everything, on connect and after sign-in/out. `stale`: from the cache, not yet synced. */
  | {
      readonly type: 'snapshot';
      readonly session: AccountSession | null;
      readonly status: ConnectionStatus;
      readonly workbins: readonly WorkbinDto[];
      readonly items: readonly WorkbinItem[];
      readonly stale: boolean;
      readonly cachedAt: number | null;
      readonly settings: Settings;
      /** Item keys that arrived live and have not been seen. */
      readonly unseen: readonly string[];
      readonly diagnostics: DiagnosticsReport;
    }
  | {
      readonly type: 'delta';
      readonly upserted: readonly WorkbinItem[];
      readonly removed: readonly { readonly workbinKey: string; readonly id: string }[];
      readonly workbins: readonly WorkbinDto[];
      readonly removedWorkbins: readonly string[];
      readonly stale: boolean;
    }
  | { readonly type: 'status'; readonly status: ConnectionStatus }
  | { readonly type: 'settings'; readonly settings: Settings }
  /** `error` null: signed in. The UI explains the error in its own words. */
  | { readonly type: 'sign-in-result'; readonly error: SignInError | null }
  /** Show this item (a notification was clicked). */
  | { readonly type: 'reveal'; readonly workbinKey: string; readonly id: string }
  /** The unseen items changed: all of them, by item key. */
  /** What became unseen and what was seen since the last one (the snapshot has them all). */
  | {
      readonly type: 'unseen';
      readonly added: readonly string[];
      readonly removed: readonly string[];
    }
  /** Browser mode: show this notification (the app shows it natively instead). */
  | { readonly type: 'notify'; readonly notice: Notice }
  /** Problems and rejected messages so far (batched). */
  | { readonly type: 'diagnostics'; readonly diagnostics: DiagnosticsReport };

/** UI → core. */
export type UiCommand =
  | { readonly type: 'hello' }
  | {
      readonly type: 'sign-in';
      readonly server: string;
      readonly user: string;
      readonly password: string;
    }
  | { readonly type: 'sign-out' }
  | { readonly type: 'reconnect' }
  /** Try one workbin again (its owner's listing, subscription and load). */
  | { readonly type: 'retry'; readonly workbinKey: string }
  | { readonly type: 'open-item'; readonly workbinKey: string; readonly id: string }
  /** These items (or, without keys, all) have been seen. */
  | { readonly type: 'seen'; readonly keys?: readonly string[] }
  | { readonly type: 'settings'; readonly settings: Partial<UiSettings> };

/**
 * A large snapshot's first frame: everything but its items, and how many items it holds.
 * Given to the page with the first part's items, the newest (`SnapshotAssembly`).
 */
export interface SnapshotPreview {
  readonly type: 'snapshot-preview';
  readonly total: number;
  readonly snapshot: Extract<CoreEvent, { type: 'snapshot' }>;
}

/** What the page is given: the core's events, and a large snapshot's preview ahead of it. */
export type PageEvent = CoreEvent | SnapshotPreview;

/** Electron IPC channels: commands up (renderer → main), events down. */
export const IPC_COMMAND = 'workbins:command';
export const IPC_EVENT = 'workbins:event';

/** The API the preload (Electron) or the WebSocket client (browser mode) gives the renderer. */
export interface BridgeApi {
  send(command: UiCommand): void;
  onEvent(listener: (event: PageEvent) => void): () => void;
  /**
   * Browser mode's socket to the app closed (the process stopped, or the socket broke):
   * until the next snapshot, the page shows only what it last heard. Over IPC the page and
   * the core live and die together, and the preload has no such thing.
   */
  onLinkLost?(listener: () => void): () => void;
}

// --- validation ----------------------------------------------------------------------------

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isString(value: unknown, max = 4_096): value is string {
  return typeof value === 'string' && value.length <= max;
}

/** Validates a command from the UI; anything else is null and must be ignored. */
export function parseCommand(value: unknown): UiCommand | null {
  if (!isObject(value)) return null;
  switch (value.type) {
    case 'hello':
    case 'sign-out':
    case 'reconnect':
      return { type: value.type };
    case 'sign-in':
      return isString(value.server, 2_048) &&
        isString(value.user, 256) &&
        isString(value.password, 1_024)
        ? { type: 'sign-in', server: value.server, user: value.user, password: value.password }
        : null;
    case 'open-item':
      return isString(value.workbinKey, 1_024) && isString(value.id, 256)
        ? { type: 'open-item', workbinKey: value.workbinKey, id: value.id }
        : null;
    case 'settings': {
      const patch = parseSettingsPatch(value.settings);
      return patch ? { type: 'settings', settings: patch } : null;
    }
    case 'retry':
      return isString(value.workbinKey, 2_048)
        ? { type: 'retry', workbinKey: value.workbinKey }
        : null;
    case 'seen': {
      if (value.keys === undefined) return { type: 'seen' };
      const keys = value.keys;
      return Array.isArray(keys) && keys.length <= 10_000 && keys.every((k) => isString(k, 2_048))
        ? { type: 'seen', keys }
        : null;
    }
    default:
      return null;
  }
}

/** Every event type, checked by the compiler: a new event cannot be forgotten here. */
const EVENT_TYPES = new Set(
  Object.keys({
    snapshot: true,
    delta: true,
    status: true,
    settings: true,
    'sign-in-result': true,
    reveal: true,
    unseen: true,
    notify: true,
    diagnostics: true,
  } satisfies Record<CoreEvent['type'], true>),
);

/**
 * A shallow check of a core event: its envelope and the shapes the UI indexes by. The core
 * built it from validated data; this guards against a confused or foreign sender.
 */
export function parseCoreEvent(value: unknown): CoreEvent | null {
  if (!isObject(value) || !EVENT_TYPES.has(value.type as string)) return null;
  const arrays: Record<string, string[]> = {
    snapshot: ['workbins', 'items', 'unseen'],
    unseen: ['added', 'removed'],
    delta: ['upserted', 'removed', 'workbins', 'removedWorkbins'],
  };
  for (const key of arrays[value.type as string] ?? []) if (!Array.isArray(value[key])) return null;
  if ((value.type === 'snapshot' || value.type === 'status') && !isObject(value.status))
    return null;
  if ((value.type === 'snapshot' || value.type === 'diagnostics') && !isObject(value.diagnostics))
    return null;
  return value as unknown as CoreEvent;
}
