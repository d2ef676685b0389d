/**
 * Behind a proxy: a forwarding HTTP proxy on loopback, the simulator behind it, and the core
 * told about the proxy only through HTTP_PROXY and NO_PROXY, as an agent's machine would be.
 * Its own file: cometd-nodejs-client reads the proxy once per process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ForwardingProxy, startForwardingProxy } from '../../sim/forwarding-proxy.js';
import { startSimulator, waitFor } from '../../sim/harness.js';
import type { GwsSimulator } from '../../sim/simulator.js';
import { LiveWorkbins } from '../workbins/live-workbins.js';
import { bypassesProxy, cometdProxy, proxyFromEnv, proxyFromPacResult } from './proxy.js';

let sim: GwsSimulator;
let proxy: ForwardingProxy;
let seen: string[];

beforeAll(async () => {
  sim = await startSimulator({ timeout: 1_000, maxInterval: 2_000 });
  proxy = await startForwardingProxy();
  seen = proxy.seen;
  process.env.HTTP_PROXY = proxy.url;
  process.env.NO_PROXY = '';
});

afterAll(async () => {
  delete process.env.HTTP_PROXY;
  delete process.env.NO_PROXY;
  proxy.close();
  await sim.stop();
});

describe('proxies', () => {
  it('reads the system’s answer as Chromium gives it', () => {
    expect(proxyFromPacResult('DIRECT')).toBeNull();
    expect(proxyFromPacResult('PROXY proxy.corp:8080; DIRECT')).toBe('http://proxy.corp:8080');
    expect(proxyFromPacResult('HTTPS secure.corp:443')).toBe('https://secure.corp:443');
    expect(proxyFromPacResult('SOCKS5 s:1080; PROXY p:3128')).toBe('http://p:3128');
    expect(proxyFromPacResult('SOCKS5 s:1080')).toBeNull();
    expect(proxyFromPacResult('PROXY [::1]:3128')).toBe('http://[::1]:3128');
    for (const hostile of ['PROXY evil.com:80/path', 'PROXY a b:1', 'PROXY user@h:1', ''])
      expect(proxyFromPacResult(hostile), hostile).toBeNull();
  });

  it('reads the variables as curl does', () => {
    expect(proxyFromEnv({})).toBeNull();
    expect(
      proxyFromEnv({ https_proxy: 'http://p:3128', NO_PROXY: 'a.com, .b.org,c:8080' }),
    ).toEqual({ http: undefined, https: 'http://p:3128', noProxy: ['a.com', '.b.org', 'c:8080'] });
    const rules = ['a.com', '.b.org', 'c:8080'];
    expect(bypassesProxy(new URL('https://a.com'), rules)).toBe(true);
    expect(bypassesProxy(new URL('https://x.a.com'), rules)).toBe(true);
    expect(bypassesProxy(new URL('https://x.b.org'), rules)).toBe(true);
    expect(bypassesProxy(new URL('http://c:8080'), rules)).toBe(true);
    expect(bypassesProxy(new URL('http://c:9090'), rules)).toBe(false);
    expect(bypassesProxy(new URL('https://gws.example.com'), rules)).toBe(false);
    expect(
      cometdProxy(new URL('https://a.com/api'), {
        HTTPS_PROXY: 'http://p:3128',
        NO_PROXY: 'a.com',
      }),
    ).toBeUndefined();
    expect(
      cometdProxy(new URL('https://gws.example.com/api'), { HTTPS_PROXY: 'http://p:3128' }),
    ).toEqual({
      uri: 'http://p:3128',
    });
  });

  it('sends REST and CometD through HTTP_PROXY, and works live through it', async () => {
    const core = new LiveWorkbins({
      baseUrl: new URL(sim.url),
      credentials: { user: 'agent1', password: 'demo' },
      backoffIncrement: 100,
      maxBackoff: 500,
    });
    core.start();
    try {
      await waitFor(() => core.status.state === 'online' && !core.status.syncing, 'online', 10_000);
      const item = sim.addItem({ kind: 'chat', workbinId: 'workitems' });
      await waitFor(
        () => core.state.workbins.get('u-agent1/workitems')?.items.has(item.id),
        'live item',
      );
      const simHost = new URL(sim.url).host;
      // REST: undici tunnels through the proxy; CometD: absolute-form requests to it.
      expect(seen).toContain(`CONNECT ${simHost}`);
      expect(seen.some((u) => u.startsWith(`${sim.url}/api/v2/notifications`))).toBe(true);
    } finally {
      await core.stop();
    }
  });
});
