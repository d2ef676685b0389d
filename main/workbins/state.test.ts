import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WorkbinItem } from '../contract/domain.js';
import { ITEM_KINDS, type ItemKind } from '../contract/kinds.js';
import type { WorkbinMessage } from './messages.js';
import {
  DEFAULT_LIMITS,
  EMPTY_STATE,
  itemBytes,
  reduce,
  type WorkbinEvent,
  type WorkbinState,
} from './state.js';

const OWNER = 'u-1';

function item(id: string, workbinId: string, kind: ItemKind = 'email', summary = id): WorkbinItem {
  return {
    id,
    kind,
    workbinId,
    ownerUserId: OWNER,
    summary,
    from: 'x',
    receivedAt: null,
    receivedRaw: '',
    state: 'InWorkbin',
    userData: {},
  };
}

const addMsg = (i: WorkbinItem): WorkbinEvent => ({
  type: 'message',
  message: { type: 'item-added', item: i },
});
const removeMsg = (id: string, workbinId: string): WorkbinEvent => ({
  type: 'message',
  message: { type: 'item-removed', ownerUserId: OWNER, workbinId, itemId: id, kind: 'email' },
});

/** An item received at `at` (ms; null: no date the server gave could be read). */
const dated = (id: string, at: number | null, workbinId = 'w0'): WorkbinItem => ({
  ...item(id, workbinId),
  receivedAt: at,
});

/** A workbin's contents as a REST load brings them. */
const contentsLoaded = (workbinId: string, items: WorkbinItem[], at = 1): WorkbinEvent => ({
  type: 'contents-loaded',
  ownerUserId: OWNER,
  workbinId,
  items,
  at,
});

/** The app lists an owner's workbins before anything else: only a listing creates one. */
const LISTED = reduce(EMPTY_STATE, [
  {
    type: 'workbins-listed',
    ownerUserId: OWNER,
    workbins: [0, 1, 2].map((w) => ({
      id: `w${w}`,
      ownerUserId: OWNER,
      displayName: `W${w}`,
      type: 'Agent' as const,
    })),
  },
]).state;

/** Each workbin's byte count is the sum over the items it holds. */
function exactBytes(state: WorkbinState): void {
  for (const view of state.workbins.values()) {
    let sum = 0;
    for (const held of view.items.values()) sum += itemBytes(held);
    expect(view.bytes, view.key).toBe(sum);
  }
}

function contents(state: WorkbinState): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const view of state.workbins.values()) {
    if (view.items.size > 0) out[view.workbinId] = [...view.items.keys()].sort();
  }
  return out;
}

/** The server side of a random history: its final truth and the messages it sent. */
type Op = { op: 'add' | 'remove' | 'ghost' | 'dup'; id: number; workbin: number; kind: number };
const opArb = fc.record({
  op: fc.constantFrom('add', 'add', 'remove', 'ghost', 'dup'),
  id: fc.integer({ min: 0, max: 12 }),
  workbin: fc.integer({ min: 0, max: 2 }),
  kind: fc.integer({ min: 0, max: ITEM_KINDS.length - 1 }),
}) as fc.Arbitrary<Op>;

function serverRun(ops: readonly Op[]): {
  truth: Map<string, WorkbinItem>;
  sent: WorkbinEvent[];
} {
  const truth = new Map<string, WorkbinItem>();
  const sent: WorkbinEvent[] = [];
  for (const o of ops) {
    const id = `i${o.id}`;
    if (o.op === 'add' && !truth.has(id)) {
      const it = item(id, `w${o.workbin}`, ITEM_KINDS[o.kind]);
      truth.set(id, it);
      sent.push(addMsg(it));
    } else if (o.op === 'remove' && truth.has(id)) {
      const it = truth.get(id) as WorkbinItem;
      truth.delete(id);
      sent.push(removeMsg(id, it.workbinId));
    } else if (o.op === 'ghost') {
      sent.push(removeMsg(`ghost${o.id}`, `w${o.workbin}`));
    } else if (o.op === 'dup' && sent.length > 0) {
      // At-least-once delivery: the latest message comes twice.
      sent.push(sent[sent.length - 1] as WorkbinEvent);
    }
  }
  return { truth, sent };
}

function truthContents(truth: Map<string, WorkbinItem>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const it of truth.values()) out[it.workbinId] = [...(out[it.workbinId] ?? []), it.id];
  for (const ids of Object.values(out)) ids.sort();
  return out;
}

