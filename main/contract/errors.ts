/**
 * Everything that can go wrong talking to GWS, as data: the session logic acts on the kind
 * (retry, or stop and ask for credentials) and the UI turns it into words at the edge.
 */
export type GwsError =
  | { kind: 'bad-url'; message: string }
  | { kind: 'network'; message: string; code?: string }
  | { kind: 'tls'; message: string; code?: string }
  | { kind: 'timeout'; message: string }
  /** 401, or 403 at sign-in: the credentials or the session are not accepted. */
  | { kind: 'credentials'; status: number; message: string }
  /** 403 on a signed-in request: CSRF token or role missing. */
  | { kind: 'forbidden'; status: number; message: string }
  | { kind: 'not-found'; status: number; message: string }
  | { kind: 'server'; status: number; message: string }
  /** The server answered, but not with what GWS answers. */
  | { kind: 'protocol'; message: string };

export type SignInField = 'server' | 'user' | 'password';

/**
 * Why a sign-in did not happen: a field left empty, what the server said, or a sign-out or
 * a newer sign-in that took its place while it was under way.
 */
export type SignInError =
  | GwsError
  | { kind: 'empty-field'; field: SignInField }
  | { kind: 'superseded' };
