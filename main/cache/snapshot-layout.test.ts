import { describe, expect, it } from 'vitest';
import type { WorkbinItem } from '../contract/domain.js';
import { newestFirst } from '../contract/item-order.js';
import { itemKey } from '../contract/keys.js';
import { PREVIEW_ITEMS, SNAPSHOT_PART_ITEMS } from '../contract/snapshot-parts.js';
import { runInSlices, runToEnd } from '../slices/time-slices.js';
import { EMPTY_STATE, reduce } from '../workbins/state.js';
import { type CachedSnapshot, decodeSnapshot } from './codec.js';
import { decodePreview, encodeSnapshotPieces, parseSnapshotBytes } from './snapshot-layout.js';
import { item, SESSION as session } from './test-support.js';
import type { ItemLine, LineSource } from './written-lines.js';

/** `count` items over `workbins` workbins, their dates shuffled so that no order is given. */
function snapshotOf(count: number, workbins = 3): CachedSnapshot {
  const byWorkbin = new Map<string, WorkbinItem[]>();
  for (let i = 0; i < count; i++) {
    const workbinId = `w${i % workbins}`;
    const dated = { ...item(`i${i}`, workbinId), receivedAt: ((i * 7919) % count) * 1000 };
    byWorkbin.set(workbinId, [...(byWorkbin.get(workbinId) ?? []), dated]);
  }
  const state = reduce(
    EMPTY_STATE,
    [...byWorkbin].map(([workbinId, items]) => ({
      type: 'contents-loaded' as const,
      ownerUserId: 'u-agent1',
      workbinId,
      items,
      at: 1,
    })),
  ).state;
  const unseen = [itemKey('u-agent1/w0', 'i0'), itemKey('u-agent1/gone', 'i1'), 'no key'];
  return { savedAt: 7, session, state, unseen };
}

/** The whole file's text, as a save in one go writes it. */
const encodeSnapshotText = (snapshot: CachedSnapshot, journal: number) =>
  [...encodeSnapshotPieces(snapshot, journal)].join('');

const readBack = (text: string) => {
  const decoded = decodeSnapshot(runToEnd(parseSnapshotBytes(Buffer.from(text))));
  if (!decoded.ok) throw new Error(decoded.error);
  return decoded.value.snapshot;
};

const itemsOf = (snapshot: CachedSnapshot) =>
  [...snapshot.state.workbins.values()].flatMap((view) => [...view.items.values()]);

