import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from './csp.js';

describe('contentSecurityPolicy', () => {
  it('lets the app page connect nowhere, and the browser-mode page only back to its host', () => {
    const app = contentSecurityPolicy(null);
    const web = contentSecurityPolicy('ws://127.0.0.1:8080');
    expect(app).not.toContain('connect-src');
    expect(web).toContain("connect-src 'self' ws://127.0.0.1:8080");
    for (const policy of [app, web]) {
      expect(policy).toContain("default-src 'none'");
      expect(policy).toContain("frame-ancestors 'none'");
      expect(policy).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    }
  });
});
