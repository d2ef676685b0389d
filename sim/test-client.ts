/**
 * A GWS client for the simulator's own tests, written against the documentation with the
 * plain `cometd` library and `fetch`, and nothing from main/: the simulator is the oracle the
 * app is tested against, so it is checked by a client that cannot share the app's mistakes.
 */
import { AckExtension, CometD, type Message } from 'cometd';
import { adapt } from 'cometd-nodejs-client';
import { waitFor } from './harness.js';
import type { GwsSimulator } from './simulator.js';

export type Json = Record<string, unknown>;

export interface RestAnswer {
  readonly status: number;
  readonly body: Json;
}

export type ClientEvent = 'handshake' | 'subscribed' | 'online' | 'failure' | 'unauthorized';

/** The session: JSESSIONID and whatever else the server sets, plus the CSRF header. */
class Session {
  readonly cookies = new Map<string, string>();
  csrf: Record<string, string> = {};

  remember(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const pair = header.split(';', 1)[0] ?? '';
      const at = pair.indexOf('=');
      if (at > 0) this.cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    }
    const name = response.headers.get('x-csrf-header');
    const token = name ? response.headers.get(name) : null;
    if (name && token) this.csrf = { [name]: token };
  }

  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

export class SimTestClient {
  readonly messages: Json[] = [];
  readonly events: Array<{ type: ClientEvent; detail?: unknown }> = [];
  private readonly session = new Session();
  private cometd: CometD | undefined;

  constructor(
    private readonly base: string,
    private readonly user: string,
    private readonly password: string,
  ) {}

  /** `GET /api/v2/me` with basic auth: what sets the session. */
  async signIn(password = this.password): Promise<RestAnswer> {
    const basic = Buffer.from(`${this.user}:${password}`).toString('base64');
    return this.call('GET', '/me', undefined, { Authorization: `Basic ${basic}` });
  }

  get(path: string): Promise<RestAnswer> {
    return this.call('GET', path);
  }

  post(path: string, body: Json): Promise<RestAnswer> {
    return this.call('POST', path, body);
  }

  /** A CometD session on /api/v2/notifications, subscribed to /v2/me/workbins. */
  connect(transport: 'long-polling' | 'websocket'): void {
    const session = this.session;
    adapt({
      cookies: {
        storeCookie: (
          _uri: URL,
          header: string,
          callback: (e: Error | null, cookie: unknown) => void,
        ) => {
          const pair = header.split(';', 1)[0] ?? '';
          const at = pair.indexOf('=');
          if (at > 0) session.cookies.set(pair.slice(0, at), pair.slice(at + 1));
          callback(null, undefined);
        },
        retrieveCookies: (
          _context: unknown,
          _uri: URL,
          callback: (e: Error | null, cookies: string[]) => void,
        ) =>
          callback(
            null,
            [...session.cookies].map(([n, v]) => `${n}=${v}`),
          ),
      },
    });
    const cometd = new CometD();
    this.cometd = cometd;
    cometd.unregisterTransport('callback-polling');
    if (transport === 'long-polling') cometd.unregisterTransport('websocket');
    cometd.configure({
      url: `${this.base}/api/v2/notifications`,
      logLevel: 'warn',
      maxBackoff: 2_000,
      backoffIncrement: 200,
      requestHeaders: session.csrf,
    });
    // The simulator runs the ack extension: a reply lost with a dropped connection is resent.
    cometd.registerExtension('ack', new AckExtension());
    let connected = false;
    const failed = (message: Message) => {
      const httpCode = (message as Message & { failure?: { httpCode?: number } }).failure?.httpCode;
      if (httpCode === 401 || httpCode === 403) {
        this.events.push({ type: 'unauthorized', detail: { httpCode } });
        this.cometd = undefined;
        cometd.disconnect();
      } else {
        this.events.push({ type: 'failure', detail: message });
      }
    };
    cometd.addListener('/meta/handshake', (message) => {
      if (!message.successful) return failed(message);
      this.events.push({
        type: 'handshake',
        detail: { reestablish: message.reestablish === true },
      });
      cometd.subscribe(
        '/v2/me/workbins',
        (m) => this.messages.push(m.data as Json),
        (reply) => {
          if (reply.successful) this.events.push({ type: 'subscribed' });
        },
      );
    });
    cometd.addListener('/meta/connect', (message) => {
      if (cometd !== this.cometd) return;
      if (!message.successful) {
        connected = false;
        return failed(message);
      }
      if (!connected) this.events.push({ type: 'online' });
      connected = true;
    });
    cometd.handshake();
  }

  message(match: (m: Json) => boolean, what: string, timeout?: number): Promise<Json> {
    return waitFor(() => this.messages.find(match), what, timeout);
  }

  async event(type: ClientEvent, count = 1): Promise<void> {
    await waitFor(
      () => this.events.filter((e) => e.type === type).length >= count,
      `${count}× ${type}`,
    );
  }

  async close(): Promise<void> {
    const cometd = this.cometd;
    this.cometd = undefined;
    if (!cometd) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 1_000);
      cometd.disconnect(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private async call(
    method: string,
    path: string,
    body?: Json,
    headers: Record<string, string> = {},
  ): Promise<RestAnswer> {
    const cookie = this.session.cookieHeader();
    const response = await fetch(`${this.base}/api/v2${path}`, {
      method,
      headers: {
        Accept: 'application/json',
        ...(body && { 'Content-Type': 'application/json' }),
        ...(cookie && { Cookie: cookie }),
        ...this.session.csrf,
        ...headers,
      },
      ...(body && { body: JSON.stringify(body) }),
    });
    this.session.remember(response);
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = { text };
    }
    return { status: response.status, body: parsed as Json };
  }
}

/** Signs in, connects, and waits until /v2/me/workbins is subscribed. */
export async function connectClient(
  sim: GwsSimulator,
  user: string,
  password = 'demo',
  transport: 'long-polling' | 'websocket' = 'long-polling',
): Promise<SimTestClient> {
  const client = new SimTestClient(sim.url, user, password);
  const signedIn = await client.signIn();
  if (signedIn.status !== 200) throw new Error(`sign-in failed: HTTP ${signedIn.status}`);
  client.connect(transport);
  await client.event('subscribed');
  return client;
}
