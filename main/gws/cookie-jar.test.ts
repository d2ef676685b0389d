import { afterEach, describe, expect, it, vi } from 'vitest';
import { SessionCookies } from './cookie-jar.js';

const BASE = 'https://gws.example.com';
const NOTIFICATIONS = `${BASE}/api/v2/notifications`;

describe('SessionCookies', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('answers a URL with the cookies that match it, as pairs and as a header', () => {
    const cookies = new SessionCookies();
    cookies.store(`${BASE}/api/v2/signin`, ['JSESSIONID=a1; Path=/; HttpOnly; Secure']);
    cookies.store(NOTIFICATIONS, ['BAYEUX_BROWSER=b2; Path=/api/v2/notifications']);

    expect(cookies.pairs(NOTIFICATIONS)).toEqual(['BAYEUX_BROWSER=b2', 'JSESSIONID=a1']);
    expect(cookies.header(NOTIFICATIONS)).toBe('BAYEUX_BROWSER=b2; JSESSIONID=a1');
    expect(cookies.header(`${BASE}/api/v2/me`)).toBe('JSESSIONID=a1');
    expect(cookies.header('http://gws.example.com/api/v2/me')).toBe('');
    expect(cookies.header('https://other.example.com/api/v2/me')).toBe('');
  });

  it('orders them as a browser does: the longer path first, then the older', () => {
    const cookies = new SessionCookies();
    cookies.store(`${BASE}/api/v2/signin`, ['D=1; Domain=example.com; Path=/']);
    cookies.store(`${BASE}/api/v2/signin`, ['A=1; Path=/api']);
    cookies.store(`${BASE}/api/v2/signin`, ['B=1; Path=/']);
    expect(cookies.header(NOTIFICATIONS)).toBe('A=1; D=1; B=1');
    expect(cookies.pairs(NOTIFICATIONS)).toEqual(['A=1', 'D=1', 'B=1']);
  });

  it('sends a cookie stored after the same URL was answered (the answer is not kept past it)', () => {
    const cookies = new SessionCookies();
    cookies.store(BASE, ['JSESSIONID=first; Path=/']);
    expect(cookies.header(NOTIFICATIONS)).toBe('JSESSIONID=first');

    // A re-sign-in replaces the session cookie: the next long poll must carry the new one.
    cookies.store(BASE, ['JSESSIONID=second; Path=/']);
    expect(cookies.header(NOTIFICATIONS)).toBe('JSESSIONID=second');
    expect(cookies.pairs(NOTIFICATIONS)).toEqual(['JSESSIONID=second']);

    cookies.clear();
    expect(cookies.header(NOTIFICATIONS)).toBe('');
  });

  it('stops sending a cookie once it has expired, however often the URL was answered', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-28T10:00:00Z'));
    const cookies = new SessionCookies();
    cookies.store(BASE, ['JSESSIONID=s; Path=/', 'LB=node7; Path=/; Max-Age=60']);
    for (let i = 0; i < 3; i++)
      expect(cookies.header(NOTIFICATIONS)).toBe('JSESSIONID=s; LB=node7');

    vi.setSystemTime(new Date('2026-11-28T10:01:01Z'));
    expect(cookies.header(NOTIFICATIONS)).toBe('JSESSIONID=s');
    expect(cookies.pairs(NOTIFICATIONS)).toEqual(['JSESSIONID=s']);
  });

  it('gives every caller its own list of pairs', () => {
    const cookies = new SessionCookies();
    cookies.store(BASE, ['JSESSIONID=s; Path=/']);
    cookies.pairs(NOTIFICATIONS).push('EVIL=1');
    expect(cookies.pairs(NOTIFICATIONS)).toEqual(['JSESSIONID=s']);
  });

  it('answers many different URLs right (the answers kept are bounded, not wrong)', () => {
    const cookies = new SessionCookies();
    cookies.store(BASE, ['JSESSIONID=s; Path=/']);
    cookies.store(`${BASE}/api/v2/workbins/w7`, ['W=7; Path=/api/v2/workbins/w7']);
    for (let i = 0; i < 500; i++)
      expect(cookies.header(`${BASE}/api/v2/workbins/w${i}`)).toBe(
        i === 7 ? 'W=7; JSESSIONID=s' : 'JSESSIONID=s',
      );
    expect(cookies.header(`${BASE}/api/v2/workbins/w7`)).toBe('W=7; JSESSIONID=s');
  });
});
