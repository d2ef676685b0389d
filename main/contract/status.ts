/** A part of the state that is not proven current, and why. */
export interface SyncProblem {
  readonly ownerUserId: string;
  /** The workbin, or null when the whole owner failed (listing, subscribe request). */
  readonly workbinKey: string | null;
  /**
   * Which step failed: listing, the subscribe request, its answer, the load, GWS's
   * RequestFailed, or a request not made because the user's role does not allow it.
   */
  readonly step: 'list' | 'subscribe' | 'answer' | 'load' | 'request-failed' | 'not-allowed';
  readonly reason: string;
}

/**
 * What the user sees about the connection. `online` is earned: the transport is connected,
 * /v2/me/workbins is subscribed and the last sync loaded everything. `degraded` is connected
 * and listening, but some workbins are not proven current. `reconnecting` and `offline` both
 * retry; offline means the server has been out of reach long enough that the list is old.
 */
export type ConnectionStatus =
  | { readonly state: 'connecting'; readonly since: number }
  | { readonly state: 'online'; readonly since: number; readonly syncing: boolean }
  | {
      readonly state: 'degraded';
      readonly since: number;
      readonly syncing: boolean;
      readonly problems: readonly SyncProblem[];
      /** When the failed parts are tried again, if a retry is planned. */
      readonly nextRetryAt: number | null;
    }
  | {
      readonly state: 'reconnecting' | 'offline';
      /** When the connection was lost. */
      readonly since: number;
      readonly attempt: number;
      readonly nextRetryAt: number | null;
      readonly reason: string;
    }
  /** Credentials rejected: nothing is retried until the user signs in again. */
  | { readonly state: 'signed-out'; readonly since: number; readonly reason: string }
  | { readonly state: 'stopped'; readonly since: number };

export type ConnectionState = ConnectionStatus['state'];
