import type { ItemKind } from './kinds.js';

/** A userData value after sanitising: scalars only; nested values arrive as JSON text. */
export type UserDataValue = string | number | boolean | null;

export interface WorkbinItem {
  readonly id: string;
  readonly kind: ItemKind;
  readonly workbinId: string;
  /** The GWS user whose workbin holds the item. */
  readonly ownerUserId: string;
  /** Subject, or for social kinds the message text. */
  readonly summary: string;
  readonly from: string;
  /** ms since epoch, or null when the server's date could not be read. */
  readonly receivedAt: number | null;
  /** The server's date string as received, for the details view. */
  readonly receivedRaw: string;
  readonly state: string;
  readonly userData: Readonly<Record<string, UserDataValue>>;
}

export type WorkbinType = 'Agent' | 'Place' | 'AgentGroup' | 'PlaceGroup' | 'Unknown';

export interface WorkbinInfo {
  readonly id: string;
  readonly ownerUserId: string;
  readonly displayName: string;
  readonly type: WorkbinType;
}

/**
 * `failed`: GWS answered RequestFailed. `unavailable`: the owner's workbins could not be
 * listed (a watch revoked, a user deleted, not a supervisor): what is shown is not live.
 */
export type SubscriptionStatus =
  | 'pending'
  | 'subscribed'
  | 'unsubscribed'
  | 'failed'
  | 'unavailable';

export interface GwsUser {
  readonly id: string;
  readonly userName: string;
  readonly displayName: string;
  readonly supervisor: boolean;
}
