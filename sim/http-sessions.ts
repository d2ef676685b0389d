import { randomBytes } from 'node:crypto';

export interface HttpSession {
  id: string;
  userId: string;
  csrfToken: string;
}

/** GWS's servlet sessions: a JSESSIONID cookie and the CSRF token handed out with it. */
export class HttpSessions {
  private readonly byId = new Map<string, HttpSession>();
  /** Sign-ins ever answered with a new session: how a test counts sign-in storms. */
  created = 0;

  create(userId: string): HttpSession {
    this.created++;
    const session: HttpSession = {
      id: randomBytes(16).toString('hex').toUpperCase(),
      userId,
      csrfToken: randomBytes(16).toString('hex'),
    };
    this.byId.set(session.id, session);
    return session;
  }

  get(id: string | undefined): HttpSession | undefined {
    return id === undefined ? undefined : this.byId.get(id);
  }

  /** Invalidates the sessions of one user, or all; returns how many went. */
  invalidate(userId?: string): number {
    let count = 0;
    for (const [id, session] of this.byId) {
      if (userId === undefined || session.userId === userId) {
        this.byId.delete(id);
        count++;
      }
    }
    return count;
  }

  get size(): number {
    return this.byId.size;
  }
}
