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

/** The status after one more failed attempt. */
export function afterFailure(
  previous: ConnectionStatus,
  reason: string,
  retryIn: number | null,
  now: number,
  offlineAfter: number,
): ConnectionStatus {
  const lost = previous.state === 'reconnecting' || previous.state === 'offline';
  const since = lost ? previous.since : now;
  const attempt = lost ? previous.attempt + 1 : 1;
  return {
    state: now - since >= offlineAfter ? 'offline' : 'reconnecting',
    since,
    attempt,
    nextRetryAt: retryIn === null ? null : now + retryIn,
    reason,
  };
}
