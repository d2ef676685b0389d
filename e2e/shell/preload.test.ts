/**
 * The built preload under the double: the page gets two functions and nothing else, and
 * only valid commands and events cross it.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRELOAD_HOST } from '../electron-double/build.js';
import { ShellProcess } from '../electron-double/launch.js';
import { IPC_COMMAND, IPC_EVENT, newHome, ROOT } from './fixtures.js';

let host: ShellProcess;

beforeAll(async () => {
  host = ShellProcess.launch({
    appDir: ROOT,
    home: newHome(),
    script: PRELOAD_HOST,
    args: [join(ROOT, 'dist/electron/preload.cjs')],
  });
  await host.until('the preload loaded', () => host.last('preload.loaded'));
});
afterAll(async () => {
  await host.quit();
});

describe('the preload', () => {
  it('exposes `workbins` with send and onEvent only', () => {
    expect(host.last('contextBridge.exposeInMainWorld')?.detail).toEqual({
      apiKey: 'workbins',
      keys: ['send', 'onEvent'],
    });
  });

  it('passes valid commands to the main process and drops the rest', async () => {
    for (const command of [
      { type: 'format-disk' },
      'hello',
      { type: 'seen', keys: 'all' },
      { type: 'hello' },
    ])
      await host.act({ type: 'renderer-send', command });
    await host.until('one command through', () => host.last('ipcMain.receive'));
    expect(host.calls('ipcMain.receive').map((e) => e.detail)).toEqual([
      { channel: IPC_COMMAND, payload: { type: 'hello' } },
    ]);
  });

  it('gives the page a snapshot sent in parts whole, and what came among its parts after it', async () => {
    const send = (payload: unknown) =>
      host.act({ type: 'renderer-receive', channel: IPC_EVENT, payload });
    const item = (id: string) => ({ id, summary: id });
    const before = host.calls('page.event').length;
    const status = { type: 'status', status: { state: 'online', since: 2 } };
    await send({ type: 'snapshot-part', index: 0, items: [item('a'), item('b')] });
    await send(status);
    await send({ type: 'snapshot-part', index: 1, items: [item('c')] });
    const head = {
      type: 'snapshot',
      status: { state: 'connecting', since: 1 },
      diagnostics: { problems: 0, rejected: 0, recent: [], logFile: null },
      workbins: [],
      unseen: [],
      items: [item('d')],
      parts: 2,
    };
    await send(head);
    // The page sees the snapshot as the core made it, without the count of its parts.
    const { parts: _count, ...whole } = head;
    await host.until(
      'the snapshot and the status',
      () => host.calls('page.event').length === before + 2,
    );
    expect(
      host
        .calls('page.event')
        .slice(before)
        .map((e) => e.detail),
    ).toEqual([{ ...whole, items: ['a', 'b', 'c', 'd'].map(item) }, status]);
  });

  it('passes valid events to the page, drops the rest, and stops when the page unsubscribes', async () => {
    const before = host.calls('page.event').length;
    const send = (payload: unknown) =>
      host.act({ type: 'renderer-receive', channel: IPC_EVENT, payload });
    await send({ type: 'evil', html: '<img onerror=alert(1)>' });
    await send({ type: 'unseen', added: 'not-a-list', removed: [] });
    await send({ type: 'status', status: { state: 'connecting', since: 1 } });
    await send({ type: 'unseen', added: ['u-agent1/workitems/1'], removed: [] });
    await send({ type: 'unseen', added: [], removed: [] });
    await host.until('two events', () => host.calls('page.event').length === before + 2);
    expect(
      host
        .calls('page.event')
        .slice(before)
        .map((e) => e.detail),
    ).toEqual([
      { type: 'status', status: { state: 'connecting', since: 1 } },
      { type: 'unseen', added: ['u-agent1/workitems/1'], removed: [] },
    ]);
  });
});
