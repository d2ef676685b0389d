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
  it('counts live arrivals only, until opened, marked seen or gone', () => {
    const unseen = new UnseenItems();
    expect(
      unseen.onChanges([
        { type: 'item-added', key: 'u/w', item: item('loaded'), live: false },
        { type: 'item-added', key: 'u/w', item: item('a'), live: true },
        { type: 'item-added', key: 'u/w', item: item('b'), live: true },
        { type: 'item-added', key: 'u/x', item: item('c'), live: true },
      ]),
    ).toBe(true);
    expect(unseen.list().sort()).toEqual(
      [itemKey('u/w', 'a'), itemKey('u/w', 'b'), itemKey('u/x', 'c')].sort(),
    );
    expect(unseen.markSeen([itemKey('u/w', 'a')])).toBe(true);
    expect(
      unseen.onChanges([{ type: 'item-removed', key: 'u/w', item: item('b'), live: true }]),
    ).toBe(true);
    expect(unseen.onChanges([{ type: 'workbin-removed', key: 'u/x' }])).toBe(true);
    expect(unseen.size).toBe(0);
    expect(unseen.markSeen()).toBe(false);
  });
});
