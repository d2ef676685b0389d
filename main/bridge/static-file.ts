import { join, normalize } from 'node:path';

/**
 * The file under `root` that a URL path names ('/' is index.html), or null when the path is
 * malformed or would leave `root`. Browser mode and the app's app:// scheme both serve the
 * renderer through it.
 */
export function staticFile(root: string, pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname === '/' ? '/index.html' : pathname);
  } catch {
    return null;
  }
  const relative = normalize(decoded).replace(/^([/\\])+/, '');
  return relative.startsWith('..') ? null : join(root, relative);
}
