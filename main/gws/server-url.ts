import type { GwsError } from '../contract/errors.js';
import { err, ok, type Result } from '../contract/result.js';

/** This machine: the only place where plain http cannot be read by anyone else. */
export function isLoopback(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Whether credentials and customer data would cross a network unencrypted. */
export function isCleartext(url: URL): boolean {
  return url.protocol === 'http:' && !isLoopback(url);
}

/**
 * Normalises what a user types as "server": `https://gws.example.com`, with or without a
 * trailing `/api/v2`, becomes the base that API paths are appended to. Plain `http://` is
 * refused for anything but this machine (basic auth would send the password in clear text)
 * unless `allowInsecureHttp` says the user chose it.
 */
export function parseServerUrl(
  input: string,
  options: { allowInsecureHttp?: boolean } = {},
): Result<URL, GwsError> {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return err({
      kind: 'bad-url',
      message: `"${input}" is not a URL (expected https://host[:port])`,
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return err({
      kind: 'bad-url',
      message: `${url.protocol} is not supported; use https:// (or http:// on a trusted network)`,
    });
  }
  if (isCleartext(url) && !options.allowInsecureHttp) {
    return err({
      kind: 'bad-url',
      message:
        'http:// would send your password and customer data unencrypted; use https:// (plain http is allowed only for this machine, or with --allow-insecure-http)',
    });
  }
  if (url.username || url.password) {
    return err({
      kind: 'bad-url',
      message: 'Put the user name and password in their own fields, not in the URL',
    });
  }
  url.search = '';
  url.hash = '';
  url.pathname = url.pathname.replace(/\/+$/, '').replace(/\/api\/v2$/, '');
  return ok(url);
}

export function apiUrl(base: URL, path: string): URL {
  return new URL(`${base.pathname.replace(/\/+$/, '')}/api/v2${path}`, base);
}
