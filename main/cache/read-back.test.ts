import { describe, expect, it } from 'vitest';
import { applyJournal } from './change-journal.js';
import { CACHE_SCHEMA, decodeSnapshot, decodeSnapshotSteps } from './codec.js';
import { item, SESSION as session } from './test-support.js';

/** How often `steps` yields before its end, and what it ends with. */
function stepsOf<T>(steps: Generator<void, T, undefined>): { yields: number; value: T } {
  let yields = 0;
  for (;;) {
    const step = steps.next();
    if (step.done) return { yields, value: step.value };
    yields++;
  }
}

/** A snapshot file's document, as its lines read back: `count` items in the inbox. */
const documentOf = (count: number) => ({
  schema: CACHE_SCHEMA,
  savedAt: 1,
  unseen: [],
  session,
  workbins: [
    {
      ownerUserId: 'u-agent1',
      workbinId: 'inbox',
      displayName: 'Inbox',
      type: 'Email',
      items: Array.from({ length: count }, (_, i) => item(`i${i}`)),
    },
  ],
});

/**
 * A start reads a large cache's lines in slices; what comes after the last line, the journal
 * applied and every item checked, goes in steps too: in one go it held a 100,000-item start's
 * event loop for 110-190 ms.
 */
describe('a large cache read back in steps', () => {
  it('checks its items a thousand at a time', () => {
    const raw = documentOf(5_000);
    const { yields, value } = stepsOf(decodeSnapshotSteps(raw));
    expect(yields).toBeGreaterThanOrEqual(5);
    const held = value.ok ? value.value.snapshot.state.workbins.get('u-agent1/inbox') : undefined;
    expect([...(held?.items.values() ?? [])]).toEqual(raw.workbins[0]?.items);
  });

  it('counts an item held twice once, as its last value, in what the workbin holds', () => {
    const raw = documentOf(2);
    const [first] = raw.workbins;
    first?.items.push(item('i0', 'inbox', 1));
    const decoded = decodeSnapshot(raw);
    const once = decodeSnapshot(documentOf(2));
    expect(decoded.ok && decoded.value.snapshot.state.workbins.get('u-agent1/inbox')).toMatchObject(
      {
        items: new Map([
          ['i0', item('i0', 'inbox', 1)],
          ['i1', item('i1')],
        ]),
        bytes: once.ok
          ? (once.value.snapshot.state.workbins.get('u-agent1/inbox')?.bytes ?? 0) + 2 * 3
          : Number.NaN,
      },
    );
  });

  it('applies its journal a thousand items at a time', () => {
    const raw = documentOf(5_000);
    const line = JSON.stringify({
      savedAt: 2,
      workbins: [{ ...raw.workbins[0], items: [item('i1', 'inbox', 1)], removed: ['i2'] }],
      removedWorkbins: [],
      unseenAdded: [],
      unseenRemoved: [],
    });
    const { yields, value } = stepsOf(applyJournal(raw, [line]));
    expect(yields).toBeGreaterThanOrEqual(10);
    expect(value.applied).toBe(1);
    const items = (value.raw as ReturnType<typeof documentOf>).workbins[0]?.items ?? [];
    expect(items).toHaveLength(4_999);
    expect(items[1]).toEqual(item('i1', 'inbox', 1));
    expect(items.find((i) => i.id === 'i2')).toBeUndefined();
  });
});

describe('an item read back from the cache', () => {
  it('is kept as parsed when it is already what the check would make; others are copied', () => {
    const raw = JSON.parse(
      JSON.stringify({
        ...documentOf(0),
        workbins: [
          {
            ...documentOf(0).workbins[0],
            items: [
              item('kept'),
              { ...item('extra'), note: 'not a field' },
              { ...item('dated'), receivedAt: 'yesterday' },
              { ...item('moved'), workbinId: 'elsewhere' },
            ],
          },
        ],
      }),
    );
    raw.workbins[0].items.push(
      JSON.parse(JSON.stringify(item('proto')).replace('{', '{"__proto__":{"x":1},')),
    );
    const decoded = decodeSnapshot(raw);
    const items = decoded.ok
      ? decoded.value.snapshot.state.workbins.get('u-agent1/inbox')?.items
      : undefined;
    const [kept, extra, , , proto] = raw.workbins[0].items;
    expect(items?.get('kept')).toBe(kept);
    expect(items?.get('extra')).not.toBe(extra);
    expect(items?.get('extra')).toEqual(item('extra'));
    expect(items?.get('dated')).toEqual({ ...item('dated'), receivedAt: null });
    expect(items?.get('moved')).toEqual(item('moved'));
    expect(items?.get('proto')).not.toBe(proto);
    expect(items?.get('proto')).toEqual(item('proto'));
  });
});
