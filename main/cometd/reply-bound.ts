import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';

interface Bound {
  /** `host[:port]` as the Host header carries it. */
  readonly host: string;
  readonly origin: string;
  readonly path: string;
  readonly maxBytes: number;
  readonly onOversize: (bytes: number) => void;
}

const bounds = new Set<Bound>();
const CHANNEL = 'http.client.request.start';

/**
 * cometd-nodejs-client reads every reply whole into a private string and offers no limit or
 * agent to hook: a server that streamed a gigabyte into one long poll would take it all.
 * Node announces each HTTP request it starts on a diagnostics channel; a request to a
 * bounded URL has its reply counted, and is cut off (an ordinary transport failure that
 * CometD retries) once it grows past the bound.
 */
function onRequestStart(message: unknown): void {
  const request = (message as { request?: ClientRequest }).request;
  if (!request) return;
  const host = String(request.getHeader('host') ?? '');
  // Through an HTTP proxy the path is the absolute URL.
  const bound = [...bounds].find(
    (b) =>
      b.host === host &&
      (request.path.startsWith(b.path) || request.path.startsWith(`${b.origin}${b.path}`)),
  );
  if (!bound) return;
  request.on('response', (response: IncomingMessage) => {
    let bytes = 0;
    response.on('data', (chunk: Buffer | string) => {
      if (request.destroyed) return;
      bytes += chunk.length;
      if (bytes <= bound.maxBytes) return;
      request.destroy(new Error(`reply over ${bound.maxBytes} bytes`));
      bound.onOversize(bytes);
    });
  });
}

/** Bounds every reply from `url` (and below it) to `maxBytes`; returns the release. */
export function boundReplies(
  url: URL,
  maxBytes: number,
  onOversize: (bytes: number) => void,
): () => void {
  const bound: Bound = {
    host: url.host,
    origin: url.origin,
    path: url.pathname,
    maxBytes,
    onOversize,
  };
  if (bounds.size === 0) subscribe(CHANNEL, onRequestStart);
  bounds.add(bound);
  return () => {
    if (!bounds.delete(bound)) return;
    if (bounds.size === 0) unsubscribe(CHANNEL, onRequestStart);
  };
}
