/**
 * Behind a proxy: a forwarding HTTP proxy on loopback, the simulator behind it, and the core
 * told about the proxy only through HTTP_PROXY and NO_PROXY, as an agent's machine would be.
 * Its own file: cometd-nodejs-client reads the proxy once per process.
 */
import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, waitFor } from '../../sim/harness.js';
import type { GwsSimulator } from '../../sim/simulator.js';
import { LiveWorkbins } from '../workbins/live-workbins.js';
import { bypassesProxy, cometdProxy, proxyFromEnv } from './proxy.js';

let sim: GwsSimulator;
let proxy: Server;
const seen: string[] = [];

beforeAll(async () => {
  sim = await startSimulator({ timeout: 1_000, maxInterval: 2_000 });
  // A plain forwarding proxy: absolute-form requests in, the same request out to the target.
  proxy = createServer((incoming, outgoing) => {
    seen.push(incoming.url ?? '');
    const target = new URL(incoming.url ?? '');
    const upstream = request(
      {
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: incoming.method,
        headers: incoming.headers,
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    upstream.on('error', () => outgoing.destroy());
    incoming.pipe(upstream);
  });
  // And tunnels (CONNECT), as undici asks for every target, as corporate proxies allow.
  proxy.on('connect', (incoming, client, head) => {
    seen.push(`CONNECT ${incoming.url}`);
    const [host = '', port = ''] = (incoming.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  proxy.listen(0, '127.0.0.1');
  await once(proxy, 'listening');
  process.env.HTTP_PROXY = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  process.env.NO_PROXY = '';
});

afterAll(async () => {
  delete process.env.HTTP_PROXY;
  delete process.env.NO_PROXY;
  proxy.closeAllConnections();
  proxy.close();
  await sim.stop();
});

describe('proxies', () => {
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
