import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect as tcp } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { waitFor } from '../../sim/harness.js';
import type { CachedSnapshot } from '../cache/codec.js';
import { confBackendIn } from '../cache/conf-backend.js';
import { WorkbinCache } from '../cache/workbin-cache.js';
import type { WorkbinItem } from '../contract/domain.js';
import { newestFirst } from '../contract/item-order.js';
import type { PageEvent } from '../contract/protocol.js';
import { SETTINGS_LIMITS } from '../contract/settings.js';
import { SNAPSHOT_PART_ITEMS, SnapshotAssembly } from '../contract/snapshot-parts.js';
import { EMPTY_STATE, reduce } from '../workbins/state.js';
import { openCachedBridge } from './cached-bridge.js';
import { CoreBridge } from './core-bridge.js';
import { MAX_FRAME, startWebHost, type WebHost } from './web-host.js';

let host: WebHost;
const bridge = new CoreBridge();

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wbt-static-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(dir, 'app.js.map'), '{"sources":["secret.ts"]}');
  host = await startWebHost({ bridge, staticDir: dir, port: 0 });
});
afterAll(() => host.close());

/** A raw GET, so that Host can be anything (fetch would not allow it). */
function get(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, unknown> }> {
  const url = new URL(host.url);
  return new Promise((resolve, reject) => {
    request({ host: url.hostname, port: url.port, path, headers }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, headers: res.headers });
    })
      .on('error', reject)
      .end();
  });
}

