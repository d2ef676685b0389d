import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { WorkbinItem } from '../contract/domain.js';
import { itemKey } from '../contract/keys.js';
import { DEFAULT_SETTINGS } from '../contract/settings.js';
import { EMPTY_STATE, reduce } from '../workbins/state.js';
import { CACHE_SCHEMA } from './codec.js';
import { confBackendIn } from './conf-backend.js';
import { DEFAULT_TUNING } from './snapshot-files.js';
import { item, SESSION as session } from './test-support.js';
import { WorkbinCache } from './workbin-cache.js';

/** The snapshot file's first line: its head. */
const headOf = (path: string) =>
  JSON.parse(readFileSync(path, 'utf8').split('\n')[0] as string) as { schema: number };

function stateWith(...items: WorkbinItem[]) {
  const byWorkbin = new Map<string, WorkbinItem[]>();
  for (const i of items) byWorkbin.set(i.workbinId, [...(byWorkbin.get(i.workbinId) ?? []), i]);
  return reduce(
    EMPTY_STATE,
    [...byWorkbin].map(([workbinId, list]) => ({
      type: 'contents-loaded' as const,
      ownerUserId: 'u-agent1',
      workbinId,
      items: list,
      at: 1,
    })),
  ).state;
}

function openIn(dir: string) {
  const location = confBackendIn(dir);
  return {
    ...location,
    ...WorkbinCache.open(location, () => 42, { ...DEFAULT_TUNING, appendDelayMs: 0 }),
  };
}

describe('WorkbinCache', () => {
  it('saves atomically and reads back the same contents after a restart', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wbt-cache-'));
    const first = openIn(dir);
    first.cache.save({
      savedAt: 1000,
      session,
      state: stateWith(item('a'), item('b', 'drafts')),
      unseen: [
        itemKey('u-agent1/inbox', 'a'),
        itemKey('u-agent1/inbox', 'gone'),
        itemKey('u-agent1/nowhere', 'a'),
        'no item key at all',
        itemKey('', 'a'),
      ],
    });
    first.cache.updateSettings({ startAtLogin: true });
    // Atomic writes leave no temporary files behind; the journal continues the snapshot.
    expect(readdirSync(dir).sort()).toEqual([
      'workbin-tray-state.2.journal',
      'workbin-tray-state.json',
      'workbin-tray.json',
    ]);
    expect(headOf(first.snapshotPath).schema).toBe(CACHE_SCHEMA);

    const second = openIn(dir);
    expect(second.problem).toBeNull();
    const { snapshot, problem } = second.cache.load();
    expect(problem).toBeNull();
    expect(snapshot?.session).toEqual(session);
    expect(snapshot?.savedAt).toBe(1000);
    // New stays new across a restart; a key of an item no longer held does not come back.
    expect(snapshot?.unseen).toEqual([itemKey('u-agent1/inbox', 'a')]);
    const inbox = snapshot?.state.workbins.get('u-agent1/inbox');
    expect(inbox?.items.get('a')).toEqual(item('a'));
    expect(inbox?.subscription).toBe('pending');
    expect(snapshot?.state.workbins.get('u-agent1/drafts')?.items.size).toBe(1);
  });

  it('moves a corrupt snapshot aside, reports it, and starts empty', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wbt-cache-'));
    const { snapshotPath } = confBackendIn(dir);
    writeFileSync(snapshotPath, '{"schema": 2, "workb');
    const opened = openIn(dir);
    const loaded = opened.cache.load();
    expect(loaded.snapshot).toBeNull();
    expect(loaded.problem).toMatchObject({
      kind: 'corrupt',
      movedTo: `${snapshotPath}.corrupt-42`,
    });
    expect(readFileSync(`${snapshotPath}.corrupt-42`, 'utf8')).toContain('"workb');
    opened.cache.save({ savedAt: 1, session, state: stateWith(item('x')), unseen: [] });
    expect(openIn(dir).cache.load().snapshot?.state.workbins.size).toBe(1);
  });

  it('moves a corrupt settings file aside and carries on', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wbt-cache-'));
    const { settingsPath } = confBackendIn(dir);
    writeFileSync(settingsPath, '{"settings": {"notificationsPa');
    const opened = openIn(dir);
    expect(opened.problem).toMatchObject({
      kind: 'corrupt',
      movedTo: `${settingsPath}.corrupt-42`,
    });
    expect(opened.cache.settings().notificationsPaused).toBe(false);
    opened.cache.updateSettings({ notificationsPaused: true });
    expect(openIn(dir).cache.settings().notificationsPaused).toBe(true);
  });

  it('migrates an older layout, writes it anew before journaling, and refuses a newer one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wbt-cache-'));
    const path = confBackendIn(dir).snapshotPath;
    const v1 = {
      schema: 1,
      savedAt: 5,
      session: { server: 'http://gws/', user: 'agent1', displayName: 'Ada' },
      workbins: [{ ownerUserId: 'u-agent1', workbinId: 'inbox', items: [item('a')] }],
    };
    writeFileSync(path, JSON.stringify(v1));
    const opened = openIn(dir);
    const migrated = opened.cache.load();
    expect(migrated.snapshot?.session.userId).toBe('agent1');
    expect(migrated.snapshot?.state.workbins.get('u-agent1/inbox')?.items.size).toBe(1);
    // Changes are not journaled behind an old layout: the first save writes the new one whole.
    const snapshot = migrated.snapshot as NonNullable<typeof migrated.snapshot>;
    opened.cache.saveSoon(snapshot, { changes: [] });
    await opened.cache.idle;
    expect(headOf(path)).toMatchObject({ schema: CACHE_SCHEMA });

    writeFileSync(path, JSON.stringify({ ...v1, schema: CACHE_SCHEMA + 1 }));
    const newer = openIn(dir).cache.load();
    expect(newer.snapshot).toBeNull();
    expect(newer.problem).toMatchObject({
      kind: 'unusable',
      message: expect.stringContaining('newer version'),
    });
  });

  it('treats the file as untrusted: bad entries skipped, userData sanitised', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wbt-cache-'));
    const path = confBackendIn(dir).snapshotPath;
    const tampered = `{"schema":2,"savedAt":1,"session":{"server":"s","user":"u","userId":"u"},
      "workbins":[{"ownerUserId":"u","workbinId":"w","items":[
        {"id":"ok","kind":"email","userData":{"__proto__":{"polluted":1},"fine":"yes"}},
        {"id":"bad","kind":"fax"}, 7, null]}, "junk"]}`;
    writeFileSync(path, tampered);
    const { snapshot } = openIn(dir).cache.load();
    const items = snapshot?.state.workbins.get('u/w')?.items;
    expect([...(items?.keys() ?? [])]).toEqual(['ok']);
    expect(items?.get('ok')?.userData).toEqual({ fine: 'yes' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps settings and credentials, and coalesces bursts of saves', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wbt-cache-'));
    const { cache } = openIn(dir);
    expect(cache.settings()).toEqual(DEFAULT_SETTINGS);
    cache.updateSettings({ mutedWorkbins: ['u/w'], agentGroups: ['Billing'] });
    cache.saveCredentials({ server: 's', user: 'u', encryptedPassword: 'AAAA' });
    for (let i = 0; i < 50; i++)
      cache.saveSoon({ savedAt: i, session, state: stateWith(item(`i${i}`)), unseen: [] });
    expect(
      existsSync(join(dir, 'workbin-tray.json')) && openIn(dir).cache.load().snapshot,
    ).toBeNull();
    cache.flush();
    const reopened = openIn(dir).cache;
    expect(reopened.settings()).toMatchObject({ mutedWorkbins: ['u/w'], agentGroups: ['Billing'] });
    expect(reopened.credentials()).toEqual({ server: 's', user: 'u', encryptedPassword: 'AAAA' });
    expect(reopened.load().snapshot?.savedAt).toBe(49);
  });

  it('keeps every file 0600 and its folder 0700: customer data and the credential blob', () => {
    const parent = mkdtempSync(join(tmpdir(), 'wbt-cache-'));
    const dir = join(parent, 'data');
    const { cache } = openIn(dir);
    cache.updateSettings({ notificationsPaused: true });
    cache.saveCredentials({ server: 's', user: 'u', encryptedPassword: 'AAAA' });
    cache.save({ savedAt: 1, session, state: stateWith(item('a')), unseen: [] });
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const file of readdirSync(dir))
      expect(statSync(join(dir, file)).mode & 0o777, file).toBe(0o600);
    // A corrupt file moved aside keeps its owner-only mode.
    writeFileSync(join(dir, 'workbin-tray-state.json'), '{broken', { mode: 0o644 });
    openIn(dir).cache.load();
    const aside = readdirSync(dir).filter((f) => f.includes('.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(statSync(join(dir, aside[0] as string)).mode & 0o777).toBe(0o600);
  });
});

