import type { ConnectionStatus, SyncProblem } from '../contract/status.js';
import type { TransportHealth } from './connection.js';

export interface HealthInputs {
  readonly transport: TransportHealth;
  /** A sync has completed since start: the list holds the server's truth, not a cache. */
  readonly firstSyncDone: boolean;
  readonly syncing: boolean;
  /** What the last sync could not prove, and failed subscriptions. */
  readonly problems: readonly SyncProblem[];
  readonly nextRetryAt: number | null;
}

/**
 * The status the user sees, from what is known. `online` only while the transport is
 * connected, the channel is subscribed and everything listed was loaded: a notifier that
 * says online while it hears nothing is worse than none.
 */
export function deriveStatus(
  previous: ConnectionStatus,
  inputs: HealthInputs,
  now: number,
  offlineAfter: number,
): ConnectionStatus {
  const { transport } = inputs;
  const retrying = previous.state === 'reconnecting' || previous.state === 'offline';
  if (transport.phase === 'lost') {
    return {
      state: now - transport.since >= offlineAfter ? 'offline' : 'reconnecting',
      since: transport.since,
      attempt: transport.attempt,
      nextRetryAt: transport.retryAt,
      reason: transport.reason,
    };
  }
  if (transport.phase === 'connecting' || transport.channel.state === 'pending') {
    return retrying || previous.state === 'connecting'
      ? previous
      : { state: 'connecting', since: now };
  }
  const channel = transport.channel;
  if (channel.state === 'failed') {
    return {
      state: 'reconnecting',
      since: channel.since,
      attempt: channel.attempt,
      nextRetryAt: channel.retryAt,
      reason: `not subscribed to workbin notifications: ${channel.reason}`,
    };
  }
  if (!inputs.firstSyncDone) {
    return previous.state === 'connecting' ? previous : { state: 'connecting', since: now };
  }
  if (inputs.problems.length > 0) {
    return {
      state: 'degraded',
      since: previous.state === 'degraded' ? previous.since : now,
      syncing: inputs.syncing,
      problems: inputs.problems,
      nextRetryAt: inputs.nextRetryAt,
    };
  }
  return {
    state: 'online',
    since: previous.state === 'online' ? previous.since : now,
    syncing: inputs.syncing,
  };
}

/** Same status for the user: no event for a recomputation that changed nothing. */
export function sameStatus(a: ConnectionStatus, b: ConnectionStatus): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
