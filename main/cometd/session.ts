import { EventEmitter } from 'node:events';
import { AckExtension, CometD, type Message } from 'cometd';
import { adapt } from 'cometd-nodejs-client';
import { WebSocket as WsWebSocket } from 'ws';
import type { SessionCookies } from '../gws/cookie-jar.js';
import { cometdProxy } from '../gws/proxy.js';
import { promptZeroDelays } from './prompt-timers.js';
import { guardReplies } from './reply-reading.js';

export const WORKBINS_CHANNEL = '/v2/me/workbins';

export type Transport = 'long-polling' | 'websocket';

export interface CometdSessionOptions {
  /** `<base>/api/v2/notifications` */
  readonly url: string;
  readonly cookies: SessionCookies;
  /** Read before every handshake: the CSRF header of the current REST session. */
  readonly headers: () => Record<string, string>;
  readonly transport?: Transport;
  /** Cap on the retry delay, ms (CometD's default of 60 s is too slow for a desktop app). */
  readonly maxBackoff?: number;
  readonly backoffIncrement?: number;
  /** How long a reply may take beyond the server's hold time, ms. */
  readonly maxNetworkDelay?: number;
  /** The largest reply read, in bytes; a longer one is cut off and counts as a failure. */
  readonly maxReplyBytes?: number;
}

/** GWS sends small notifications; 64 MiB is thousands of them in one long poll. */
export const MAX_REPLY_BYTES = 64 * 1024 * 1024;

/** What the CometD layer reports; the session logic above turns it into a user status. */
export interface CometdEvents {
  /** `reestablish`: the server lost our previous session, so events may have been missed. */
  handshake: [{ reestablish: boolean }];
  /** The subscription to /v2/me/workbins took, or failed and is retried after `retryIn` ms. */
  channel: [{ subscribed: true } | { subscribed: false; reason: string; retryIn: number }];
  online: [];
  /** A handshake or connect failed; CometD retries by itself after `retryIn` ms. */
  failure: [{ reason: string; httpCode: number | null; retryIn: number }];
  /** 401/403: the session cookie is no longer accepted. CometD has been stopped. */
  unauthorized: [{ httpCode: number }];
  message: [data: unknown];
  /** A reply grew past `maxReplyBytes` and was cut off; CometD retries as after any failure. */
  oversize: [{ bytes: number; limit: number }];
}

/** Runtime fields of Message that cometd.d.ts does not declare. */
interface MessageFailure {
  httpCode?: number;
  reason?: string;
  exception?: unknown;
}

function failureOf(message: Message): { reason: string; httpCode: number | null } {
  const failure = (message as Message & { failure?: MessageFailure }).failure;
  const httpCode =
    typeof failure?.httpCode === 'number' && failure.httpCode > 0 ? failure.httpCode : null;
  const exception = failure?.exception instanceof Error ? failure.exception.message : undefined;
  const reason = failure?.reason ?? exception ?? message.error ?? 'connection failed';
  return { reason: httpCode ? `${reason} (HTTP ${httpCode})` : reason, httpCode };
}

// cometd-nodejs-client's adapt() is process-wide: one cookie hook that reads whichever
// CometD client is active. It also replaces console.debug, which we put back. The record is
// bound to one CometD instance, so stopping an older instance never unhooks a newer one.
let active: { readonly cometd: CometD; readonly cookies: SessionCookies } | undefined;
let adapted = false;

/** `target`: the notifications URL, for the proxy choice (HTTPS_PROXY, NO_PROXY). */
function adaptOnce(target: string): void {
  if (adapted) return;
  const debug = console.debug;
  const httpProxy = cometdProxy(new URL(target));
  adapt({
    ...(httpProxy && { httpProxy }),
    cookies: {
      storeCookie(
        uri: URL,
        header: string,
        callback: (failure: Error | null, cookie: unknown) => void,
      ) {
        active?.cookies.store(uri.toString(), [header]);
        callback(null, undefined);
      },
      retrieveCookies(
        _context: unknown,
        uri: URL,
        callback: (failure: Error | null, cookies: string[]) => void,
      ) {
        callback(null, active?.cookies.pairs(uri.toString()) ?? []);
      },
    },
  });
  console.debug = debug;
  adapted = true;
}

/** Unhooks the process-wide cookie hook, if it still belongs to this CometD instance. */
function release(cometd: CometD): void {
  if (active?.cometd === cometd) active = undefined;
}

/** The `window` object cometd-nodejs-client installs. */
interface AdaptedWindow {
  WebSocket: unknown;
}

/**
 * Exactly one CometD client in the process (GWS allows one session per browser id), bound to
 * the REST session's cookies, subscribed to /v2/me/workbins after every successful handshake.
 */
export class CometdSession extends EventEmitter<CometdEvents> {
  private cometd: CometD | undefined;
  private connected = false;
  private channelAttempts = 0;
  private channelTimer: NodeJS.Timeout | undefined;
  private releaseGuard: (() => void) | undefined;

  constructor(private readonly options: CometdSessionOptions) {
    super();
  }

  get active(): boolean {
    return this.cometd !== undefined;
  }

  /** Whether the transport is up (the last /meta/connect succeeded). */
  get isConnected(): boolean {
    return this.connected;
  }