describe('background saves', () => {
  const snapshotOf = (count: number, workbins = 3) => ({
    savedAt: 7,
    session,
    state: stateWith(...Array.from({ length: count }, (_, i) => item(`i${i}`, `w${i % workbins}`))),
    unseen: [itemKey('u-agent1/w0', 'i0')],
  });

  it('saves in the background, 0600, readable afterwards, with no temporary file left', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wbt-cache-'));
    const { cache, snapshotPath } = openIn(dir);
    cache.saveSoon(snapshotOf(5_000));
    await new Promise((resolve) => setTimeout(resolve, 10));
    await cache.idle;
    expect(statSync(snapshotPath).mode & 0o777).toBe(0o600);
    expect(cache.load().snapshot?.state.workbins.get('u-agent1/w1')?.items.size).toBe(1_667);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('says, and does not throw, when the snapshot cannot be written at quit; the last one stays', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wbt-cache-'));
    const { cache, snapshotPath } = openIn(dir);
    cache.save(snapshotOf(3));
    // A new account: no journal continues the file, so quitting writes a whole snapshot.
    cache.saveSoon({ ...snapshotOf(6), session: { ...session, userId: 'u-other' } });
    // Where that write goes cannot be a file (root ignores permissions; this it cannot).
    mkdirSync(`${snapshotPath}.${process.pid}.now.tmp`);
    expect(cache.flush()).toMatch(
      /^Offline cache not saved at quit .*EISDIR.*; it keeps what it last held/,
    );
    expect(cache.load().snapshot?.state.workbins.get('u-agent1/w0')?.items.size).toBe(1);
  });

  it('never lets a slower background save overwrite a newer write or bring back a forgotten cache', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wbt-cache-'));
    const { cache, snapshotPath } = openIn(dir);
    // A background save of the old state is under way when the app quits with a newer one.
    cache.saveSoon(snapshotOf(20_000));
    await new Promise((resolve) => setTimeout(resolve, 5));
    cache.saveSoon(snapshotOf(3));
    cache.flush();
    await cache.idle;
    expect(cache.load().snapshot?.state.workbins.get('u-agent1/w0')?.items.size).toBe(1);
    // Signed out while a save is under way: the file stays gone.
    cache.saveSoon(snapshotOf(20_000));
    await new Promise((resolve) => setTimeout(resolve, 5));
    cache.forgetSnapshot();
    await cache.idle;
    expect(existsSync(snapshotPath)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
