import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { turnsWhile } from '../slices/test-support.js';
import { readJsonBody } from './json-body.js';
import { JsonOffThread } from './json-off-thread.js';

/** From 1 MB (the app's own bound is 4 MB), with a worker as the app starts one. */
const WORKER_FROM = { from: 1024 * 1024, start: () => new JsonOffThread() };

const entries = (count: number, tag: string) =>
  Array.from({ length: count }, (_, i) => ({ id: `${tag}-${i}`, subject: `Заказ ${i} 🙂` }));

/**
 * A document with large arrays where the worker sends them in pieces (in the value, one and
 * two levels down), one too deep for that, and what JSON.parse alone decides: a repeated key
 * (the last wins) and a "__proto__" key (an own field, not a prototype).
 */
const DOCUMENT = `{
  "top": ${JSON.stringify(entries(2_500, 'top'))},
  "workbin": {
    "emails": ${JSON.stringify(entries(3_001, 'email'))},
    "emails": ${JSON.stringify(entries(1_200, 'email-again'))},
    "deeper": { "chats": ${JSON.stringify(entries(1_500, 'chat'))},
      "deepest": { "tweets": ${JSON.stringify(entries(1_100, 'tweet'))} } },
    "__proto__": ${JSON.stringify(entries(1_001, 'proto'))}
  },
  "small": [1, 2.5e300, -0, null, true, "\\u0000"],
  "statusCode": 0
}`;

function parsedOffThread(text: string, chunkLength = 64 * 1024): Promise<unknown> {
  const parser = new JsonOffThread();
  for (let at = 0; at < text.length; at += chunkLength)
    parser.write(text.slice(at, at + chunkLength));
  return parser.end();
}

describe('JsonOffThread', () => {
  it('gives what JSON.parse gives, large arrays and all', async () => {
    // Pieces of text of 1,000 characters: some split a surrogate pair, as a decoder never
    // would; the whole text is what counts.
    const value = await parsedOffThread(DOCUMENT, 1_000);
    expect(JSON.stringify(value)).toBe(JSON.stringify(JSON.parse(DOCUMENT)));
    const workbin = (value as { workbin: Record<string, unknown> }).workbin;
    expect(Object.hasOwn(workbin, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(workbin)).toBe(Object.prototype);
    expect(workbin.emails).toHaveLength(1_200);
  });

  it('says a text that is not JSON is not, with a SyntaxError', async () => {
    await expect(parsedOffThread('{"workbin": [1, 2')).rejects.toBeInstanceOf(SyntaxError);
    await expect(parsedOffThread('<html>Service Unavailable</html>')).rejects.toBeInstanceOf(
      SyntaxError,
    );
  });

  it('gives the large arrays back a piece a turn, even when the main thread was busy', async () => {
    // 5,000 elements: five pieces, each asked for after a turn.
    const text = JSON.stringify({ workbin: { emails: entries(5_000, 'email') } });
    const parsed = parsedOffThread(text);
    // Busy meanwhile: a worker that sent every piece at once would find them all waiting, and
    // the main thread would take them all in in one turn.
    const busyUntil = performance.now() + 1_000;
    while (performance.now() < busyUntil);
    const { value, turns } = await turnsWhile(
      parsed as Promise<{ workbin: { emails: unknown[] } }>,
    );
    expect(value.workbin.emails).toHaveLength(5_000);
    expect(turns).toBeGreaterThanOrEqual(5);
  });
});

describe('readJsonBody', () => {
  let server: Server | undefined;
  afterEach(() => {
    server?.close();
    server = undefined;
  });

  /** Fetches `body` from a server on this machine, sent in chunks of 64 KB. */
  async function fetched(body: string): Promise<Response> {
    server = createServer((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      const bytes = Buffer.from(body);
      for (let at = 0; at < bytes.length; at += 65_536)
        response.write(bytes.subarray(at, at + 65_536));
      response.end();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  }

  it('parses a small body here and a large one on a worker, to the same value', async () => {
    const small = JSON.stringify({ workbin: { emails: entries(10, 'email') } });
    expect(await readJsonBody(await fetched(small), 1e9)).toEqual({ value: JSON.parse(small) });
    const large = JSON.stringify({ workbin: { emails: entries(40_000, 'email') } });
    expect(Buffer.byteLength(large)).toBeGreaterThan(WORKER_FROM.from);
    expect(await readJsonBody(await fetched(large), 1e9, WORKER_FROM)).toEqual({
      value: JSON.parse(large),
    });
  });

  it('parses a large body here where no worker starts, and tries to start one once', async () => {
    const large = JSON.stringify({ workbin: { emails: entries(40_000, 'email') } });
    let tries = 0;
    const none = {
      from: WORKER_FROM.from,
      start: () => {
        tries++;
        return undefined;
      },
    };
    expect(await readJsonBody(await fetched(large), 1e9, none)).toEqual({
      value: JSON.parse(large),
    });
    expect(tries).toBe(1);
  });

  it('lets the event loop turn while it decodes chunks that had all arrived', async () => {
    // Received already, as undici hands on what one socket read brought: every read resolves
    // at once, in microtasks, and the loop would take them all in one turn.
    const large = JSON.stringify({ workbin: { emails: entries(100_000, 'email') } });
    const bytes = Buffer.from(large);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < bytes.length; at += 65_536)
          controller.enqueue(bytes.subarray(at, at + 65_536));
        controller.close();
      },
    });
    const here = { from: Number.POSITIVE_INFINITY, start: () => undefined };
    // Slices of 0 ms, so that it turns before every read: how many 4 ms slices the decoding
    // fills depends on the machine (one on a fast one, which this test once counted on).
    const { value, turns } = await turnsWhile(readJsonBody(new Response(body), 1e9, here, 0));
    expect(value).toEqual({ value: JSON.parse(large) });
    expect(turns).toBeGreaterThanOrEqual(Math.ceil(bytes.length / 65_536));
  });

  it('gives undefined for a body that is not JSON, and null past the bound', async () => {
    const html = `<html>${'Service Unavailable '.repeat(200_000)}</html>`;
    expect(Buffer.byteLength(html)).toBeGreaterThan(WORKER_FROM.from);
    expect(await readJsonBody(await fetched(html), 1e9, WORKER_FROM)).toEqual({
      value: undefined,
    });
    expect(await readJsonBody(await fetched('<html>'), 1e9)).toEqual({ value: undefined });
    expect(await readJsonBody(await fetched(html), 1_000_000, WORKER_FROM)).toBeNull();
  });
});
