/**
 * Test support: a simulator plus a real CometD client signed in to it, with a way to wait for
 * what arrives. Used by the simulator's and the core's integration tests.
 */
import { type CometdEvents, CometdSession, type Transport } from '../main/cometd/session.js';
import { GwsClient } from '../main/gws/client.js';
import { SessionCookies } from '../main/gws/cookie-jar.js';
import { apiUrl } from '../main/gws/server-url.js';
import { GwsSimulator, type SimulatorOptions } from './simulator.js';

export async function startSimulator(options: SimulatorOptions = {}): Promise<GwsSimulator> {
  const sim = new GwsSimulator({ timeout: 5_000, maxInterval: 3_000, ...options });
  await sim.start();
  return sim;
}

/** Polls `check` (which may be async) until it gives a value other than undefined/false. */
export async function waitFor<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeout = 5_000,
): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export interface TestClient {
  readonly rest: GwsClient;
  readonly cometd: CometdSession;
  readonly messages: Record<string, unknown>[];
  readonly events: Array<{ type: keyof CometdEvents; detail?: unknown }>;
  /** Waits for a /v2/me/workbins message matching `match`, returns it. */
  message(
    match: (m: Record<string, unknown>) => boolean,
    what: string,
    timeout?: number,
  ): Promise<Record<string, unknown>>;
  event(type: keyof CometdEvents, count?: number): Promise<void>;
  close(): Promise<void>;
}

export async function connectClient(
  sim: GwsSimulator,
  user: string,
  password = 'demo',
  transport: Transport = 'long-polling',
): Promise<TestClient> {
  const cookies = new SessionCookies();
  const baseUrl = new URL(sim.url);
  const rest = new GwsClient({ baseUrl, credentials: { user, password }, cookies });
  const signedIn = await rest.signIn();
  if (!signedIn.ok) throw new Error(`sign-in failed: ${signedIn.error.message}`);
  const cometd = new CometdSession({
    url: apiUrl(baseUrl, '/notifications').toString(),
    cookies,
    headers: () => rest.sessionHeaders(),
    transport,
    maxBackoff: 2_000,
    backoffIncrement: 200,
  });
  const messages: Record<string, unknown>[] = [];
  const events: TestClient['events'] = [];
  for (const type of ['handshake', 'subscribed', 'online', 'failure', 'unauthorized'] as const) {
    cometd.on(type, (detail?: unknown) => events.push({ type, detail }));
  }
  cometd.on('message', (data) => messages.push(data as Record<string, unknown>));
  cometd.start();
  const client: TestClient = {
    rest,
    cometd,
    messages,
    events,
    message: (match, what, timeout) => waitFor(() => messages.find(match), what, timeout),
    event: async (type, count = 1) => {
      await waitFor(
        () => events.filter((e) => e.type === type).length >= count,
        `${count}× ${type}`,
      );
    },
    close: () => cometd.stop(),
  };
  await client.event('subscribed');
  return client;
}