describe('the snapshot file in lines', () => {
  it('reads back what it wrote, however its lines are cut', () => {
    for (const [count, perLine] of [
      [0, 250],
      [1, 1],
      [10, 3],
      [9, 3],
      [2_500, 1_000],
    ] as const) {
      const snapshot = snapshotOf(count);
      const text = [...encodeSnapshotPieces(snapshot, 4, { itemsPerLine: perLine })].join('');
      const back = readBack(text);
      expect(itemsOf(back), `${count} items, ${perLine} a line`).toEqual(itemsOf(snapshot));
      expect(back.session).toEqual(session);
      // Each line is whole JSON: a start parses them one at a time.
      for (const line of text.split('\n').slice(0, -1))
        expect(() => JSON.parse(line)).not.toThrow();
    }
  });

  it('copies the lines of the file before whose items are all unchanged, and says where each line went', () => {
    const before = snapshotOf(30);
    const linesBefore: ItemLine[] = [];
    const textBefore = [
      ...encodeSnapshotPieces(before, 4, { itemsPerLine: 4, written: linesBefore }),
    ].join('');
    const copied: ItemLine[] = [];
    const source: LineSource = {
      linesOf: (workbin) => linesBefore.filter((line) => line.workbin === workbin),
      text(line) {
        copied.push(line);
        return textBefore.slice(line.start, line.end);
      },
    };
    // w0 goes (the others move up a place); one item of w1 changes; w2 stays as it was.
    const workbins = new Map(before.state.workbins);
    workbins.delete('u-agent1/w0');
    const w1 = workbins.get('u-agent1/w1');
    if (!w1) throw new Error('no w1');
    const [changed] = w1.items.values();
    if (!changed) throw new Error('w1 is empty');
    const edited = { ...changed, summary: 'edited' };
    workbins.set(w1.key, { ...w1, items: new Map(w1.items).set(changed.id, edited) });
    const after: CachedSnapshot = { ...before, state: { workbins } };
    const lines: ItemLine[] = [];
    const text = [
      ...encodeSnapshotPieces(after, 5, { itemsPerLine: 4, copyFrom: source, written: lines }),
    ].join('');

    const byId = (items: readonly WorkbinItem[]) =>
      [...items].sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(byId(itemsOf(readBack(text)))).toEqual(byId(itemsOf(after)));
    // w2's three lines and the two of w1's without the edited item; none of w0's.
    expect(copied.map((line) => line.workbin)).toEqual([
      'u-agent1/w1',
      'u-agent1/w1',
      'u-agent1/w2',
      'u-agent1/w2',
      'u-agent1/w2',
    ]);
    expect(copied.flatMap((line) => line.items)).not.toContain(changed);
    // Each line is where it is said to be, after the place of its workbin in the new head.
    expect(lines).toHaveLength(6);
    for (const line of lines) {
      const w = line.workbin === 'u-agent1/w1' ? 0 : 1;
      expect(text.slice(line.start - `{"w":${w},`.length, line.start)).toBe(`{"w":${w},`);
      expect(text.slice(line.start, line.end)).toBe(`"items":${JSON.stringify(line.items)}}\n`);
    }
  });

  it('reads a line written in UTF-8, not escaped, as its text', () => {
    const snapshot = snapshotOf(3);
    const text = [...encodeSnapshotPieces(snapshot, 4, { itemsPerLine: 1 })].join('');
    const subject = 'Жалоба 請求 🚚';
    // What a hand or an older writer may leave: the characters themselves, not `\u` escapes.
    const back = readBack(text.replace('"summary":"', `"summary":"${subject}`));
    expect(itemsOf(back).filter((item) => item.summary.startsWith(subject))).toHaveLength(1);
  });

  it('writes the newest items in the head of a large snapshot, and reads its preview from it alone', () => {
    const snapshot = snapshotOf(PREVIEW_ITEMS + 1);
    const text = encodeSnapshotText(snapshot, 4);
    const head = text.slice(0, text.indexOf('\n'));
    const preview = decodePreview(head);
    const top = itemsOf(snapshot).sort(newestFirst).slice(0, SNAPSHOT_PART_ITEMS);
    expect(preview?.newest).toEqual(top);
    expect(preview?.counts).toEqual(
      new Map([
        ['u-agent1/w0', 3_334],
        ['u-agent1/w1', 3_334],
        ['u-agent1/w2', 3_333],
      ]),
    );
    expect(preview?.snapshot.session).toEqual(session);
    // New counts over the whole file (i0 is not among the newest), of its workbins only.
    expect(top.some((i) => i.id === 'i0')).toBe(false);
    expect(preview?.snapshot.unseen).toEqual([itemKey('u-agent1/w0', 'i0')]);
    // Read whole, the newest are not there twice.
    expect(itemsOf(readBack(text))).toHaveLength(PREVIEW_ITEMS + 1);
  });

  it('has no preview for a small snapshot or an older layout', () => {
    const small = encodeSnapshotText(snapshotOf(10), 4);
    expect(decodePreview(small.slice(0, small.indexOf('\n')))).toBeNull();
    const v3 = JSON.stringify({
      schema: 3,
      savedAt: 1,
      session,
      unseen: [],
      workbins: [],
      newest: [item('a')],
    });
    expect(decodePreview(v3)).toBeNull();
    expect(decodePreview('{"schema":4,"newest":[')).toBeNull();
  });

  it('calls a file that is not whole or not its own a syntax error', () => {
    const text = encodeSnapshotText(snapshotOf(30), 4);
    const lines = text.split('\n');
    const broken = {
      'a torn last line': text.slice(0, -20),
      'no newline at the end': text.slice(0, -1),
      'a line lost': [...lines.slice(0, 2), ...lines.slice(3)].join('\n'),
      'a line for no workbin': `${text}{"w":3,"items":[]}\n`,
      'a line that is not of items': `${text}{"w":0}\n`,
      'no count in the head': text.replace('"count":10', '"count":"10"'),
    };
    for (const [what, file] of Object.entries(broken))
      expect(() => runToEnd(parseSnapshotBytes(Buffer.from(file))), what).toThrow(SyntaxError);
  });

  it('leaves a newer layout for decodeSnapshot to refuse, whatever its lines hold', () => {
    const raw = runToEnd(parseSnapshotBytes(Buffer.from('{"schema":5,"whatever":\n[1,2\n')));
    expect(decodeSnapshot(raw)).toMatchObject({
      ok: false,
      error: expect.stringContaining('newer'),
    });
  });

  it('lets the event loop turn while it reads in slices', async () => {
    const text = encodeSnapshotText(snapshotOf(5_000), 4);
    let turns = 0;
    const counting = setInterval(() => turns++, 0);
    const raw = await runInSlices(parseSnapshotBytes(Buffer.from(text)), 0);
    clearInterval(counting);
    expect(turns).toBeGreaterThan(0);
    expect(itemsOf(readBack(text))).toHaveLength(5_000);
    expect(raw).toEqual(runToEnd(parseSnapshotBytes(Buffer.from(text))));
  });
});
