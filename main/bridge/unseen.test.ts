import { describe, expect, it } from 'vitest';
import type { WorkbinItem } from '../contract/domain.js';
import { itemKey } from '../contract/keys.js';
import { UnseenItems } from './unseen.js';

const item = (id: string): WorkbinItem => ({
  id,
  kind: 'email',
  workbinId: 'w',
  ownerUserId: 'u',
  summary: id,
  from: '',
  receivedAt: null,
  receivedRaw: '',
  state: '',
  userData: {},
});

describe('UnseenItems', () => {
  it('counts live arrivals only, until opened, marked seen or gone, and says only what changed', () => {
    const unseen = new UnseenItems();
    expect(
      unseen.onChanges([
        { type: 'item-added', key: 'u/w', item: item('loaded'), live: false },
        { type: 'item-added', key: 'u/w', item: item('a'), live: true },
        { type: 'item-added', key: 'u/w', item: item('b'), live: true },
        { type: 'item-added', key: 'u/x', item: item('c'), live: true },
        // Arrived and left in the same batch: neither added nor removed.
        { type: 'item-added', key: 'u/w', item: item('brief'), live: true },
        { type: 'item-removed', key: 'u/w', item: item('brief'), live: true },
      ]),
    ).toEqual({
      added: [itemKey('u/w', 'a'), itemKey('u/w', 'b'), itemKey('u/x', 'c')],
      removed: [],
    });
    expect(unseen.list().sort()).toEqual(
      [itemKey('u/w', 'a'), itemKey('u/w', 'b'), itemKey('u/x', 'c')].sort(),
    );
    expect(unseen.markSeen([itemKey('u/w', 'a'), itemKey('u/w', 'never')])).toEqual({
      added: [],
      removed: [itemKey('u/w', 'a')],
    });
    expect(
      unseen.onChanges([{ type: 'item-removed', key: 'u/w', item: item('b'), live: true }]),
    ).toEqual({ added: [], removed: [itemKey('u/w', 'b')] });
    expect(unseen.onChanges([{ type: 'workbin-removed', key: 'u/x' }])).toEqual({
      added: [],
      removed: [itemKey('u/x', 'c')],
    });
    expect(unseen.size).toBe(0);
    expect(unseen.markSeen()).toEqual({ added: [], removed: [] });
  });
});
