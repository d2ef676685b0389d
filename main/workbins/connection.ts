import { EventEmitter } from 'node:events';
import { CometdSession, type Transport } from '../cometd/session.js';
import type { GwsUser } from '../contract/domain.js';
import type { GwsError } from '../contract/errors.js';
import { type Credentials, GwsClient } from '../gws/client.js';
import { SessionCookies } from '../gws/cookie-jar.js';
import { apiUrl } from '../gws/server-url.js';

export interface ConnectionOptions {
  readonly baseUrl: URL;
  readonly credentials: Credentials;
  readonly transport?: Transport;
  readonly maxBackoff?: number;
  readonly backoffIncrement?: number;
  readonly maxNetworkDelay?: number;
  readonly requestTimeout?: number;
  /** The largest CometD reply read (default `MAX_REPLY_BYTES`). */
  readonly maxReplyBytes?: number;
  readonly now?: () => number;
}

/** How the way to GWS looks now: the input of the user-facing status. */
export type TransportHealth =
  /** Signing in or handshaking for the first time. */
  | { readonly phase: 'connecting' }
  /** Failed since it was last connected; retried at `retryAt` (null: not planned). */
  | {
      readonly phase: 'lost';
      readonly since: number;
      readonly attempt: number;
      readonly retryAt: number | null;
      readonly reason: string;
    }
  | { readonly phase: 'connected'; readonly channel: ChannelHealth };

/** The subscription to /v2/me/workbins: without it a connected session hears nothing. */
export type ChannelHealth =
  | { readonly state: 'pending' }
  | { readonly state: 'subscribed' }
  | {
      readonly state: 'failed';
      readonly since: number;
      readonly attempt: number;
      readonly retryAt: number;
      readonly reason: string;
    };

export interface ConnectionEvents {
  health: [TransportHealth];
  /** A new CometD session: subscriptions are gone, everything must be loaded again. */
  handshake: [{ reestablish: boolean }];
  /** /v2/me/workbins is subscribed (after a handshake): answers and items can be heard now. */
  listening: [];
  /** Back on the same CometD session after a failure: what was in flight may be lost. */
  recovered: [];
  message: [data: unknown];
  /** The credentials were refused: stopped, nothing is retried. */
  'signed-out': [{ reason: string }];
  problem: [{ during: string; error: GwsError }];
}

/**
 * The way to GWS: REST sign-in with its own backoff, then one CometD session subscribed to
 * /v2/me/workbins, kept up through failures. Its public calls are serialised, and every
 * step checks that the run it belongs to is still current: `stop()` always wins.
 */
export class GwsConnection extends EventEmitter<ConnectionEvents> {
  readonly client: GwsClient;
  private readonly cometd: CometdSession;
  private readonly now: () => number;
  private current: TransportHealth = { phase: 'connecting' };
  /** Kept apart from the phase: an outage of the same session keeps its subscription. */
  private channel: ChannelHealth = { state: 'pending' };
  /** Bumped by start and stop: work of an older run finds it changed and gives up. */
  private generation = 0;
  private running = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private restAttempts = 0;
  /** Replies cut off for size since the last time online: spaces the new sessions. */
  private oversized = 0;
  private lost: { since: number; attempt: number } | null = null;
  private handshakeSinceLoss = false;
  private serial: Promise<void> = Promise.resolve();

  constructor(private readonly options: ConnectionOptions) {
    super();
    this.now = options.now ?? Date.now;
    const cookies = new SessionCookies();
    this.client = new GwsClient({
      baseUrl: options.baseUrl,
      credentials: options.credentials,
      cookies,
      ...(options.requestTimeout !== undefined && { timeout: options.requestTimeout }),
      // A REST re-sign-in changes the session's CSRF token: CometD must send the new one.
      onSignedIn: () => this.cometd.refreshHeaders(),
    });
    this.cometd = new CometdSession({
      url: apiUrl(options.baseUrl, '/notifications').toString(),
      cookies,
      headers: () => this.client.sessionHeaders(),
      ...(options.transport && { transport: options.transport }),
      ...(options.maxBackoff !== undefined && { maxBackoff: options.maxBackoff }),
      ...(options.backoffIncrement !== undefined && { backoffIncrement: options.backoffIncrement }),
      ...(options.maxNetworkDelay !== undefined && { maxNetworkDelay: options.maxNetworkDelay }),
      ...(options.maxReplyBytes !== undefined && { maxReplyBytes: options.maxReplyBytes }),
    });
    this.cometd.on('handshake', (detail) => {
      this.handshakeSinceLoss = true;
      this.channel = { state: 'pending' };
      this.setHealth({ phase: 'connecting' }, true);
      this.emit('handshake', detail);
    });
    this.cometd.on('channel', (channel) => this.onChannel(channel));
    this.cometd.on('online', () => this.onOnline());
    this.cometd.on('failure', ({ reason, retryIn }) => this.onLost(reason, retryIn));
    this.cometd.on('unauthorized', () => {
      // If REST has signed in again since this session was refused, its new session serves.
      const refused = this.client.sessionNumber;
      void this.queue(() => this.signInAndConnect(refused));
    });
    this.cometd.on('message', (data) => this.emit('message', data));
    // The server resends an unacknowledged batch to the same session for ever: a reply too
    // large once is too large at every retry. A new session leaves the batch behind, and its
    // handshake brings a resync (REST) that catches what the batch carried. Backed off, so a
    // server that does it again and again is not hammered; never online meanwhile.
    this.cometd.on('oversize', ({ limit }) => {
      this.emit('problem', {
        during: 'notifications',
        error: { kind: 'protocol', message: `A reply over ${limit} bytes was cut off` },
      });
      this.oversized++;
      const delay = Math.min(
        (this.options.backoffIncrement ?? 1_000) * (this.oversized - 1),
        this.options.maxBackoff ?? 15_000,
      );
      const generation = this.generation;
      clearTimeout(this.retryTimer);
      this.retryTimer = setTimeout(
        () =>
          void this.queue(async () => {
            if (!this.running || generation !== this.generation) return;
            await this.cometd.stop(500);
            if (this.running && generation === this.generation) this.cometd.start();
          }),
        delay,
      );
    });
  }

