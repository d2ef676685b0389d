import type { GwsUser, WorkbinInfo } from '../contract/domain.js';
import type { GwsError } from '../contract/errors.js';
import { ownerGroup } from '../contract/keys.js';
import { err, ok, type Result } from '../contract/result.js';
import type { SessionCookies } from './cookie-jar.js';
import { fromFetchFailure, fromStatus } from './errors.js';
import { BodyUnreadable, readJsonBody } from './json-body.js';
import { proxiedFetch } from './proxy.js';
import {
  readContents,
  readReferenceId,
  readReferenceIds,
  readUser,
  readWorkbins,
  successBody,
} from './responses.js';
import { apiUrl } from './server-url.js';

export interface Credentials {
  readonly user: string;
  readonly password: string;
}

export interface GwsClientOptions {
  readonly baseUrl: URL;
  readonly credentials: Credentials;
  readonly cookies: SessionCookies;
  /** Per request, ms. */
  readonly timeout?: number;
  /** After every successful sign-in: the session's cookie and CSRF header are new. */
  readonly onSignedIn?: () => void;
  /**
   * The largest answer read, in bytes (default 256 MiB: a 100,000-item workbin's contents
   * are about 130 MB). A larger one is refused, not buffered: a broken or hostile server
   * must not take the app's memory.
   */
  readonly maxBodyBytes?: number;
}

const MAX_BODY_BYTES = 256 * 1024 * 1024;

export type SubscriptionOperation = 'Subscribe' | 'Unsubscribe';

type Body = Record<string, unknown>;

/**
 * The GWS REST calls the app makes. Holds the session (cookie jar + CSRF token); a request
 * that finds the session gone signs in again once with the stored credentials. One sign-in at
 * a time: requests that find the session gone together wait for the same sign-in.
 */
export class GwsClient {
  private csrf: { header: string; token: string } | undefined;
  private me: GwsUser | undefined;
  private signingIn: Promise<Result<GwsUser, GwsError>> | undefined;
  /** Node's fetch, or behind a proxy (HTTPS_PROXY, NO_PROXY) undici's with its dispatcher. */
  private readonly fetch: typeof fetch;
  /** Bumped by every successful sign-in: a 401 from an older session needs no new one. */
  private sessionGeneration = 0;

  constructor(private readonly options: GwsClientOptions) {
    this.fetch = proxiedFetch() ?? fetch;
  }

  get baseUrl(): URL {
    return this.options.baseUrl;
  }

  get user(): GwsUser | undefined {
    return this.me;
  }

  /** Changes with every successful sign-in: which session a failure happened in. */
  get sessionNumber(): number {
    return this.sessionGeneration;
  }

  /** Extra headers that every request of this session must carry (CometD's too). */
  sessionHeaders(): Record<string, string> {
    return this.csrf ? { [this.csrf.header]: this.csrf.token } : {};
  }

  /**
   * Signs in with basic auth; the server sets JSESSIONID and hands out a CSRF token. The old
   * cookie stays in the jar until the answer replaces it: requests still in flight keep
   * theirs, and a 401 they get waits for this sign-in rather than starting another.
   */
  signIn(): Promise<Result<GwsUser, GwsError>> {
    this.signingIn ??= this.freshSignIn().finally(() => {
      this.signingIn = undefined;
    });
    return this.signingIn;
  }

  private async freshSignIn(): Promise<Result<GwsUser, GwsError>> {
    const { user, password } = this.options.credentials;
    const basic = Buffer.from(`${user}:${password}`, 'utf8').toString('base64');
    const result = await this.send(
      'GET',
      '/me',
      undefined,
      { Authorization: `Basic ${basic}` },
      true,
    );
    if (!result.ok) return result;
    const me = readUser(result.value);
    if (!me) return err({ kind: 'protocol', message: 'Sign-in answer has no user' });
    this.me = me;
    this.sessionGeneration++;
    this.options.onSignedIn?.();
    return ok(me);
  }

  /**
   * The owner's workbins. For a group (see `groupOwner`), the group workbins of its type from
   * `GET /workbins?fields=*`, which lists every valid workbin: `/me/workbins` lists only the
   * agent's own (Agent and Place) ones.
   */
  /** Another user, as GWS's user resource describes them (`GET /api/v2/users/{id}`). */
  async userInfo(userId: string): Promise<Result<GwsUser, GwsError>> {
    const result = await this.request('GET', `/users/${encodeURIComponent(userId)}`);
    if (!result.ok) return result;
    const user = readUser(result.value);
    return user ? ok(user) : err({ kind: 'protocol', message: 'User answer has no user' });
  }

  async listWorkbins(owner?: string): Promise<Result<WorkbinInfo[], GwsError>> {
    const group = owner === undefined ? null : ownerGroup(owner);
    const path = group ? '/workbins?fields=*' : `${this.workbinsPath(owner)}?fields=*`;
    const result = await this.request('GET', path);
    if (!result.ok) return result;
    const workbins = readWorkbins(result.value, owner ?? this.me?.id ?? '');
    if (!workbins) return err({ kind: 'protocol', message: 'Workbin list malformed' });
    return ok(group ? workbins.filter((w) => w.type === group.type) : workbins);
  }

  /** The raw `workbin` object of a contents answer; the workbins module reads the items. */
  async workbinContents(workbinId: string, owner?: string): Promise<Result<Body, GwsError>> {
    const path = `${this.workbinPath(workbinId, owner)}${this.query(owner, 'subresources=*')}`;
    const result = await this.request('GET', path);
    if (!result.ok) return result;
    const contents = readContents(result.value);
    return contents
      ? ok(contents)
      : err({ kind: 'protocol', message: 'Workbin contents malformed' });
  }

