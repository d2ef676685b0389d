/**
 * The renderer's Content-Security-Policy, one builder for both hosts: our own script and
 * styles only, nothing inline, no frames, no forms. `connectTo` is where the page may open
 * connections: the browser-mode WebSocket back to its host, or nothing in the app (IPC only).
 */
export function contentSecurityPolicy(connectTo: string | null): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    ...(connectTo === null ? [] : [`connect-src 'self' ${connectTo}`]),
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
