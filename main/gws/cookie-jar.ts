import { CookieJar } from 'tough-cookie';

/**
 * The one cookie store for a GWS session: the REST client and the CometD transport both read
 * and write it, so the JSESSIONID that sign-in receives is the one the handshake sends.
 */
export class SessionCookies {
  private jar = new CookieJar();

  store(url: URL | string, setCookieHeaders: readonly string[]): void {
    for (const header of setCookieHeaders) {
      // A cookie the server sends for another domain is ignored, not fatal.
      this.jar.setCookieSync(header, url.toString(), { ignoreError: true });
    }
  }

  header(url: URL | string): string {
    return this.jar.getCookieStringSync(url.toString());
  }

  /** `name=value` pairs, as cometd-nodejs-client's cookie hook wants them. */
  pairs(url: URL | string): string[] {
    return this.jar.getCookiesSync(url.toString()).map((c) => c.cookieString());
  }

  clear(): void {
    this.jar = new CookieJar();
  }
}
