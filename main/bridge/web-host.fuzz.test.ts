import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect as tcp } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { CoreBridge } from './core-bridge.js';
import { startWebHost, type WebHost } from './web-host.js';

let host: WebHost;
let port: number;
const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wbt-fuzz-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>t</title>');
  host = await startWebHost({ bridge: new CoreBridge(), staticDir: dir, port: 0 });
  port = Number(new URL(host.url).port);
  console.log(`web host fuzz: seed ${seed} (replay with FUZZ_SEED=${seed})`);
});
afterAll(() => host.close());

/** Sends raw bytes; resolves when the server answers or closes, rejects if it does neither. */
function exchange(bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tcp(port, '127.0.0.1', () => socket.end(bytes));
    let answer = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer to ${JSON.stringify(bytes.slice(0, 120))}`));
    }, 3_000);
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1');
    });
    const done = () => {
      clearTimeout(timer);
      resolve(answer);
    };
    socket.on('close', done);
    socket.on('error', done);
  });
}

const line = fc.stringMatching(/^[^\r\n]{0,80}$/);
const target = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '/',
      '/bridge',
      'http://[',
      '/%',
      '/../../etc/passwd',
      '*',
      '/%2e%2e/x',
      '',
    ),
  },
  line,
  line.map((s) => `/bridge?token=${s}`),
);

describe('web host under random requests (fast-check)', () => {
  it('answers or closes every request, and still serves afterwards', async () => {
    const request = fc.record({
      method: fc.oneof(fc.constantFrom('GET', 'POST', 'OPTIONS', 'CONNECT'), line),
      target,
      host: fc.oneof({ weight: 3, arbitrary: fc.constant(`127.0.0.1:${port}`) }, line),
      upgrade: fc.boolean(),
      token: fc.boolean(),
      extra: fc.array(fc.tuple(line, line), { maxLength: 4 }),
    });
    const samples = fc.sample(request, { numRuns: 300, seed });
    for (const r of samples) {
      const path = r.token ? `/bridge?token=${host.token}` : r.target;
      const headers = [
        `Host: ${r.host}`,
        ...(r.upgrade
          ? [
              'Upgrade: websocket',
              'Connection: Upgrade',
              'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
              'Sec-WebSocket-Version: 13',
              `Origin: ${host.url}`,
            ]
          : []),
        ...r.extra.map(([name, value]) => `${name}: ${value}`),
      ];
      await exchange(`${r.method} ${path} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n`);
    }
    const page = await fetch(`${host.url}/`);
    expect(page.status).toBe(200);
  });

  it('survives random frames from a client that holds the token', async () => {
    const frames = fc.sample(
      fc.oneof(
        fc.string({ maxLength: 2_000 }),
        fc.json(),
        fc.uint8Array({ maxLength: 2_000 }),
        fc.anything().map((v) => JSON.stringify({ type: 'settings', settings: v }) ?? ''),
      ),
      { numRuns: 80, seed },
    );
    const ws = new WebSocket(`${host.url.replace('http', 'ws')}/bridge?token=${host.token}`, {
      origin: host.url,
    });
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    for (const frame of frames) ws.send(frame);
    ws.send(JSON.stringify({ type: 'hello' }));
    const snapshot = await new Promise<unknown>((resolve) =>
      ws.on('message', (data) => {
        const event = JSON.parse(data.toString()) as { type: string };
        if (event.type === 'snapshot') resolve(event);
      }),
    );
    expect(snapshot).toMatchObject({ type: 'snapshot' });
    ws.close();
    expect((await fetch(`${host.url}/`)).status).toBe(200);
  });
});
