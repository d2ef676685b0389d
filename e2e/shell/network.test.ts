/**
 * The OS's network settings in the app: the system proxy (what Chromium's resolveProxy says,
 * here the double's WBT_DOUBLE_SYSTEM_PROXY) carries REST and CometD, unless the user named a
 * proxy explicitly. A forwarding proxy on loopback shows which road each request took.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ForwardingProxy, startForwardingProxy } from '../../sim/forwarding-proxy.js';
import { launchApp, newHome, online, useShellSimulator } from './fixtures.js';

const sim = useShellSimulator();
let proxy: ForwardingProxy;
const NO_ENV_PROXY = {
  HTTP_PROXY: '',
  HTTPS_PROXY: '',
  http_proxy: '',
  https_proxy: '',
  NO_PROXY: '',
};

beforeAll(async () => {
  proxy = await startForwardingProxy();
});
afterAll(() => {
  proxy.close();
});

const through = (path: string) => proxy.seen.filter((line) => line.includes(path)).length;

describe('the system proxy', () => {
  it('carries REST and CometD when the OS names one', async () => {
    proxy.seen.length = 0;
    const app = launchApp(newHome(), {
      server: sim().url,
      env: { ...NO_ENV_PROXY, WBT_DOUBLE_SYSTEM_PROXY: `PROXY ${new URL(proxy.url).host}; DIRECT` },
    });
    await online(app);
    expect(app.last('session.resolveProxy')?.detail).toEqual({ url: sim().url });
    // REST tunnels (CONNECT, as undici asks for every target); CometD long-polls forward.
    expect(through(`CONNECT ${new URL(sim().url).host}`)).toBeGreaterThan(0);
    expect(through('/api/v2/notifications')).toBeGreaterThan(0);
    expect(app.output).toContain(`Using the system proxy ${proxy.url}`);
  });

  it('goes direct when the OS says DIRECT', async () => {
    proxy.seen.length = 0;
    const app = launchApp(newHome(), { server: sim().url, env: NO_ENV_PROXY });
    await online(app);
    expect(app.last('session.resolveProxy')).toBeDefined();
    expect(proxy.seen).toEqual([]);
  });

  it('leaves an explicit HTTPS_PROXY/HTTP_PROXY alone, whatever the OS says', async () => {
    proxy.seen.length = 0;
    const app = launchApp(newHome(), {
      server: sim().url,
      env: { ...NO_ENV_PROXY, HTTP_PROXY: proxy.url, WBT_DOUBLE_SYSTEM_PROXY: 'PROXY 127.0.0.1:9' },
    });
    await online(app);
    expect(app.calls('session.resolveProxy')).toEqual([]);
    expect(through('/api/v2/notifications')).toBeGreaterThan(0);
  });
});
