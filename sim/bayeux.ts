import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { CometDServer, Options, ServerSession } from 'cometd-nodejs-server';

// cometd-nodejs-server is CommonJS without ESM named exports.
const require = createRequire(import.meta.url);
const { createCometDServer } = require('cometd-nodejs-server') as {
  createCometDServer(options: Options): CometDServer;
};
const { AcknowledgedMessagesExtension } = require('cometd-nodejs-server/ack-extension.js') as {
  AcknowledgedMessagesExtension: new () => object;
};

export const WORKBINS_CHANNEL = '/v2/me/workbins';

export interface BayeuxOptions {
  /** How long a /meta/connect is held, ms (GWS: 30 s). */
  timeout: number;
  /** How long the server keeps a session without a connect, ms (GWS: 15 s). */
  maxInterval: number;
}

export interface BayeuxHooks {
  /** The GWS user whose servlet session made this request, if any. */
  userOfRequest(request: IncomingMessage): string | undefined;
  /** A user's CometD session ended (disconnect, expiry, replaced). */
  sessionEnded(userId: string): void;
}

/** The parts of cometd-nodejs-server's session we use that its typings do not declare. */
interface ServerSessionInternals {
  _scheduler?: { cancel(): void } | null;
}
interface CometDServerInternals {
  _removeServerSession(session: ServerSession, timeout: boolean): unknown;
}

/**
 * The notification side of the simulator: one CometD server whose sessions are bound to the
 * GWS user whose JSESSIONID cookie came with the handshake, so each user only gets their own
 * `/v2/me/workbins` traffic, as on GWS.
 */
export class BayeuxEndpoint {
  private readonly server: CometDServer;
  private readonly userBySession = new Map<string, string>();
  private deniedChannelSubscribes = 0;

  constructor(
    options: BayeuxOptions,
    private readonly hooks: BayeuxHooks,
  ) {
    this.server = createCometDServer({
      timeout: options.timeout,
      maxInterval: options.maxInterval,
      sweepPeriod: Math.min(997, options.maxInterval),
      maxSessionsPerBrowser: 1,
    });
    this.server.addExtension(new AcknowledgedMessagesExtension());
    this.server.policy = {
      canHandshake: (session, _message, callback) => {
        const request: IncomingMessage | undefined = this.server.context?.request;
        const userId = request ? this.hooks.userOfRequest(request) : undefined;
        if (userId) this.userBySession.set(session.id, userId);
        callback(undefined, userId !== undefined);
      },
      // GWS clients only listen; nothing they publish is accepted.
      canPublish: (_session, _message, _channel, callback) => callback(undefined, false),
      canSubscribe: (_session, _message, channel, callback) => {
        const deny = channel.name === WORKBINS_CHANNEL && this.deniedChannelSubscribes > 0;
        if (deny) this.deniedChannelSubscribes--;
        callback(undefined, !deny);
      },
    };
    this.server.addListener('sessionRemoved', (session: ServerSession) => {
      const userId = this.userBySession.get(session.id);
      this.userBySession.delete(session.id);
      if (userId !== undefined) this.hooks.sessionEnded(userId);
    });
  }

  /** Denies the next `count` subscribes to /v2/me/workbins (a 403 subscribe_denied reply). */
  denyChannelSubscribes(count: number): void {
    this.deniedChannelSubscribes = count;
  }

  handle(request: IncomingMessage, response: ServerResponse): void {
    this.server.handle(request, response);
  }

  /** Delivers `data` on /v2/me/workbins to every session of `userId` subscribed to it. */
  deliverTo(userId: string, data: unknown): number {
    let delivered = 0;
    for (const session of this.sessionsOf(userId)) {
      if (session.subscriptions.some((c) => c.name === WORKBINS_CHANNEL)) {
        session.deliver(null, WORKBINS_CHANNEL, data);
        delivered++;
      }
    }
    return delivered;
  }

  subscribedUsers(): string[] {
    const users = new Set<string>();
    for (const [sessionId, userId] of this.userBySession) {
      const session = this.server.getServerSession(sessionId);
      if (session?.subscriptions.some((c) => c.name === WORKBINS_CHANNEL)) users.add(userId);
    }
    return [...users];
  }

  sessionCount(): number {
    return this.userBySession.size;
  }

  /**
   * Forgets sessions as if the server had expired them: the client's next /meta/connect is
   * answered `402::session_unknown` with `advice.reconnect: handshake`.
   */
  expireSessions(userId?: string): number {
    const internals = this.server as unknown as CometDServerInternals;
    let expired = 0;
    for (const [sessionId, owner] of [...this.userBySession]) {
      if (userId !== undefined && owner !== userId) continue;
      const session = this.server.getServerSession(sessionId);
      if (!session) continue;
      (session as unknown as ServerSessionInternals)._scheduler?.cancel();
      internals._removeServerSession(session, true);
      expired++;
    }
    return expired;
  }

  close(): void {
    this.server.close();
    this.userBySession.clear();
  }

  private *sessionsOf(userId: string): Iterable<ServerSession> {
    for (const [sessionId, owner] of this.userBySession) {
      if (owner !== userId) continue;
      const session = this.server.getServerSession(sessionId);
      if (session) yield session;
    }
  }
}