function connect(
  query: string,
  origin: string,
): Promise<{ ws: WebSocket; messages: unknown[] } | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${host.url.replace('http', 'ws')}/bridge${query}`, { origin });
    const messages: unknown[] = [];
    ws.on('message', (data) => messages.push(JSON.parse(data.toString())));
    ws.on('open', () => resolve({ ws, messages }));
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
  });
}

/** A bridge started from a cache holding `items` in agent1's inbox, as after a restart. */
function bridgeFromCache(items: readonly WorkbinItem[], displayName: string): CoreBridge {
  return new CoreBridge({ cached: cachedInbox(items, displayName) });
}

/** What a cache holds of `items` in agent1's inbox. */
function cachedInbox(items: readonly WorkbinItem[], displayName: string): CachedSnapshot {
  const state = reduce(EMPTY_STATE, [
    {
      type: 'workbins-listed',
      ownerUserId: 'u-agent1',
      workbins: [{ id: 'inbox', ownerUserId: 'u-agent1', displayName: 'Inbox', type: 'Agent' }],
    },
    { type: 'contents-loaded', ownerUserId: 'u-agent1', workbinId: 'inbox', items, at: 1 },
  ]).state;
  const session = { server: 'http://gws/', user: 'a', userId: 'u-agent1', displayName };
  return { state, savedAt: 1, unseen: [], session: { ...session, insecure: false } };
}

/** The ids of inboxItems from `from` down to `to`, newest first. */
const inboxIds = (from: number, to: number) =>
  Array.from({ length: from - to + 1 }, (_, i) => `item-${from - i}`);

/** `count` emails in agent1's inbox, the i-th with `userData(i)`. */
function inboxItems(
  count: number,
  userData: (i: number) => Record<string, string> = () => ({}),
): WorkbinItem[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `item-${i}`,
    kind: 'email',
    workbinId: 'inbox',
    ownerUserId: 'u-agent1',
    summary: `Subject number ${i}`,
    from: 'customer@example.com',
    receivedAt: 1_700_000_000_000 + i,
    receivedRaw: '2023-11-14T22:13:20Z',
    state: 'InWorkbin',
    userData: userData(i),
  }));
}

/**
 * A host over a bridge started from a cache of `items` (as bridgeFromCache), and a socket to
 * it as its page opens one, with room for any snapshot.
 */
async function hostFromCache(items: readonly WorkbinItem[], stalledMs?: number) {
  const bridge = bridgeFromCache(items, 'A');
  const host = await startWebHost({
    bridge,
    staticDir: mkdtempSync(join(tmpdir(), 'wbt-static-')),
    port: 0,
    ...(stalledMs !== undefined && { stalledMs }),
  });
  return { bridge, host, socket: () => pageSocket(host) };
}

/** A socket to `host` as its page opens one, with room for any snapshot. */
function pageSocket(host: WebHost): WebSocket {
  return new WebSocket(`${host.url.replace('http', 'ws')}/bridge?token=${host.token}`, {
    origin: host.url,
    maxPayload: 256 * 1024 * 1024,
  });
}

/**
 * What a page on `ws` hears: each frame's type, and the events its SnapshotAssembly gives it.
 * `onFrame` runs after each frame is taken in.
 */
function pageOf(ws: WebSocket, onFrame: () => void = () => {}) {
  const frames: string[] = [];
  const delivered: PageEvent[] = [];
  const assembly = new SnapshotAssembly();
  ws.on('message', (data) => {
    const message = JSON.parse(data.toString()) as { type: string };
    frames.push(message.type);
    delivered.push(...assembly.receive(message));
    onFrame();
  });
  return { frames, delivered };
}

describe('web host', () => {
  it('serves the UI with a strict CSP and no sniffing', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
  });

  it('refuses foreign Host headers (DNS rebinding) and paths outside its folder', async () => {
    expect((await get('/', { Host: 'evil.example:80' })).status).toBe(421);
    expect((await get('/../package.json')).status).toBe(404);
    expect((await get('/%2e%2e/package.json')).status).toBe(404);
    expect((await get('/app.js.map')).status).toBe(404);
  });

  it('opens the bridge only with the token and our own origin', async () => {
    expect(await connect('', host.url)).toBe(403);
    expect(await connect('?token=wrong', host.url)).toBe(403);
    expect(await connect(`?token=${host.token}`, 'http://evil.example')).toBe(403);
    const ok = await connect(`?token=${host.token}`, host.url);
    if (typeof ok === 'number') throw new Error(`refused: ${ok}`);
    ok.ws.send('not json');
    ok.ws.send(JSON.stringify({ type: 'eval', code: 'process.exit()' }));
    ok.ws.send(JSON.stringify({ type: 'hello' }));
    await expect.poll(() => ok.messages.length).toBe(1);
    expect(ok.messages[0]).toMatchObject({
      type: 'snapshot',
      session: null,
      status: { state: 'stopped' },
    });
    ok.ws.close();
  });

  it('answers a request line it cannot parse with 400, as a request or an upgrade, and keeps serving', async () => {
    const port = new URL(host.url).port;
    const raw = (text: string) =>
      new Promise<string>((resolve) => {
        const socket = tcp(Number(port), '127.0.0.1', () => socket.end(text));
        let answer = '';
        socket.on('data', (chunk) => {
          answer += chunk.toString();
        });
        socket.on('close', () => resolve(answer));
        socket.on('error', () => resolve(answer));
      });
    const host_ = `Host: 127.0.0.1:${port}\r\n`;
    expect(await raw(`GET http://[ HTTP/1.1\r\n${host_}\r\n`)).toMatch(/^HTTP\/1\.1 400/);
    expect(
      await raw(
        `GET http://[ HTTP/1.1\r\n${host_}Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      ),
    ).toMatch(/^HTTP\/1\.1 (400|403)/);
    expect((await get('/')).status).toBe(200);
  });

  it('closes only the socket that sends an oversize frame; the largest real command fits', async () => {
    const big = await connect(`?token=${host.token}`, host.url);
    const other = await connect(`?token=${host.token}`, host.url);
    if (typeof big === 'number' || typeof other === 'number') throw new Error('refused');
    const closed = new Promise<number>((resolve) => big.ws.on('close', (code) => resolve(code)));
    big.ws.send('x'.repeat(MAX_FRAME + 1));
    expect(await closed).toBe(1009);
    // The largest settings command the protocol accepts still goes through.
    const muted = Array.from({ length: SETTINGS_LIMITS.mutedWorkbins }, (_, i) =>
      `${i}`.padEnd(SETTINGS_LIMITS.key, 'k'),
    );
    const largest = JSON.stringify({ type: 'settings', settings: { mutedWorkbins: muted } });
    expect(largest.length).toBeLessThanOrEqual(MAX_FRAME);
    other.ws.send(largest);
    await expect
      .poll(() => other.messages.some((m) => (m as { type: string }).type === 'settings'))
      .toBe(true);
    other.ws.close();
    expect((await get('/')).status).toBe(200);
  });

  it('sends every language and emoji as ASCII JSON, which the page reads back unchanged', async () => {
    const texts = ['Réclamation', 'Заказ', '予約の確認', 'Thanks 🙂'];
    const items = inboxItems(texts.length).map((item, i) => {
      const text = texts[i] as string;
      return {
        ...item,
        summary: text,
        from: `${text} <customer@example.com>`,
        userData: { [text]: text },
      };
    });
    const cachedHost = await startWebHost({
      bridge: bridgeFromCache(items, 'Zoë'),
      staticDir: mkdtempSync(join(tmpdir(), 'wbt-static-')),
      port: 0,
    });
    try {
      const frame = await new Promise<Buffer>((resolve) => {
        const ws = new WebSocket(
          `${cachedHost.url.replace('http', 'ws')}/bridge?token=${cachedHost.token}`,
          { origin: cachedHost.url },
        );
        ws.on('open', () => ws.send(JSON.stringify({ type: 'hello' })));
        ws.on('message', (data: Buffer) => {
          ws.close();
          resolve(data);
        });
      });
      expect(frame.every((byte) => byte < 0x80)).toBe(true);
      const snapshot = JSON.parse(frame.toString()) as {
        items: Array<{ summary: string; from: string; userData: Record<string, string> }>;
        session: { displayName: string };
      };
      expect(snapshot.session.displayName).toBe('Zoë');
      expect(snapshot.items.map((i) => [i.summary, i.from, i.userData[i.summary]]).sort()).toEqual(
        texts.map((t) => [t, `${t} <customer@example.com>`, t]).sort(),
      );
    } finally {
      await cachedHost.close();
    }
  });

  it('sends a large snapshot in parts that the page puts back together, events after it', async () => {
    const items = inboxItems(40_000);
    const { bridge: big, host: bigHost, socket } = await hostFromCache(items);
    const expected = big.snapshot().items.map((item) => item.id);
    const newest = big
      .snapshot()
      .items.slice()
      .sort(newestFirst)
      .slice(0, SNAPSHOT_PART_ITEMS)
      .map((item) => item.id);
    try {
      const ws = socket();
      const { frames, delivered } = pageOf(ws, () => {
        if (frames.length !== 1) return;
        // While the first snapshot is on its way: a change, and the page asks again.
        big.emit('event', {
          type: 'delta',
          upserted: [{ ...(items[0] as WorkbinItem), id: 'item-new' }],
          removed: [],
          workbins: [],
          removedWorkbins: [],
          stale: true,
        });
        ws.send(JSON.stringify({ type: 'hello' }));
      });
      ws.on('open', () => ws.send(JSON.stringify({ type: 'hello' })));
      await waitFor(
        () => delivered.filter((e) => e.type === 'snapshot').length === 2 || undefined,
        'two snapshots',
        20_000,
      );
      // The core's own new snapshot (as after a sync from the cache) goes in parts as well.
      const before = frames.length;
      big.emit('event', big.snapshot());
      await waitFor(
        () => delivered.filter((e) => e.type === 'snapshot').length === 3 || undefined,
        'the third snapshot',
        20_000,
      );
      ws.close();
      expect(frames.slice(before)).toEqual([
        'snapshot-preview',
        ...Array(40_000 / SNAPSHOT_PART_ITEMS - 1).fill('snapshot-part'),
        'snapshot',
      ]);
      // Many frames, the change among the first snapshot's parts, the second snapshot's after.
      const heads = frames.flatMap((type, i) => (type === 'snapshot' ? [i] : []));
      expect(frames.indexOf('delta')).toBeLessThan(heads[0] as number);
      expect(frames.slice(0, heads[0]).filter((t) => t === 'snapshot-part').length).toBe(
        40_000 / SNAPSHOT_PART_ITEMS - 1,
      );
      // The page sees each snapshot whole, in the core's order, and the change after the first;
      // ahead of each, its preview with the newest items.
      expect(delivered.map((e) => e.type)).toEqual([
        ...['snapshot-preview', 'snapshot', 'delta'],
        ...['snapshot-preview', 'snapshot'],
        ...['snapshot-preview', 'snapshot'],
      ]);
      const ids = (list: readonly WorkbinItem[]) => list.map((item) => item.id);
      for (const preview of delivered.filter((e) => e.type === 'snapshot-preview')) {
        expect(preview.total).toBe(40_000);
        expect(ids(preview.snapshot.items).sort()).toEqual(newest.sort());
      }
      for (const event of delivered)
        if (event.type === 'snapshot') expect(ids(event.items).sort()).toEqual(expected.sort());
    } finally {
      await bigHost.close();
    }
  }, 30_000);

  it('sends the preview of a large cache while it is read, then the whole with the changes since', async () => {
    const count = 12_000;
    const items = inboxItems(count);
    const dir = mkdtempSync(join(tmpdir(), 'wbt-preview-'));
    const cache = WorkbinCache.open(confBackendIn(dir)).cache;
    const saved = cachedInbox(items, 'A');
    cache.save(saved);
    // A change journaled after the snapshot: the newest item goes, a newer one comes.
    const changed = reduce(saved.state, [
      {
        type: 'contents-loaded',
        ownerUserId: 'u-agent1',
        workbinId: 'inbox',
        items: [
          ...items.slice(0, -1),
          { ...(items[0] as WorkbinItem), id: 'fresh', receivedAt: 2e12 },
        ],
        at: 2,
      },
    ]);
    cache.saveSoon({ ...saved, state: changed.state }, { changes: changed.changes });
    cache.flush();

    const opened = openCachedBridge(confBackendIn(dir));
    const previewHost = await startWebHost({ bridge: opened.bridge, staticDir: dir, port: 0 });
    try {
      const ws = pageSocket(previewHost);
      const { frames, delivered } = pageOf(ws);
      ws.on('open', () => ws.send(JSON.stringify({ type: 'hello' })));
      await waitFor(() => delivered.some((e) => e.type === 'snapshot') || undefined, 'the whole');
      ws.close();
      expect(await opened.problem).toBeNull();
      // The file's preview and its first part, then the whole, previewed as any large one.
      expect(frames).toEqual([
        ...['snapshot-preview', 'snapshot-part'],
        ...['snapshot-preview', ...Array(count / SNAPSHOT_PART_ITEMS - 1).fill('snapshot-part')],
        'snapshot',
      ]);
      const [fromFile, fromWhole, whole] = delivered;
      const top = (event: PageEvent | undefined) =>
        event?.type === 'snapshot-preview' ? event.snapshot.items.map((item) => item.id) : [];
      // The snapshot as last written whole: the journal's changes come with the rest.
      expect(top(fromFile)).toEqual(inboxIds(count - 1, count - SNAPSHOT_PART_ITEMS));
      expect(top(fromWhole)).toEqual([
        'fresh',
        ...inboxIds(count - 2, count - SNAPSHOT_PART_ITEMS),
      ]);
      expect(fromFile?.type === 'snapshot-preview' && fromFile.total).toBe(count);
      expect(whole?.type === 'snapshot' && whole.items.length).toBe(count);
      expect(whole?.type === 'snapshot' && whole.items.some((item) => item.id === 'fresh')).toBe(
        true,
      );
    } finally {
      await previewHost.close();
      await opened.bridge.stop();
    }
  }, 30_000);

  it('sends a page that reads slowly a few parts ahead, not the whole snapshot at once', async () => {
    // 40,000 items of some 700 bytes: 80 parts, 28 MB, far more than the sockets hold.
    const items = inboxItems(40_000, (i) => ({ IW_CaseUid: `cid-${i}`.padEnd(500, '.') }));
    const { bridge: big, host: bigHost, socket } = await hostFromCache(items);
    try {
      const ws = socket();
      const frames: string[] = [];
      ws.on('message', (data) =>
        frames.push((JSON.parse(data.toString()) as { type: string }).type),
      );
      await once(ws, 'open');
      ws.send(JSON.stringify({ type: 'hello' }));
      ws.pause();
      // Long enough to have made every part (some 3 ms each): had they all been written, the
      // socket would hold them all, ahead of the event below.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      big.emit('event', {
        type: 'status',
        status: { state: 'offline', since: 1, attempt: 1, nextRetryAt: null, reason: 'x' },
      });
      ws.resume();
      await waitFor(() => frames.includes('snapshot') || undefined, 'the whole snapshot', 20_000);
      ws.close();
      const status = frames.indexOf('status');
      expect(status).toBeGreaterThan(0);
      expect(status).toBeLessThan(frames.indexOf('snapshot'));
      expect(frames.filter((t) => t === 'snapshot-part').length).toBe(
        40_000 / SNAPSHOT_PART_ITEMS - 1,
      );
    } finally {
      await bigHost.close();
    }
  }, 30_000);

  it('coalesces snapshots and drops a client that floods it with commands', async () => {
    const flood = await connect(`?token=${host.token}`, host.url);
    if (typeof flood === 'number') throw new Error('refused');
    const closed = new Promise<number>((resolve) => flood.ws.on('close', (code) => resolve(code)));
    const hello = JSON.stringify({ type: 'hello' });
    for (let i = 0; i < 20_000; i++) flood.ws.send(hello);
    expect(await closed).toBe(1008);
    expect(flood.messages.length).toBeLessThan(200);
    expect((await get('/')).status).toBe(200);
  });

  it('lets a client read a snapshot larger than the backlog bound, then catches it up; drops one that reads nothing', async () => {
    // 40,000 items: a snapshot of some 30 MB, past the 16 MiB a client may have unread.
    const items = inboxItems(40_000, (i) => ({
      IW_CaseUid: `cid-${i}`.padEnd(300, '.'),
      Subject: `Subject number ${i}`,
    }));
    const { bridge: big, host: bigHost, socket } = await hostFromCache(items, 1_000);
    try {
      const open = (paused: boolean) =>
        new Promise<{ ws: WebSocket; types: string[]; closed: Promise<number> }>((resolve) => {
          const ws = socket();
          const types: string[] = [];
          ws.on('message', (data) =>
            types.push((JSON.parse(data.toString()) as { type: string }).type),
          );
          const closed = new Promise<number>((done) => ws.on('close', (code) => done(code)));
          ws.on('open', () => {
            ws.send(JSON.stringify({ type: 'hello' }));
            if (paused) ws.pause();
            resolve({ ws, types, closed });
          });
        });
      // A client that reads, but slower than events come: the snapshot is still unread when
      // large deltas follow, more than it may have unread.
      const reader = await open(true);
      await new Promise((resolve) => setTimeout(resolve, 300));
      for (let i = 0; i < 6; i++)
        big.emit('event', {
          type: 'delta',
          upserted: items.slice(0, 20_000),
          removed: [],
          workbins: [],
          removedWorkbins: [],
          stale: true,
        });
      reader.ws.resume();
      await waitFor(
        () => reader.types.filter((t) => t === 'snapshot').length === 2 || undefined,
        'a fresh snapshot once it caught up',
        20_000,
      );
      // Kept, and nothing it missed is lost: the deltas held back are in the fresh snapshot.
      expect(reader.ws.readyState).toBe(WebSocket.OPEN);
      expect(reader.types.at(-1)).toBe('snapshot');
      expect(reader.types.filter((t) => t === 'delta').length).toBeLessThan(6);
      reader.ws.close();
      // One that never reads is let go once its backlog stops shrinking.
      const deaf = await open(true);
      const tick = setInterval(
        () =>
          big.emit('event', {
            type: 'status',
            status: { state: 'offline', since: 1, attempt: 1, nextRetryAt: null, reason: 'x' },
          }),
        50,
      );
      try {
        // Past the stall bound, it wakes up: the server has let it go (had it not, the client
        // would now read everything and stay open).
        await new Promise((resolve) => setTimeout(resolve, 3_000));
        deaf.ws.resume();
        expect(await deaf.closed).toBe(1006);
      } finally {
        clearInterval(tick);
      }
    } finally {
      await bigHost.close();
    }
  }, 30_000);
});