  get health(): TransportHealth {
    return this.current;
  }

  get user(): GwsUser | undefined {
    return this.client.user;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.generation++;
    this.setHealth({ phase: 'connecting' });
    void this.queue(() => this.signInAndConnect());
  }

  stop(): Promise<void> {
    // Before the queue: whatever is queued or running sees the new generation and stops.
    this.running = false;
    this.generation++;
    clearTimeout(this.retryTimer);
    return this.queue(() => this.cometd.stop());
  }

  /** Network back or machine resumed: retry at once instead of waiting for the backoff. */
  reconnectNow(): Promise<void> {
    return this.queue(async () => {
      if (!this.running) return;
      clearTimeout(this.retryTimer);
      if (this.cometd.active) await this.cometd.reconnectNow();
      else await this.signInAndConnect();
    });
  }

  /** Runs `step` after every step queued before it, so no two ever interleave. */
  private queue(step: () => Promise<void>): Promise<void> {
    const next = this.serial.then(step);
    this.serial = next.catch(() => {});
    return next;
  }

  /** `refusedSession`: the REST session CometD was refused with; a newer one is reused. */
  private async signInAndConnect(refusedSession?: number): Promise<void> {
    const generation = this.generation;
    if (!this.running) return;
    await this.cometd.stop(500);
    if (refusedSession !== undefined && this.client.sessionNumber !== refusedSession) {
      if (generation === this.generation) this.cometd.start();
      return;
    }
    const signedIn = await this.client.signIn();
    if (generation !== this.generation) return;
    if (!signedIn.ok) {
      this.emit('problem', { during: 'sign-in', error: signedIn.error });
      if (signedIn.error.kind === 'credentials') {
        this.running = false;
        this.emit('signed-out', { reason: signedIn.error.message });
        return;
      }
      // Anything else may pass (network, server, even TLS or a URL fixed on the server side):
      // our own backoff for REST, the same shape as CometD's: 1, 2, 3 ... s, capped.
      this.restAttempts++;
      const delay = Math.min(
        (this.options.backoffIncrement ?? 1_000) * this.restAttempts,
        this.options.maxBackoff ?? 15_000,
      );
      this.onLost(signedIn.error.message, delay);
      clearTimeout(this.retryTimer);
      this.retryTimer = setTimeout(() => void this.queue(() => this.signInAndConnect()), delay);
      return;
    }
    this.cometd.start();
  }

  private onOnline(): void {
    this.restAttempts = 0;
    this.oversized = 0;
    const recovered = this.lost !== null && !this.handshakeSinceLoss;
    this.lost = null;
    this.setHealth({ phase: 'connected', channel: this.channel });
    if (recovered) this.emit('recovered');
  }

  private onChannel(
    channel: { subscribed: true } | { subscribed: false; reason: string; retryIn: number },
  ): void {
    const previous = this.channel;
    const next: ChannelHealth = channel.subscribed
      ? { state: 'subscribed' }
      : {
          state: 'failed',
          since: previous.state === 'failed' ? previous.since : this.now(),
          attempt: previous.state === 'failed' ? previous.attempt + 1 : 1,
          retryAt: this.now() + channel.retryIn,
          reason: channel.reason,
        };
    this.channel = next;
    // The subscribe reply can come before the first /meta/connect reply: it is connected.
    this.lost = null;
    this.setHealth({ phase: 'connected', channel: next });
    if (next.state === 'subscribed') this.emit('listening');
  }

  private onLost(reason: string, retryIn: number | null): void {
    if (!this.running) return;
    if (!this.lost) {
      this.lost = { since: this.now(), attempt: 0 };
      this.handshakeSinceLoss = false;
    }
    this.lost.attempt++;
    this.setHealth({
      phase: 'lost',
      since: this.lost.since,
      attempt: this.lost.attempt,
      retryAt: retryIn === null ? null : this.now() + retryIn,
      reason,
    });
  }

  /** `keepLost`: a handshake during an outage is not yet a recovery. */
  private setHealth(health: TransportHealth, keepLost = false): void {
    if (keepLost && this.current.phase === 'lost') return;
    this.current = health;
    this.emit('health', health);
  }
}
