import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import type { WorkbinItem } from '../contract/domain.js';
import { itemKey, workbinKey } from '../contract/keys.js';
import { EMPTY_STATE, reduce, type WorkbinEvent, type WorkbinState } from '../workbins/state.js';
import type { CachedSnapshot } from './codec.js';
import { SnapshotFiles, type SnapshotTuning } from './snapshot-files.js';
import { item, SESSION as session } from './test-support.js';

/** Appends at once, and journals folded into a new snapshot after a few KiB. */
const EAGER: SnapshotTuning = { appendDelayMs: 0, journalFloorBytes: 4_096, writeCpuShare: 1 };
const WORKBINS = ['inbox', 'drafts', 'later'];

const listed = (ids: readonly string[]): WorkbinEvent => ({
  type: 'workbins-listed',
  ownerUserId: 'u-agent1',
  workbins: ids.map((id) => ({
    id,
    ownerUserId: 'u-agent1',
    displayName: id,
    type: 'Agent' as const,
  })),
});

const loaded = (workbinId: string, items: readonly WorkbinItem[]): WorkbinEvent => ({
  type: 'contents-loaded',
  ownerUserId: 'u-agent1',
  workbinId,
  items,
  at: 5,
});

/** What a reader can tell apart: every workbin's items (with their content) and the unseen. */
function contents(snapshot: CachedSnapshot | null) {
  if (!snapshot) return null;
  const workbins: Record<string, string[]> = {};
  const held = new Set<string>();
  for (const view of snapshot.state.workbins.values()) {
    workbins[view.key] = [...view.items.values()].map((i) => `${i.id}:${i.summary}`).sort();
    for (const id of view.items.keys()) held.add(itemKey(view.key, id));
  }
  // New stays new for items still held; the app forgets the rest as the cache does.
  return { workbins, unseen: snapshot.unseen.filter((key) => held.has(key)).sort() };
}

/** A copy of the files as a crash now would leave them. */
function readAfterCrashDir(dir: string): string {
  const copy = mkdtempSync(join(tmpdir(), 'wbt-crash-'));
  cpSync(dir, copy, { recursive: true });
  return copy;
}

