import type { GwsError } from '../contract/errors.js';
import { err, ok, type Result } from '../contract/result.js';

/**
 * Normalises what a user types as "server": `https://gws.example.com`, with or without a
 * trailing `/api/v2`, becomes the base that API paths are appended to.
 */
export function parseServerUrl(input: string): Result<URL, GwsError> {
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