  start(): void {
    if (this.cometd) return;
    if (active) {
      throw new Error('Only one CometD session may run in a process; stop the other first');
    }
    adaptOnce(this.options.url);
    this.installWebSocketHeaders();
    const limit = this.options.maxReplyBytes ?? MAX_REPLY_BYTES;
    this.releaseGuard = guardReplies(new URL(this.options.url), limit, (bytes) =>
      this.emit('oversize', { bytes, limit }),
    );
    const cometd = new CometD();
    promptZeroDelays(cometd);
    this.cometd = cometd;
    active = { cometd, cookies: this.options.cookies };
    cometd.unregisterTransport('callback-polling');
    if (this.options.transport !== 'websocket') cometd.unregisterTransport('websocket');
    cometd.configure({
      url: this.options.url,
      logLevel: 'warn',
      maxBackoff: this.options.maxBackoff ?? 15_000,
      backoffIncrement: this.options.backoffIncrement ?? 1_000,
      maxNetworkDelay: this.options.maxNetworkDelay ?? 10_000,
      requestHeaders: this.options.headers(),
    });
    cometd.registerExtension('ack', new AckExtension());
    cometd.addListener('/meta/handshake', (m) => this.onHandshake(cometd, m));
    cometd.addListener('/meta/connect', (m) => this.onConnect(cometd, m));
    this.connected = false;
    cometd.handshake();
  }

  /** Leaves the server cleanly (best effort, bounded by `timeout`). */
  async stop(timeout = 2_000): Promise<void> {
    const cometd = this.cometd;
    if (!cometd) return;
    this.cometd = undefined;
    this.connected = false;
    clearTimeout(this.channelTimer);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeout);
      cometd.disconnect(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    release(cometd);
    this.releaseGuard?.();
    this.releaseGuard = undefined;
  }

  /**
   * The REST session signed in again: its cookie is in the shared jar already, its CSRF
   * header must go on CometD's requests from now on too.
   */
  refreshHeaders(): void {
    this.cometd?.configure({ url: this.options.url, requestHeaders: this.options.headers() });
  }

  /** Skips the backoff wait: a fresh handshake now (OS resumed, network came back). */
  async reconnectNow(): Promise<void> {
    await this.stop(500);
    this.start();
  }

  private onHandshake(cometd: CometD, message: Message): void {
    if (cometd !== this.cometd) return;
    if (message.successful) {
      // The server forgets subscriptions with the session; renew them on every handshake.
      clearTimeout(this.channelTimer);
      this.channelAttempts = 0;
      this.subscribeChannel(cometd);
      this.emit('handshake', { reestablish: message.reestablish === true });
      return;
    }
    this.onFailure(cometd, message);
  }

  /**
   * Subscribes to /v2/me/workbins. A refused or lost subscribe is retried with backoff: a
   * session that is connected but not subscribed hears nothing, and nothing else would ever
   * subscribe it again until the server forced a new handshake.
   */
  private subscribeChannel(cometd: CometD): void {
    // A failed subscribe leaves nothing behind on the server; locally, start from none.
    cometd.clearSubscriptions();
    cometd.subscribe(
      WORKBINS_CHANNEL,
      (m) => this.emit('message', m.data),
      (reply) => {
        if (cometd !== this.cometd) return;
        if (reply.successful) {
          this.channelAttempts = 0;
          this.emit('channel', { subscribed: true });
          return;
        }
        const { reason, httpCode } = failureOf(reply);
        if (httpCode === 401 || httpCode === 403) {
          this.onFailure(cometd, reply);
          return;
        }
        this.channelAttempts++;
        const retryIn = Math.min(
          (this.options.backoffIncrement ?? 1_000) * this.channelAttempts,
          this.options.maxBackoff ?? 15_000,
        );
        this.emit('channel', { subscribed: false, reason, retryIn });
        clearTimeout(this.channelTimer);
        this.channelTimer = setTimeout(() => {
          if (cometd === this.cometd && !cometd.isDisconnected()) this.subscribeChannel(cometd);
        }, retryIn);
      },
    );
  }

  private onConnect(cometd: CometD, message: Message): void {
    if (cometd !== this.cometd || cometd.isDisconnected()) return;
    if (message.successful) {
      if (!this.connected) {
        this.connected = true;
        this.emit('online');
      }
      return;
    }
    this.connected = false;
    this.onFailure(cometd, message);
  }

  private onFailure(cometd: CometD, message: Message): void {
    const { reason, httpCode } = failureOf(message);
    if (httpCode === 401 || httpCode === 403) {
      // CometD would retry a rejected handshake forever; the session needs signing in again.
      this.cometd = undefined;
      this.connected = false;
      clearTimeout(this.channelTimer);
      cometd.disconnect();
      release(cometd);
      this.emit('unauthorized', { httpCode });
      return;
    }
    this.emit('failure', { reason, httpCode, retryIn: cometd.getBackoffPeriod() });
  }

  /**
   * Over websocket, cometd-nodejs-client sends neither cookies nor headers on the upgrade;
   * GWS needs both, so the WebSocket class it uses is swapped for one that adds them.
   */
  private installWebSocketHeaders(): void {
    if (this.options.transport !== 'websocket') return;
    const win = (globalThis as unknown as { window: AdaptedWindow }).window;
    const options = this.options;
    win.WebSocket = class extends WsWebSocket {
      constructor(url: string, protocols?: string | string[]) {
        const cookie = options.cookies.header(url.replace(/^ws/, 'http'));
        super(url, protocols, {
          headers: { ...options.headers(), ...(cookie && { Cookie: cookie }) },
          // The same bound as a long-poll reply: ws closes the socket on a larger message.
          maxPayload: options.maxReplyBytes ?? MAX_REPLY_BYTES,
        });
      }
    };
  }
}
