import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { WorkbinItem } from '../contract/domain.js';
import { StateBatcher } from './batcher.js';
import {
  EMPTY_STATE,
  itemCount,
  reduce,
  type WorkbinChange,
  type WorkbinEvent,
  type WorkbinState,
} from './state.js';

const OWNER = 'u-1';

function item(id: string): WorkbinItem {
  return {
    id,
    kind: 'email',
    workbinId: 'w0',
    ownerUserId: OWNER,
    summary: `subject of ${id}`,
    from: 'x',
    receivedAt: null,
    receivedRaw: '',
    state: 'InWorkbin',
    userData: { Subject: `subject of ${id}` },
  };
}

const LISTED: WorkbinEvent = {
  type: 'workbins-listed',
  ownerUserId: OWNER,
  workbins: [{ id: 'w0', ownerUserId: OWNER, displayName: 'W0', type: 'Agent' }],
};

/** 100,000 items: folding them takes far longer than a slice on any machine. */
const LARGE: WorkbinEvent = {
  type: 'contents-loaded',
  ownerUserId: OWNER,
  workbinId: 'w0',
  items: Array.from({ length: 100_000 }, (_, i) => item(`ID${i}`)),
  at: 1,
};

const removal = (itemId: string): WorkbinEvent => ({
  type: 'message',
  message: { type: 'item-removed', ownerUserId: OWNER, workbinId: 'w0', itemId, kind: 'email' },
});

/** A batcher over the listing, and every change set it publishes. */
function batcher(): { batcher: StateBatcher; published: (readonly WorkbinChange[])[] } {
  const published: (readonly WorkbinChange[])[] = [];
  const start = reduce(EMPTY_STATE, [LISTED]).state;
  return {
    batcher: new StateBatcher(start, (_state: WorkbinState, changes) => published.push(changes)),
    published,
  };
}

describe('StateBatcher', () => {
  it('folds a large load over several turns, publishing it once, the events after it after', async () => {
    const { batcher: b, published } = batcher();
    b.enqueue(LARGE);
    let turns = 0;
    let sawPartial = false;
    while (published.length === 0) {
      await nextTurn();
      turns++;
      // Until it is done, the state is the one before it: never a part of the load.
      if (published.length === 0 && itemCount(b.state) !== 0) sawPartial = true;
      // Arrives while the load is folded: folded after it, so it removes a loaded item.
      if (turns === 2) b.enqueue(removal('ID7'));
    }
    expect(turns).toBeGreaterThan(2);
    expect(sawPartial).toBe(false);
    expect(published).toHaveLength(1);
    expect(published[0]?.filter((c) => c.type === 'item-added')).toHaveLength(100_000);
    await b.settled();
    expect(published).toHaveLength(2);
    expect(published[1]?.map((c) => c.type)).toEqual(['item-removed']);
    expect(itemCount(b.state)).toBe(99_999);
    // The same as one reduction of the same events.
    const whole = reduce(reduce(EMPTY_STATE, [LISTED]).state, [LARGE, removal('ID7')]).state;
    expect([...(b.state.workbins.get(`${OWNER}/w0`)?.items.keys() ?? [])].sort()).toEqual(
      [...(whole.workbins.get(`${OWNER}/w0`)?.items.keys() ?? [])].sort(),
    );
  });

  it('flush() makes the state current at once, a load in slices and what queued behind it', async () => {
    const { batcher: b, published } = batcher();
    b.enqueue(LARGE);
    await nextTurn();
    await nextTurn();
    expect(published).toHaveLength(0);
    b.enqueue(removal('ID3'));
    b.flush();
    expect(itemCount(b.state)).toBe(99_999);
    expect(published.map((changes) => changes.length)).toEqual([100_001, 1]);
    // The slices stop where flush() took over: nothing is published twice.
    for (let i = 0; i < 5; i++) await nextTurn();
    expect(published).toHaveLength(2);
  });

  it('settled() waits for what was enqueued before it, not for what keeps coming after', async () => {
    const { batcher: b } = batcher();
    b.enqueue(LARGE);
    await nextTurn();
    let settled = false;
    void b.settled().then(() => {
      settled = true;
    });
    // Live traffic every turn: the queue is never empty for long.
    let live = 0;
    while (!settled && live < 100_000) {
      b.enqueue({ type: 'message', message: { type: 'item-added', item: item(`live-${live++}`) } });
      await nextTurn();
    }
    expect(settled).toBe(true);
    // It was asked while the load was still being folded, and live items came meanwhile.
    expect(live).toBeGreaterThan(0);
    expect(itemCount(b.state)).toBeGreaterThanOrEqual(100_000);
    expect(itemCount(b.state)).toBeLessThan(100_000 + live);
  });
});
