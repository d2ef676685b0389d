import { describe, expect, it } from 'vitest';
import { apiUrl, parseServerUrl } from './server-url.js';

describe('parseServerUrl', () => {
  it('accepts a host with or without /api/v2 and a trailing slash', () => {
    for (const input of [
      'https://gws.example.com',
      'https://gws.example.com/',
      ' https://gws.example.com/api/v2/ ',
    ]) {
      const result = parseServerUrl(input);
      expect(result.ok && result.value.href).toBe('https://gws.example.com/');
    }
  });

  it('keeps a context path', () => {
    const result = parseServerUrl('https://10.0.0.5:8090/gws/api/v2?x=1#y');
    expect(result.ok && apiUrl(result.value, '/me').href).toBe(
      'https://10.0.0.5:8090/gws/api/v2/me',
    );
  });

  it('refuses plain http except on this machine, or when the user chose it', () => {
    for (const local of ['http://127.0.0.1:8090', 'http://localhost:8090', 'http://[::1]:8090'])
      expect(parseServerUrl(local).ok, local).toBe(true);
    const remote = parseServerUrl('http://gws.example.com');
    expect(remote).toMatchObject({ ok: false, error: { kind: 'bad-url' } });
    expect(!remote.ok && remote.error.message).toContain('unencrypted');
    expect(parseServerUrl('http://gws.example.com', { allowInsecureHttp: true }).ok).toBe(true);
  });

  it('explains what is wrong with a bad URL', () => {
    const cases: Array<[string, string]> = [
      ['gws.example.com', 'is not a URL'],
      ['ftp://gws.example.com', 'not supported'],
      ['https://me:secret@gws.example.com', 'own fields'],
    ];
    for (const [input, reason] of cases) {
      const result = parseServerUrl(input);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.kind).toBe('bad-url');
        expect(result.error.message).toContain(reason);
      }
    }
  });
});
