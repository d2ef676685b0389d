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
 * cometd-nodejs-client reads every reply into a private string, chunk by chunk, and offers no
 * limit, decoder or agent to hook. Two faults follow: each chunk is decoded on its own, so a
 * character whose UTF-8 bytes TCP split between two packets became two U+FFFD; and a server
 * that streamed a gigabyte into one long poll would have it all taken in. Node announces each
 * HTTP request it starts on a diagnostics channel; a request to a guarded URL has its reply
 * decoded as one UTF-8 stream, its bytes counted, and is cut off (an ordinary transport
 * failure that CometD retries) once it grows past the bound.
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
    // The client's own listener was added first but has not read yet: data flows from the
    // next tick, so every chunk it takes is whole characters.
    response.setEncoding('utf8');
    let bytes = 0;
    response.on('data', (chunk: string) => {
      if (request.destroyed) return;
      bytes += Buffer.byteLength(chunk);
      if (bytes <= bound.maxBytes) return;
      request.destroy(new Error(`reply over ${bound.maxBytes} bytes`));
      bound.onOversize(bytes);
    });
  });
}

/**
 * Decodes every reply from `url` (and below it) as one UTF-8 stream and bounds it to
 * `maxBytes`; returns the release.
 */
export function guardReplies(
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
