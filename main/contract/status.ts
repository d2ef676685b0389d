/**
 * What the user sees about the connection. `reconnecting` and `offline` both retry; offline
 * means the server has been out of reach long enough that the list is showing old data.
 */
export type ConnectionStatus =
  | { readonly state: 'connecting'; readonly since: number }
  | { readonly state: 'online'; readonly since: number; readonly syncing: boolean }
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