  /** Asks for (un)subscription; the answer comes later on /v2/me/workbins with this referenceId. */
  async subscription(
    operation: SubscriptionOperation,
    workbinId: string,
    owner?: string,
  ): Promise<Result<number, GwsError>> {
    const path = `${this.workbinPath(workbinId, owner)}${this.query(owner)}`;
    const result = await this.request('POST', path, { operationName: operation });
    if (!result.ok) return result;
    const referenceId = readReferenceId(result.value);
    return referenceId === undefined
      ? err({ kind: 'protocol', message: 'Subscription answer has no referenceId' })
      : ok(referenceId);
  }

  /**
   * Several workbins in one request: GWS answers a referenceId per workbin. Group workbins
   * are subscribed one by one (`?agentGroup=` / `?placeGroup=`), as documented.
   */
  async subscriptions(
    operation: SubscriptionOperation,
    workbinIds: readonly string[],
    owner?: string,
  ): Promise<Result<Record<string, number>, GwsError>> {
    if (owner !== undefined && ownerGroup(owner)) {
      const answers = await Promise.all(
        workbinIds.map((id) => this.subscription(operation, id, owner)),
      );
      const referenceIds: Record<string, number> = {};
      for (const [i, answer] of answers.entries()) {
        if (!answer.ok) return answer;
        referenceIds[workbinIds[i] as string] = answer.value;
      }
      return ok(referenceIds);
    }
    const ids = workbinIds.map(encodeURIComponent).join(',');
    const path = `${this.workbinsPath(owner)}?workbinIds=${ids}`;
    const result = await this.request('POST', path, { operationName: operation });
    if (!result.ok) return result;
    const referenceIds = readReferenceIds(result.value);
    return referenceIds
      ? ok(referenceIds)
      : err({ kind: 'protocol', message: 'Subscription answer has no referenceIds' });
  }

  /** A user's workbins; group workbins are the agent's own (`/me`), named by a parameter. */
  private workbinsPath(owner: string | undefined): string {
    return owner === undefined || owner === this.me?.id || ownerGroup(owner)
      ? '/me/workbins'
      : `/users/${encodeURIComponent(owner)}/workbins`;
  }

  private workbinPath(workbinId: string, owner: string | undefined): string {
    return `${this.workbinsPath(owner)}/${encodeURIComponent(workbinId)}`;
  }

  /** The query string: `first`, then `agentGroup=` or `placeGroup=` for a group's workbin. */
  private query(owner: string | undefined, first?: string): string {
    const group = owner === undefined ? null : ownerGroup(owner);
    const parts = [
      ...(first ? [first] : []),
      ...(group
        ? [
            `${group.type === 'AgentGroup' ? 'agentGroup' : 'placeGroup'}=${encodeURIComponent(group.name)}`,
          ]
        : []),
    ];
    return parts.length > 0 ? `?${parts.join('&')}` : '';
  }

  private async request(
    method: string,
    path: string,
    body?: Body,
  ): Promise<Result<Body, GwsError>> {
    const generation = this.sessionGeneration;
    const first = await this.send(method, path, body, {}, false);
    if (first.ok || first.error.kind !== 'credentials') return first;
    // The server forgot the session (restart, expiry): sign in again once, then retry. If a
    // sign-in already replaced the session this request was sent with, just retry.
    if (generation === this.sessionGeneration || this.signingIn) {
      const again = await this.signIn();
      if (!again.ok) return again;
    }
    return this.send(method, path, body, {}, false);
  }

  private async send(
    method: string,
    path: string,
    body: Body | undefined,
    headers: Record<string, string>,
    signingIn: boolean,
  ): Promise<Result<Body, GwsError>> {
    const url = apiUrl(this.options.baseUrl, path);
    // A sign-in asks for a new session: it does not present the one it replaces.
    const cookie = signingIn ? '' : this.options.cookies.header(url);
    let response: Response;
    try {
      response = await this.fetch(url, {
        method,
        headers: {
          Accept: 'application/json',
          ...(body !== undefined && { 'Content-Type': 'application/json' }),
          ...(cookie && { Cookie: cookie }),
          ...this.sessionHeaders(),
          ...headers,
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
        redirect: 'error',
        signal: AbortSignal.timeout(this.options.timeout ?? 15_000),
      });
    } catch (error) {
      return err(fromFetchFailure(error));
    }
    this.options.cookies.store(url, response.headers.getSetCookie());
    const csrfHeader = response.headers.get('x-csrf-header');
    const csrfToken = csrfHeader ? response.headers.get(csrfHeader) : null;
    if (csrfHeader && csrfToken) this.csrf = { header: csrfHeader, token: csrfToken };

    const max = this.options.maxBodyBytes ?? MAX_BODY_BYTES;
    let answer: { value: unknown } | null;
    try {
      answer = await readJsonBody(response, max);
    } catch (error) {
      if (error instanceof BodyUnreadable)
        return err({
          kind: 'protocol',
          message: `${method} ${path}: the answer could not be read (${error.message})`,
        });
      return err(fromFetchFailure(error));
    }
    if (answer === null)
      return err({
        kind: 'protocol',
        message: `${method} ${path}: answer larger than ${max} bytes`,
      });
    const parsed = answer.value;
    if (!response.ok) {
      const message =
        (parsed as { statusMessage?: unknown } | undefined)?.statusMessage ?? response.statusText;
      return err(fromStatus(response.status, String(message), signingIn));
    }
    const success = successBody(parsed);
    if (!success) {
      return err({ kind: 'protocol', message: `${method} ${path}: not a GWS success answer` });
    }
    return ok(success);
  }
}