describe('reduce', () => {
  it('any delivered history gives the server’s final contents', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 80 }), (ops) => {
        const { truth, sent } = serverRun(ops);
        expect(contents(reduce(LISTED, sent).state)).toEqual(truthContents(truth));
      }),
    );
  });

  it('one batch equals event by event, and never modifies its input', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 60 }), (ops) => {
        const { sent } = serverRun(ops);
        let stepwise = LISTED;
        for (const event of sent) {
          const before = contents(stepwise);
          const next = reduce(stepwise, [event]).state;
          expect(contents(stepwise)).toEqual(before);
          stepwise = next;
        }
        expect(contents(reduce(LISTED, sent).state)).toEqual(contents(stepwise));
      }),
    );
  });

  it('a snapshot mid-stream plus the replayed live messages converges to the truth', () => {
    fc.assert(
      fc.property(
        fc.array(opArb, { minLength: 1, maxLength: 60 }),
        fc.nat(),
        fc.nat(),
        (ops, cutSeed, replaySeed) => {
          const { truth, sent } = serverRun(ops);
          // The client saw some messages live, then a REST snapshot taken at some point,
          // then replays what it saw since it sent the request, then the rest.
          const cut = cutSeed % (sent.length + 1);
          const replayFrom = cut === 0 ? 0 : replaySeed % (cut + 1);
          const snapshotTruth = truthAtMessage(ops, cut);
          const loaded = [0, 1, 2].map((w) =>
            contentsLoaded(
              `w${w}`,
              [...snapshotTruth.values()].filter((i) => i.workbinId === `w${w}`),
            ),
          );
          const replayed = sent
            .slice(replayFrom, cut)
            .map((e) => ({ ...e, replayed: true }) as WorkbinEvent);
          const events = [...sent.slice(0, cut), ...loaded, ...replayed, ...sent.slice(cut)];
          expect(contents(reduce(LISTED, events).state)).toEqual(truthContents(truth));
        },
      ),
    );
  });

  it('reports live adds once, not for duplicates, loads or replays', () => {
    const a = item('a', 'w0');
    const { state, changes } = reduce(LISTED, [addMsg(a), addMsg(a)]);
    expect(changes.filter((c) => c.type === 'item-added')).toEqual([
      { type: 'item-added', key: 'u-1/w0', item: a, live: true },
    ]);
    const loaded = reduce(state, [contentsLoaded('w0', [a, item('b', 'w0')], 5)]);
    expect(loaded.changes.filter((c) => c.type === 'item-added')).toMatchObject([{ live: false }]);
    expect(loaded.state.workbins.get('u-1/w0')?.syncedAt).toBe(5);
  });

  it('tolerates removes of unknown items and workbins', () => {
    const { state, changes } = reduce(EMPTY_STATE, [removeMsg('nope', 'w9')]);
    expect(state).toBe(EMPTY_STATE);
    expect(changes).toEqual([]);
  });

  it('tracks subscription state and reports failures', () => {
    const failed: WorkbinMessage = {
      type: 'subscription',
      ownerUserId: OWNER,
      workbinId: 'w0',
      state: 'RequestFailed',
      referenceId: 3,
      reason: 'backend down',
    };
    const { state, changes } = reduce(LISTED, [
      { type: 'subscription-requested', ownerUserId: OWNER, workbinId: 'w0' },
      { type: 'message', message: failed },
    ]);
    expect(state.workbins.get('u-1/w0')).toMatchObject({
      subscription: 'failed',
      failure: 'backend down',
    });
    expect(changes).toContainEqual({
      type: 'subscription-failed',
      key: 'u-1/w0',
      reason: 'backend down',
    });
  });

  it('reports a changed item as an update, with what it was', () => {
    const a = item('a', 'w0', 'email', 'first subject');
    const changed = item('a', 'w0', 'email', 'second subject');
    const { state, changes } = reduce(LISTED, [addMsg(a), addMsg(changed), addMsg(changed)]);
    expect(changes.filter((c) => c.type.startsWith('item-'))).toEqual([
      { type: 'item-added', key: 'u-1/w0', item: a, live: true },
      { type: 'item-updated', key: 'u-1/w0', item: changed, previous: a, live: true },
    ]);
    expect(state.workbins.get('u-1/w0')?.items.get('a')?.summary).toBe('second subject');
  });

  it('reports an item a reload finds changed as an update, not as nothing', () => {
    // Changed while we were offline: the list, the cache journal and the notices must hear it.
    const a = item('a', 'w0', 'email', 'first subject');
    const changed = item('a', 'w0', 'email', 'second subject');
    const load = (items: WorkbinItem[]) => contentsLoaded('w0', items);
    const first = reduce(LISTED, [load([a, item('b', 'w0')])]).state;
    const { changes } = reduce(first, [load([changed, item('b', 'w0')])]);
    expect(changes.filter((c) => c.type.startsWith('item-'))).toEqual([
      { type: 'item-updated', key: 'u-1/w0', item: changed, previous: a, live: false },
    ]);
  });

  it('keeps the object it holds for an item a reload finds unchanged', () => {
    // What the cache copies and the page was told are keyed by the item object: a resync that
    // changes nothing must leave the state's items as they were, not swap in equal copies.
    const kept = item('a', 'w0');
    const first = reduce(LISTED, [contentsLoaded('w0', [kept, item('b', 'w0', 'email', 'old')])]);
    const fresh = [item('a', 'w0'), item('b', 'w0', 'email', 'new')];
    const again = reduce(first.state, [contentsLoaded('w0', fresh)]).state;
    const items = again.workbins.get('u-1/w0')?.items;
    expect(items?.get('a')).toBe(kept);
    expect(items?.get('b')).toBe(fresh[1]);
  });

  it('tells a reload’s changed user data from the same data in another order', () => {
    const withData = (userData: WorkbinItem['userData']) => ({ ...item('a', 'w0'), userData });
    const held = reduce(LISTED, [contentsLoaded('w0', [withData({ x: '1', y: 2 })])]).state;
    const updates = (userData: WorkbinItem['userData']) =>
      reduce(held, [contentsLoaded('w0', [withData(userData)])]).changes.filter(
        (c) => c.type === 'item-updated',
      ).length;
    expect(updates({ y: 2, x: '1' })).toBe(0);
    expect(updates({ x: '1', y: '2' })).toBe(1);
    expect(updates({ x: '1' })).toBe(1);
    expect(updates({ x: '1', y: 2, z: null })).toBe(1);
    expect(updates({ x: '1', z: 2 })).toBe(1);
  });

  it('never lets a message create a workbin: only a listing does', () => {
    const stray = item('x', 'never-listed');
    const answer: WorkbinMessage = {
      type: 'subscription',
      ownerUserId: 'someone-else',
      workbinId: 'w0',
      state: 'Subscribed',
      referenceId: null,
      reason: null,
    };
    const { state, changes, ignored } = reduce(LISTED, [
      addMsg(stray),
      { type: 'message', message: answer },
    ]);
    expect(state).toBe(LISTED);
    expect(changes).toEqual([]);
    expect(ignored).toBe(2);
  });

  it('drops the workbins of owners no longer watched', () => {
    const other = reduce(LISTED, [
      {
        type: 'workbins-listed',
        ownerUserId: 'u-2',
        workbins: [{ id: 'w0', ownerUserId: 'u-2', displayName: 'W0', type: 'Agent' }],
      },
    ]).state;
    const { state, changes } = reduce(other, [{ type: 'owners-watched', owners: [OWNER] }]);
    expect([...state.workbins.keys()].sort()).toEqual(['u-1/w0', 'u-1/w1', 'u-1/w2']);
    expect(changes).toEqual([{ type: 'workbin-removed', key: 'u-2/w0' }]);
  });

  it('holds at most itemsPerWorkbin items: the newest, saying how many it let go', () => {
    const limits = { ...DEFAULT_LIMITS, itemsPerWorkbin: 3 };
    const loaded = reduce(
      LISTED,
      [
        contentsLoaded('w0', [
          dated('a', 1),
          dated('b', 5),
          dated('c', 3),
          dated('d', 4),
          dated('e', 2),
        ]),
      ],
      limits,
    ).state;
    const w0 = () => loaded.workbins.get('u-1/w0');
    expect([...(w0()?.items.keys() ?? [])].sort()).toEqual(['b', 'c', 'd']);
    expect(w0()?.dropped).toBe(2);
    // A live add into a full workbin lets the oldest go.
    const { state, changes } = reduce(loaded, [addMsg(dated('f', 9))], limits);
    expect([...(state.workbins.get('u-1/w0')?.items.keys() ?? [])].sort()).toEqual(['b', 'd', 'f']);
    expect(state.workbins.get('u-1/w0')?.dropped).toBe(3);
    expect(changes).toContainEqual({
      type: 'item-removed',
      key: 'u-1/w0',
      item: dated('c', 3),
      live: false,
    });
  });

  it('lets the oldest 1 % go at once when a full workbin takes one more, not one per message', () => {
    // Finding the oldest is a pass over the workbin: done once per 1 % of the bound, a
    // message's cost stays the same when the workbin is full.
    const limits = { ...DEFAULT_LIMITS, itemsPerWorkbin: 200 };
    const full = reduce(
      LISTED,
      [
        // Received out of order, and two with no date, which count as oldest.
        contentsLoaded('w0', [
          ...Array.from({ length: 198 }, (_, i) => dated(`i${i}`, ((i * 7919) % 198) + 10)),
          dated('undated-1', null),
          dated('undated-2', null),
        ]),
      ],
      limits,
    ).state;
    const w0 = (state: WorkbinState) => state.workbins.get('u-1/w0');
    expect(w0(full)?.items.size).toBe(200);
    const { state, changes } = reduce(full, [addMsg(dated('new-1', 1_000))], limits);
    // 200 + 1 - 3 = 198: room for two more before the next pass.
    const gone = changes.flatMap((c) => (c.type === 'item-removed' ? [c.item.id] : []));
    const oldestDated = [...(w0(full)?.items.values() ?? [])]
      .filter((i) => i.receivedAt !== null)
      .sort((a, b) => (a.receivedAt ?? 0) - (b.receivedAt ?? 0))[0]?.id;
    expect(gone.sort()).toEqual(['undated-1', 'undated-2', oldestDated].sort());
    expect(w0(state)?.items.size).toBe(198);
    expect(w0(state)?.dropped).toBe(3);
    const after = reduce(
      state,
      [addMsg(dated('new-2', 1_001)), addMsg(dated('new-3', 1_002))],
      limits,
    );
    expect(after.changes.filter((c) => c.type === 'item-removed')).toEqual([]);
    expect(w0(after.state)?.items.size).toBe(200);
    exactBytes(after.state);
  });

  it('lets exactly the oldest go from a full workbin, whatever the dates and their order', () => {
    const limits = { ...DEFAULT_LIMITS, itemsPerWorkbin: 150 };
    // Few distinct dates (many ties) and some missing, in any order.
    const dateArb = fc.option(fc.integer({ min: 0, max: 20 }), { nil: null });
    fc.assert(
      fc.property(fc.array(dateArb, { minLength: 150, maxLength: 150 }), dateArb, (dates, last) => {
        const items = dates.map((at, i) => dated(`i${i}`, at));
        const full = reduce(LISTED, [contentsLoaded('w0', items)], limits).state;
        const added = dated('new', last);
        const { state, changes } = reduce(full, [addMsg(added)], limits);
        const age = (at: number | null) => at ?? Number.NEGATIVE_INFINITY;
        const gone = changes.flatMap((c) => (c.type === 'item-removed' ? [c.item] : []));
        // 1 % of 150 is 1: two go, and no item kept is older than one let go.
        expect(gone).toHaveLength(2);
        const kept = [...(state.workbins.get('u-1/w0')?.items.values() ?? [])];
        expect(kept).toHaveLength(149);
        expect(kept.some((i) => i.id === 'new')).toBe(true);
        const newestGone = Math.max(...gone.map((i) => age(i.receivedAt)));
        const oldestKept = Math.min(
          ...kept.filter((i) => i.id !== 'new').map((i) => age(i.receivedAt)),
        );
        expect(newestGone).toBeLessThanOrEqual(oldestKept);
        exactBytes(state);
      }),
    );
  });

  it('keeps the byte count of every workbin exact, whatever the history', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 60 }), fc.nat({ max: 60 }), (ops, cut) => {
        const { sent } = serverRun(ops);
        const first = reduce(LISTED, sent.slice(0, cut)).state;
        exactBytes(first);
        exactBytes(reduce(first, sent.slice(cut)).state);
      }),
    );
  });

  it('holds at most retainedBytes across workbins: the oldest go, down to 90 %, and each workbin says how many', () => {
    const big = (id: string, at: number, workbinId = 'w0') => ({
      ...item(id, workbinId, 'email', 'x'.repeat(400)),
      receivedAt: at,
    });
    const size = itemBytes(big('i0', 0));
    // Room for ten items.
    const limits = { ...DEFAULT_LIMITS, retainedBytes: size * 10 };
    let state = LISTED;
    for (let i = 0; i < 10; i++)
      state = reduce(state, [addMsg(big(`i${i}`, i, `w${i % 2}`))], limits).state;
    expect(state.workbins.get('u-1/w0')?.dropped).toBe(0);
    // The eleventh: the oldest two go (down to nine), from the workbins that held them.
    const { state: over, changes } = reduce(state, [addMsg(big('j0', 10, 'w2'))], limits);
    const ids = (key: string) => [...(over.workbins.get(key)?.items.keys() ?? [])].sort();
    expect(ids('u-1/w0')).toEqual(['i2', 'i4', 'i6', 'i8']);
    expect(ids('u-1/w1')).toEqual(['i3', 'i5', 'i7', 'i9']);
    expect(ids('u-1/w2')).toEqual(['j0']);
    expect(over.workbins.get('u-1/w0')?.dropped).toBe(1);
    expect(over.workbins.get('u-1/w1')?.dropped).toBe(1);
    expect(changes.filter((c) => c.type === 'item-removed').map((c) => c.item.id)).toEqual([
      'i0',
      'i1',
    ]);
    // A load too large for the bound keeps its newest, and the bound holds.
    const loaded = reduce(
      over,
      [
        contentsLoaded(
          'w2',
          Array.from({ length: 30 }, (_, i) => big(`L${i}`, 100 + i, 'w2')),
        ),
      ],
      limits,
    ).state;
    let total = 0;
    for (const view of loaded.workbins.values()) total += view.bytes;
    expect(total).toBeLessThanOrEqual(limits.retainedBytes);
    expect([...(loaded.workbins.get('u-1/w2')?.items.keys() ?? [])]).toContain('L29');
    expect(loaded.workbins.get('u-1/w0')?.items.size).toBe(0);
  });

  it('drops workbins that the server no longer lists', () => {
    const listed = (ids: string[]): WorkbinEvent => ({
      type: 'workbins-listed',
      ownerUserId: OWNER,
      workbins: ids.map((id) => ({
        id,
        ownerUserId: OWNER,
        displayName: id.toUpperCase(),
        type: 'Agent',
      })),
    });
    const first = reduce(EMPTY_STATE, [listed(['a', 'b'])]).state;
    expect([...first.workbins.values()].map((v) => v.displayName)).toEqual(['A', 'B']);
    const second = reduce(first, [listed(['b'])]);
    expect([...second.state.workbins.keys()]).toEqual(['u-1/b']);
    expect(second.changes).toContainEqual({ type: 'workbin-removed', key: 'u-1/a' });
  });

  it('keeps a watched owner’s name when a later listing could not look it up', () => {
    const listed = (ownerName: string | null): WorkbinEvent => ({
      type: 'workbins-listed',
      ownerUserId: OWNER,
      ownerName,
      workbins: [{ id: 'a', ownerUserId: OWNER, displayName: 'A', type: 'Agent' }],
    });
    const named = reduce(EMPTY_STATE, [listed('Ada Lovelace')]);
    expect(named.state.workbins.get('u-1/a')?.ownerName).toBe('Ada Lovelace');
    const again = reduce(named.state, [listed(null)]);
    expect(again.state.workbins.get('u-1/a')?.ownerName).toBe('Ada Lovelace');
    expect(again.changes).toEqual([]);
    const renamed = reduce(again.state, [listed('Ada King')]);
    expect(renamed.state.workbins.get('u-1/a')?.ownerName).toBe('Ada King');
    expect(renamed.changes).toContainEqual({ type: 'workbin-updated', key: 'u-1/a' });
  });
});

/** The server's truth after the messages up to `messageCount` had been sent. */
function truthAtMessage(ops: readonly Op[], messageCount: number): Map<string, WorkbinItem> {
  for (let n = 0; n <= ops.length; n++) {
    const run = serverRun(ops.slice(0, n));
    if (run.sent.length >= messageCount) return run.truth;
  }
  return serverRun(ops).truth;
}