/** The files as a crash now would leave them, read back by a new process. */
function readAfterCrash(dir: string) {
  const files = new SnapshotFiles(join(readAfterCrashDir(dir), 'state.json'), () => 1);
  const read = files.load();
  files.close();
  expect(read.problem?.message).toBeUndefined();
  return contents(read.snapshot);
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A cache in a new folder, with a first snapshot written and an account's workbins listed. */
function started(tuning = EAGER) {
  const dir = mkdtempSync(join(tmpdir(), 'wbt-journal-'));
  const path = join(dir, 'state.json');
  const files = new SnapshotFiles(path, () => 1, tuning);
  files.load();
  let state: WorkbinState = reduce(EMPTY_STATE, [listed(WORKBINS)]).state;
  let unseen: string[] = [];
  const snapshot = (): CachedSnapshot => ({ savedAt: 9, session, state, unseen });
  files.save(snapshot());
  return {
    dir,
    path,
    files,
    snapshot,
    /** Folds events in and saves with their changes, as the cached bridge does. */
    apply(events: readonly WorkbinEvent[]) {
      const reduced = reduce(state, events);
      state = reduced.state;
      files.saveSoon(snapshot(), { changes: reduced.changes });
    },
    /** As UnseenItems reports it: net changes only. */
    see(keys: readonly string[], seen: boolean) {
      const added = seen ? [] : keys.filter((k) => !unseen.includes(k));
      const removed = seen ? keys.filter((k) => unseen.includes(k)) : [];
      unseen = [...unseen.filter((k) => !removed.includes(k)), ...added];
      files.saveSoon(snapshot(), { unseen: { added, removed } });
    },
  };
}

/**
 * `interrupted-save.fixture.ts` run in a child process whose files may not pass 64 KiB: room
 * for its small snapshot, not for the larger one it then saves `how`. tsx writes no cache of
 * its own under the limit. What it said, and the files read back after.
 */
function saveUnderSizeLimit(how: 'now' | 'slices' | 'append') {
  const dir = mkdtempSync(join(tmpdir(), 'wbt-interrupted-'));
  const path = join(dir, 'state.json');
  const said = spawnSync(
    'bash',
    [
      '-c',
      'ulimit -f 64 && exec "$0" --import tsx main/cache/interrupted-save.fixture.ts "$1" "$2"',
      process.execPath,
      path,
      how,
    ],
    { encoding: 'utf8', env: { ...process.env, TSX_DISABLE_CACHE: '1' } },
  );
  const files = new SnapshotFiles(path, () => 1);
  const read = files.load();
  files.close();
  return { said, read, temporaries: readdirSync(dir).filter((name) => name.endsWith('.tmp')) };
}

describe('SnapshotFiles: snapshot and journal', () => {
  it('appends a change as a line, leaves the snapshot alone, and reads back the latest state', async () => {
    const cache = started({ ...EAGER, journalFloorBytes: 1 << 20 });
    const before = statSync(cache.path);
    cache.apply([loaded('inbox', [item('a', 'inbox'), item('b', 'inbox')])]);
    cache.see([itemKey(workbinKey('u-agent1', 'inbox'), 'a')], false);
    await pause(5);
    cache.apply([loaded('inbox', [item('a', 'inbox', 1), item('c', 'inbox')])]);
    cache.apply([loaded('drafts', [item('d', 'drafts')]), listed(['drafts', 'later'])]);
    await pause(5);
    const after = statSync(cache.path);
    expect([after.ino, after.mtimeMs, after.size]).toEqual([
      before.ino,
      before.mtimeMs,
      before.size,
    ]);
    const journal = readdirSync(cache.dir).filter((f) => f.endsWith('.journal'));
    expect(journal).toHaveLength(1);
    expect(readFileSync(join(cache.dir, journal[0] as string), 'utf8').split('\n')).toHaveLength(3);
    expect(statSync(join(cache.dir, journal[0] as string)).mode & 0o777).toBe(0o600);
    // The inbox went (not listed any more) with its unseen item; drafts came.
    expect(readAfterCrash(cache.dir)).toEqual(contents(cache.snapshot()));
    expect(readAfterCrash(cache.dir)?.workbins).toEqual({
      'u-agent1/drafts': ['d:subject d'],
      'u-agent1/later': [],
    });
  });

  it('writes snapshot and journal as pure ASCII, and reads every language and emoji back', async () => {
    const cache = started({ ...EAGER, journalFloorBytes: 1 << 20 });
    const texts = ['Réclamation', 'Заказ', '予約の確認', 'Thanks 🙂', 'lone \ud800 half'];
    const foreign = (id: string, text: string, workbinId: string): WorkbinItem => ({
      ...item(id, workbinId),
      summary: text,
      from: `${text} <x@y.z>`,
      userData: { [text]: text },
    });
    // One change is a journal line; then a whole snapshot, written in slices.
    cache.apply([
      loaded(
        'inbox',
        texts.map((t, i) => foreign(`j${i}`, t, 'inbox')),
      ),
    ]);
    await cache.files.idle;
    const ascii = (file: string) => readFileSync(join(cache.dir, file)).every((b) => b < 0x80);
    const journal = readdirSync(cache.dir).find((f) => f.endsWith('.journal')) as string;
    expect(readFileSync(join(cache.dir, journal), 'utf8')).toContain('\\u0417');
    expect(ascii(journal)).toBe(true);
    expect(readAfterCrash(cache.dir)).toEqual(contents(cache.snapshot()));
    cache.files.saveSoon(cache.snapshot(), 'unknown');
    cache.apply([
      loaded(
        'drafts',
        texts.map((t, i) => foreign(`s${i}`, t, 'drafts')),
      ),
    ]);
    await cache.files.idle;
    expect(readdirSync(cache.dir).every(ascii)).toBe(true);
    const back = new SnapshotFiles(
      join(readAfterCrashDir(cache.dir), 'state.json'),
      () => 1,
    ).load();
    const summaries = [...(back.snapshot?.state.workbins.values() ?? [])].flatMap((view) =>
      [...view.items.values()].map((i) => [i.summary, i.from, Object.keys(i.userData)[0]]),
    );
    expect(summaries.sort()).toEqual(
      [...texts, ...texts].map((t) => [t, `${t} <x@y.z>`, t]).sort(),
    );
  });

  it('reads back whole at every point of a run: appends, new snapshots, crashes anywhere', async () => {
    const batchArb = fc.record({
      workbin: fc.constantFrom(...WORKBINS),
      ids: fc.uniqueArray(fc.integer({ min: 0, max: 60 }), { maxLength: 40 }),
      version: fc.nat(3),
      relist: fc.boolean(),
      seen: fc.boolean(),
      wait: fc.constantFrom(0, 1, 3),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(batchArb, { minLength: 1, maxLength: 25 }), async (batches) => {
        const cache = started();
        for (const batch of batches) {
          const items = batch.ids.map((n) => item(`i${n}`, batch.workbin, batch.version));
          const relisted = batch.relist
            ? [listed(WORKBINS.filter((w) => w !== batch.workbin))]
            : [];
          cache.apply([...relisted, listed(WORKBINS), loaded(batch.workbin, items)]);
          const first = items[0];
          if (first) {
            const key = itemKey(workbinKey('u-agent1', batch.workbin), first.id);
            cache.see([key], batch.seen);
          }
          // Past the append, somewhere in (or out of) a new snapshot's write: a crash now.
          await pause(1 + batch.wait);
          expect(readAfterCrash(cache.dir)).toEqual(contents(cache.snapshot()));
        }
        await cache.files.idle;
        expect(readAfterCrash(cache.dir)).toEqual(contents(cache.snapshot()));
        cache.files.close();
      }),
      { numRuns: 20 },
    );
  }, 60_000);

  it('reads back whole when it crashes while a new snapshot is being written', async () => {
    const cache = started();
    for (let round = 0; round < 20; round++)
      cache.apply([
        loaded(
          'inbox',
          Array.from({ length: 300 }, (_, i) => item(`i${i}`, 'inbox', round)),
        ),
      ]);
    // The journal has outgrown its floor: the next append starts a new snapshot.
    let crashed = false;
    const until = performance.now() + 5_000;
    while (performance.now() < until && !crashed) {
      await new Promise((resolve) => setImmediate(resolve));
      crashed = readdirSync(cache.dir).some((f) => f.endsWith('.tmp'));
      if (crashed) {
        // Mid-write (same turn as the look): the old journal and the new one's are both there,
        // and what came just before the new snapshot was started is in the old one.
        expect(readdirSync(cache.dir).filter((f) => f.endsWith('.journal'))).toHaveLength(2);
        expect(readAfterCrash(cache.dir)).toEqual(contents(cache.snapshot()));
        // A change while it is written goes to the new journal: read back, landed or not.
        cache.apply([loaded('drafts', [item('late', 'drafts')])]);
        await pause(1);
        expect(readAfterCrash(cache.dir)).toEqual(contents(cache.snapshot()));
      }
    }
    expect(crashed, 'a snapshot write was under way').toBe(true);
    await cache.files.idle;
    expect(readdirSync(cache.dir).filter((f) => f.endsWith('.journal'))).toHaveLength(1);
    expect(readAfterCrash(cache.dir)).toEqual(contents(cache.snapshot()));
  });

  it('keeps the last snapshot whole when a save in one go (quitting) fails part way', () => {
    const { said, read, temporaries } = saveUnderSizeLimit('now');
    expect(read.problem).toBeNull();
    expect(read.snapshot?.state.workbins.get(workbinKey('u-agent1', 'inbox'))?.items.size).toBe(3);
    expect(temporaries).toEqual([]);
    // And the app heard of it: atomically, used before, took the short write for a whole one.
    expect(said.stdout.trim()).toBe('failed EFBIG');
  });

  it('keeps the last snapshot whole when a save in the background fails part way', () => {
    const { said, read, temporaries } = saveUnderSizeLimit('slices');
    expect(said.stdout.trim()).toBe('idle');
    expect(read.problem).toBeNull();
    expect(read.snapshot?.state.workbins.get(workbinKey('u-agent1', 'inbox'))?.items.size).toBe(3);
    expect(temporaries).toEqual([]);
    expect(said.stderr).toContain('Offline cache not saved: EFBIG');
  });

  it('says so when a journal line cannot be written whole, and goes on with a whole snapshot', () => {
    const { said, read } = saveUnderSizeLimit('append');
    expect(said.stdout.trim()).toBe('idle');
    expect(said.stderr).toContain('Offline cache not saved: EFBIG');
    // The torn line is the journal's last: dropped, and the snapshot reads back.
    expect(read.problem).toBeNull();
    expect(read.snapshot?.state.workbins.get(workbinKey('u-agent1', 'inbox'))?.items.size).toBe(3);
  });

  it('appends what is pending before a new snapshot starts, however long that waited its turn', async () => {
    // Timers and the clock by hand: the append timer must not run before the snapshot's turn.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    try {
      const cache = started({ appendDelayMs: 1_000, journalFloorBytes: 4_096, writeCpuShare: 1 });
      const inbox = (version: number) =>
        Array.from({ length: 200 }, (_, i) => item(`i${i}`, 'inbox', version));
      const journals = () => readdirSync(cache.dir).filter((f) => f.endsWith('.journal'));
      // The journal passes its floor: the append starts a new snapshot in the background.
      cache.apply([loaded('inbox', inbox(1))]);
      await vi.advanceTimersByTimeAsync(1_000);
      // While that is written, the new journal passes its floor too: the next snapshot waits.
      cache.apply([loaded('inbox', inbox(2))]);
      await vi.advanceTimersByTimeAsync(1_000);
      // A change the append timer has not written when the waiting snapshot's turn comes.
      cache.apply([loaded('drafts', [item('late', 'drafts')])]);
      while (journals().length > 1) await new Promise((resolve) => setImmediate(resolve));
      await vi.advanceTimersByTimeAsync(500); // its CPU-share wait: the new snapshot starts
      // A crash before that snapshot lands reads the journal: the change must be in it.
      expect(readAfterCrash(cache.dir)).toEqual(contents(cache.snapshot()));
      await vi.advanceTimersByTimeAsync(1_000);
      await cache.files.idle;
      expect(readAfterCrash(cache.dir)).toEqual(contents(cache.snapshot()));
      cache.files.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it('drops a torn last line without a word, and says so when a line in the middle is bad', async () => {
    const cache = started({ ...EAGER, journalFloorBytes: 1 << 20 });
    cache.apply([loaded('inbox', [item('a', 'inbox')])]);
    await pause(2);
    const kept = contents(cache.snapshot());
    cache.apply([loaded('inbox', [item('a', 'inbox'), item('b', 'inbox')])]);
    await pause(2);
    const journal = join(
      cache.dir,
      readdirSync(cache.dir).find((f) => f.endsWith('.journal')) ?? '',
    );
    // A crash in the middle of the last append.
    truncateSync(journal, statSync(journal).size - 20);
    expect(readAfterCrash(cache.dir)).toEqual(kept);
    // A line that is not a journal line: what comes before it is kept, and the loss is said.
    const lines = readFileSync(journal, 'utf8').split('\n');
    writeFileSync(journal, [lines[0], '{"savedAt":"x"}', lines[0], ''].join('\n'));
    const read = new SnapshotFiles(cache.path, () => 1).load();
    expect(read.problem?.message).toMatch(/journal line 2 is unreadable/);
    expect(contents(read.snapshot)).toEqual(kept);
  });

  it('reads in slices what it reads in one go, and previews the head as last written whole', async () => {
    const cache = started({ ...EAGER, journalFloorBytes: 1 << 20 });
    const dated = (id: string, workbinId: string, at: number) => ({
      ...item(id, workbinId),
      receivedAt: at,
    });
    const many = WORKBINS.map((workbinId, w) =>
      loaded(
        workbinId,
        Array.from({ length: 3_500 }, (_, i) => dated(`${workbinId}${i}`, workbinId, i * 3 + w)),
      ),
    );
    cache.apply(many);
    cache.files.save(cache.snapshot());
    // After the snapshot, journaled: a newer item, and the newest of the snapshot's gone.
    const newest = 'later3499';
    const inbox = many[0]?.type === 'contents-loaded' ? many[0].items : [];
    cache.apply([loaded('inbox', [...inbox, dated('fresh', 'inbox', 99_999)])]);
    cache.apply([
      loaded(
        'later',
        (many[2]?.type === 'contents-loaded' ? many[2].items : []).filter((i) => i.id !== newest),
      ),
    ]);
    await pause(5);
    cache.files.flush();
    const dir = readAfterCrashDir(cache.dir);
    const files = new SnapshotFiles(join(dir, 'state.json'), () => 1);

    const preview = files.peek();
    expect(preview?.newest[0]?.id).toBe(newest);
    expect(preview?.newest).toHaveLength(500);
    expect(preview?.counts.get('u-agent1/inbox')).toBe(3_500);
    const sliced = await files.loadInSlices();
    files.close();
    expect(sliced.problem).toBeNull();
    expect(contents(sliced.snapshot)).toEqual(contents(cache.snapshot()));
    expect(contents(sliced.snapshot)).toEqual(readAfterCrash(cache.dir));
    // The journal goes on after a load in slices as after one in one go.
    expect(readdirSync(dir).filter((f) => f.endsWith('.journal'))).toHaveLength(1);
  });

  it('reads a cache of the one-document layout with its journal, and writes it anew in lines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wbt-v3-'));
    const path = join(dir, 'state.json');
    const header = { ownerUserId: 'u-agent1', workbinId: 'inbox', displayName: 'inbox' };
    writeFileSync(
      path,
      JSON.stringify({
        schema: 3,
        journal: 2,
        savedAt: 1,
        unseen: [],
        session,
        workbins: [{ ...header, items: [item('a')] }],
      }),
    );
    writeFileSync(
      join(dir, 'state.2.journal'),
      `${JSON.stringify({
        savedAt: 2,
        workbins: [{ ...header, items: [item('b')], removed: [] }],
        removedWorkbins: [],
        unseenAdded: [],
        unseenRemoved: [],
      })}\n`,
    );
    const files = new SnapshotFiles(path, () => 1, EAGER);
    expect(files.peek()).toBeNull();
    const read = await files.loadInSlices();
    expect(read.problem).toBeNull();
    expect(contents(read.snapshot)?.workbins).toEqual({
      'u-agent1/inbox': ['a:subject a', 'b:subject b'],
    });
    files.saveSoon(read.snapshot as CachedSnapshot, { changes: [] });
    await pause(5);
    await files.idle;
    files.close();
    const head = JSON.parse(readFileSync(path, 'utf8').split('\n')[0] as string);
    expect(head).toMatchObject({ schema: 4, workbins: [{ count: 2 }] });
    expect(contents(new SnapshotFiles(path, () => 1).load().snapshot)).toEqual(
      contents(read.snapshot),
    );
  });

  it('never mixes accounts: a new one is a new snapshot, and until it lands the old reads back alone', async () => {
    const cache = started();
    cache.apply([
      loaded(
        'inbox',
        Array.from({ length: 3_000 }, (_, i) => item(`i${i}`, 'inbox')),
      ),
    ]);
    await cache.files.idle;
    await pause(2);
    await cache.files.idle;
    const agent1 = contents(cache.snapshot());
    const other = { ...session, userId: 'u-agent2', user: 'agent2' };
    const state = reduce(EMPTY_STATE, [listed(['mine'])]).state;
    cache.files.saveSoon({ savedAt: 10, session: other, state, unseen: [] }, { changes: [] });
    await pause(1);
    const during = readAfterCrash(cache.dir);
    expect([agent1, { workbins: { 'u-agent1/mine': [] }, unseen: [] }]).toContainEqual(during);
    await cache.files.idle;
    const read = new SnapshotFiles(cache.path, () => 1).load();
    expect(read.snapshot?.session.userId).toBe('u-agent2');
  });

  it('starts from the snapshot when a journal cannot be read, says so, and writes anew', async () => {
    const cache = started({ ...EAGER, journalFloorBytes: 1 << 20 });
    const atSnapshot = contents(cache.snapshot());
    cache.apply([loaded('inbox', [item('a', 'inbox')])]);
    await pause(2);
    const journal = readdirSync(cache.dir).find((f) => f.endsWith('.journal')) ?? '';
    // Not a file any more (a restore gone wrong): reading it fails.
    rmSync(join(cache.dir, journal));
    mkdirSync(join(cache.dir, journal));
    // And a crashed process's half-written snapshots lie beside it (in slices, in one go).
    writeFileSync(join(cache.dir, 'state.json.99999999.tmp'), '{"half":');
    writeFileSync(join(cache.dir, 'state.json.99999998.now.tmp'), '{"half":');
    const files = new SnapshotFiles(cache.path, () => 1, EAGER);
    const read = files.load();
    expect(read.problem?.message).toMatch(/journal \d+ is unreadable/);
    expect(contents(read.snapshot)).toEqual(atSnapshot);
    expect(readdirSync(cache.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    // The next change writes a whole snapshot; what is on disk then reads back clean.
    const state = reduce(read.snapshot?.state ?? EMPTY_STATE, [
      loaded('later', [item('b', 'later')]),
    ]);
    files.saveSoon(
      { ...(read.snapshot as CachedSnapshot), state: state.state },
      { changes: state.changes },
    );
    await files.idle;
    const again = new SnapshotFiles(cache.path, () => 1).load();
    expect(again.problem).toBeNull();
    expect(again.snapshot?.state.workbins.get('u-agent1/later')?.items.has('b')).toBe(true);
  });

  it('survives a journal it cannot create (said, nothing lost, tried again on the next change)', async () => {
    const cache = started();
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (message: string) => warnings.push(message);
    try {
      // The next snapshot's journal cannot be created: a folder holds its name.
      const blocked = join(cache.dir, 'state.3.journal');
      mkdirSync(blocked);
      cache.apply([
        loaded(
          'inbox',
          Array.from({ length: 300 }, (_, i) => item(`i${i}`, 'inbox')),
        ),
      ]);
      await pause(20);
      expect(warnings.join('\n')).toMatch(/Offline cache not saved: .*EISDIR/);
      // The change went to the old journal before the new snapshot was tried.
      rmSync(blocked, { recursive: true });
      expect(readAfterCrash(cache.dir)).toEqual(contents(cache.snapshot()));
      cache.apply([loaded('drafts', [item('d', 'drafts')])]);
      await cache.files.idle;
      expect(readAfterCrash(cache.dir)).toEqual(contents(cache.snapshot()));
      expect(existsSync(blocked)).toBe(false);
    } finally {
      console.warn = warn;
      cache.files.close();
    }
  });

  it('forgets every file on sign-out, journals included', async () => {
    const cache = started();
    cache.apply([loaded('inbox', [item('a', 'inbox')])]);
    await pause(2);
    cache.files.forget();
    expect(readdirSync(cache.dir)).toEqual([]);
    expect(existsSync(cache.path)).toBe(false);
  });
});

describe('SnapshotFiles: lines copied from the snapshot written before', () => {
  /** `count` items in each workbin, some lines' worth. */
  const filled = (count: number) => {
    const cache = started();
    cache.apply(
      WORKBINS.map((workbinId) =>
        loaded(
          workbinId,
          Array.from({ length: count }, (_, i) => item(`${workbinId}${i}`, workbinId)),
        ),
      ),
    );
    return cache;
  };

  it('reads back the latest state from a snapshot made partly of the last one, in slices or in one go', async () => {
    const cache = filled(700);
    cache.files.save(cache.snapshot());
    const unchanged = readFileSync(cache.path, 'latin1').split('\n').slice(1);
    try {
      // One item edited, one removed, one added; a background snapshot, then one in one go.
      const drafts = Array.from({ length: 700 }, (_, i) => item(`drafts${i}`, 'drafts'));
      cache.apply([
        loaded('drafts', [...drafts.slice(1), item('drafts5', 'drafts', 1), item('new', 'drafts')]),
      ]);
      cache.files.saveSoon(cache.snapshot(), 'unknown');
      await cache.files.idle;
      expect(readAfterCrash(cache.dir)).toEqual(contents(cache.snapshot()));
      cache.apply([loaded('later', [item('only', 'later')])]);
      cache.files.save(cache.snapshot());
      expect(readAfterCrash(cache.dir)).toEqual(contents(cache.snapshot()));
      // The inbox never changed: its lines are as they were, copied or not.
      const lines = readFileSync(cache.path, 'latin1').split('\n').slice(1);
      expect(lines.filter((line) => line.includes('"inbox"'))).toEqual(
        unchanged.filter((line) => line.includes('"inbox"')),
      );
    } finally {
      cache.files.close();
    }
  });

  it('copies nothing from a snapshot file that was changed after it was written', () => {
    const cache = filled(300);
    cache.files.save(cache.snapshot());
    try {
      // Same size, same inode, a new modification time: only the time tells it apart.
      const text = readFileSync(cache.path, 'latin1');
      expect(text).toContain('subject inbox7"');
      writeFileSync(cache.path, text.replace('subject inbox7"', 'subject XXXXX7"'), 'latin1');
      cache.apply([loaded('later', [item('only', 'later')])]);
      cache.files.save(cache.snapshot());
      expect(readFileSync(cache.path, 'latin1')).not.toContain('XXXXX');
      expect(readAfterCrash(cache.dir)).toEqual(contents(cache.snapshot()));
    } finally {
      cache.files.close();
    }
  });
});
