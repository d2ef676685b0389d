import { type Cookie, CookieJar } from 'tough-cookie';

/** URLs whose answers are kept at once; past it they are all forgotten (REST paths name items). */
const ANSWERS_KEPT = 64;

/**
 * The one cookie store for a GWS session: the REST client and the CometD transport both read
 * and write it, so the JSESSIONID that sign-in receives is the one the handshake sends.
 *
 * Every long poll asks it for the same URL's cookies, and the jar's own look-up took 0.1-0.2 ms
 * a request in a running app (cold code between polls): a quarter of the core's work for a
 * one-message reply. So an answer is kept until a cookie is stored, when none of its cookies
 * can expire; one with an expiry is looked up every time, as the jar drops it when it is due.
 */
export class SessionCookies {
  private jar = new CookieJar();
  private readonly answers = new Map<string, readonly string[]>();

  store(url: URL | string, setCookieHeaders: readonly string[]): void {
    if (setCookieHeaders.length === 0) return;
    this.answers.clear();
    for (const header of setCookieHeaders) {
      // A cookie the server sends for another domain is ignored, not fatal.
      this.jar.setCookieSync(header, url.toString(), { ignoreError: true });
    }
  }

  header(url: URL | string): string {
    return this.matching(url.toString()).join('; ');
  }

  /** `name=value` pairs, as cometd-nodejs-client's cookie hook wants them. */
  pairs(url: URL | string): string[] {
    return [...this.matching(url.toString())];
  }

  clear(): void {
    this.jar = new CookieJar();
    this.answers.clear();
  }

  private matching(url: string): readonly string[] {
    const kept = this.answers.get(url);
    if (kept) return kept;
    // In the order `getCookieStringSync` gives them: the longer path first, then the older.
    const cookies = this.jar.getCookiesSync(url, { sort: true });
    const pairs = cookies.map((cookie) => cookie.cookieString());
    if (cookies.every(lastsTheSession)) {
      if (this.answers.size >= ANSWERS_KEPT) this.answers.clear();
      this.answers.set(url, pairs);
    }
    return pairs;
  }
}

/** A cookie without Expires or Max-Age: it goes only when the jar is cleared or it is replaced. */
function lastsTheSession(cookie: Cookie): boolean {
  return cookie.TTL() === Number.POSITIVE_INFINITY;
}
