/**
 * The one protocol between the core (main process, or the `web` server) and the UI. The
 * renderer imports this file (and through it the leaf modules kinds.ts and keys.ts) and
 * strings.ts, nothing else from main/. Both directions are validated on receipt: the UI may be compromised, and the core's events cross a process boundary.
 */

import type { ConnectionStatus as StatusDto } from '../cometd/status.js';
import type { WorkbinItem as ItemDto } from '../workbins/types.js';

export type { ConnectionStatus as StatusDto } from '../cometd/status.js';
// kinds.ts and keys.ts are leaf modules (no imports), so the renderer bundle may take them.
export { workbinKey } from '../workbins/keys.js';
export { ITEM_KINDS, type ItemKind as Kind } from '../workbins/kinds.js';
/** Core types that cross the bridge unchanged (type-only imports: nothing reaches the bundle). */
export type { UserDataValue as Scalar, WorkbinItem as ItemDto } from '../workbins/types.js';

export interface WorkbinDto {
  readonly key: string;
  readonly ownerUserId: string;
  readonly workbinId: string;
  readonly displayName: string;
  readonly type: string;
  readonly subscription: 'pending' | 'subscribed' | 'unsubscribed' | 'failed';
  readonly failure: string | null;
  readonly count: number;
  readonly syncedAt: number | null;
}

/** What the UI may change about notifications. */
export interface UiSettings {
  readonly notificationsPaused: boolean;
  /** Workbin keys whose new items raise no notification. */
  readonly mutedWorkbins: readonly string[];
}

export interface SessionDto {
  readonly server: string;
  readonly user: string;
  /** The GWS user id: whose workbins are "mine". */
  readonly userId: string;
  readonly displayName: string;
}

/** Core → UI. */
export type CoreEvent =
  /** Everything, on connect and after sign-in/out. `stale`: from the cache, not yet synced. */
  | {
      readonly type: 'snapshot';
      readonly session: SessionDto | null;
      readonly status: StatusDto;
      readonly workbins: readonly WorkbinDto[];
      readonly items: readonly ItemDto[];
      readonly stale: boolean;
      readonly cachedAt: number | null;
      readonly settings: UiSettings;
    }
  | {
      readonly type: 'delta';
      readonly upserted: readonly ItemDto[];
      readonly removed: readonly { readonly workbinKey: string; readonly id: string }[];
      readonly workbins: readonly WorkbinDto[];
      readonly removedWorkbins: readonly string[];
      readonly stale: boolean;
    }
  | { readonly type: 'status'; readonly status: StatusDto }
  | { readonly type: 'settings'; readonly settings: UiSettings }
  | { readonly type: 'sign-in-result'; readonly ok: boolean; readonly error: string | null }
  /** Show this item (a notification was clicked). */
  | { readonly type: 'reveal'; readonly workbinKey: string; readonly id: string };

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
  | { readonly type: 'open-item'; readonly workbinKey: string; readonly id: string }
  | { readonly type: 'settings'; readonly settings: Partial<UiSettings> };

/** Electron IPC channels: commands up (renderer → main), events down. */
export const IPC_COMMAND = 'workbins:command';
export const IPC_EVENT = 'workbins:event';

/** The API the preload (Electron) or the WebSocket client (browser mode) gives the renderer. */
export interface BridgeApi {
  send(command: UiCommand): void;
  onEvent(listener: (event: CoreEvent) => void): () => void;
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
    default:
      return null;
  }
}

function parseSettingsPatch(value: unknown): Partial<UiSettings> | null {
  if (!isObject(value)) return null;
  const patch: { notificationsPaused?: boolean; mutedWorkbins?: string[] } = {};
  if (value.notificationsPaused !== undefined) {
    if (typeof value.notificationsPaused !== 'boolean') return null;
    patch.notificationsPaused = value.notificationsPaused;
  }
  if (value.mutedWorkbins !== undefined) {
    const muted = value.mutedWorkbins;
    if (!Array.isArray(muted) || muted.length > 1_000 || !muted.every((k) => isString(k, 1_024)))
      return null;
    patch.mutedWorkbins = muted;
  }
  return patch;
}

const EVENT_TYPES = new Set([
  'snapshot',
  'delta',
  'status',
  'settings',
  'sign-in-result',
  'reveal',
]);

/**
 * A shallow check of a core event: its envelope and the shapes the UI indexes by. The core
 * built it from validated data; this guards against a confused or foreign sender.
 */
export function parseCoreEvent(value: unknown): CoreEvent | null {
  if (!isObject(value) || !EVENT_TYPES.has(value.type as string)) return null;
  const arrays: Record<string, string[]> = {
    snapshot: ['workbins', 'items'],
    delta: ['upserted', 'removed', 'workbins', 'removedWorkbins'],
  };
  for (const key of arrays[value.type as string] ?? []) if (!Array.isArray(value[key])) return null;
  if ((value.type === 'snapshot' || value.type === 'status') && !isObject(value.status))
    return null;
  return value as unknown as CoreEvent;
}
