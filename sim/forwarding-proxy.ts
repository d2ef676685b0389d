/**
 * A plain forwarding HTTP proxy on loopback, as corporate networks have: absolute-form
 * requests are forwarded, CONNECT is tunnelled. Tests put the simulator behind it and check
 * which requests went through (`seen`).
 */
import { once } from 'node:events';
import { createServer, request } from 'node:http';
import { type AddressInfo, connect } from 'node:net';

export interface ForwardingProxy {
  readonly url: string;
  /** Each request line it carried: the absolute URL, or `CONNECT host:port`. */
  readonly seen: string[];
  close(): void;
}

export async function startForwardingProxy(): Promise<ForwardingProxy> {
  const seen: string[] = [];
  const proxy = createServer((incoming, outgoing) => {
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
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    seen,
    close: () => {
      proxy.closeAllConnections();
      proxy.close();
    },
  };
}
