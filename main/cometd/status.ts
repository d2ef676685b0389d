import type { ConnectionStatus } from '../contract/status.js';

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
