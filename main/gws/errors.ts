import type { GwsError } from '../contract/errors.js';

const TLS_CODES = /^(CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|ERR_TLS|ERR_SSL|HOSTNAME_MISMATCH)/;

/** Classifies what `fetch` threw (undici puts the system error in `cause`). */
export function fromFetchFailure(error: unknown): GwsError {
  if (
    error instanceof DOMException &&
    (error.name === 'TimeoutError' || error.name === 'AbortError')
  ) {
    return { kind: 'timeout', message: 'The server did not answer in time' };
  }
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  const detail = typeof cause?.message === 'string' ? cause.message : String(error);
  if (code && TLS_CODES.test(code)) {
    return { kind: 'tls', code, message: `TLS certificate not accepted: ${detail}` };
  }
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT') {
    return { kind: 'timeout', message: 'The server did not answer in time' };
  }
  return { kind: 'network', message: `Cannot reach the server: ${detail}`, ...(code && { code }) };
}

export function fromStatus(status: number, message: string, signingIn: boolean): GwsError {
  if (status === 401 || (status === 403 && signingIn))
    return { kind: 'credentials', status, message };
  if (status === 403) return { kind: 'forbidden', status, message };
  if (status === 404) return { kind: 'not-found', status, message };
  if (status >= 500) return { kind: 'server', status, message };
  return { kind: 'protocol', message: `HTTP ${status}: ${message}` };
}
