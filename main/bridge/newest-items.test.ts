import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WorkbinItem } from '../contract/domain.js';
import { NewestItems, newestFirst } from '../contract/item-order.js';
import { newestAhead } from './newest-items.js';

const itemArb = fc.record({
  id: fc.stringMatching(/^[0-9A-F]{1,3}$/),
  workbinId: fc.constantFrom('inbox', 'draft'),
  ownerUserId: fc.constantFrom('u-1', 'u-2'),
  // Few dates, and unreadable ones: ties are broken as the page breaks them.
  receivedAt: fc.option(fc.integer({ min: 0, max: 5 }), { nil: null }),
});

type Fields = Pick<WorkbinItem, 'id' | 'workbinId' | 'ownerUserId' | 'receivedAt'>;

/** Unique as in a state: one item per (owner, workbin, id). */
function uniqueItems(fields: readonly Fields[]): WorkbinItem[] {
  const unique = new Map(fields.map((f) => [`${f.ownerUserId}/${f.workbinId}/${f.id}`, f]));
  return [...unique.values()].map(
    (f): WorkbinItem => ({
      ...f,
      kind: 'email',
      summary: '',
      from: '',
      receivedRaw: '',
      state: '',
      userData: {},
    }),
  );
}

describe('NewestItems', () => {
  it('keeps exactly the items the page lists first, newest first', () => {
    fc.assert(
      fc.property(fc.array(itemArb, { maxLength: 80 }), fc.nat(30), (fields, count) => {
        const items = uniqueItems(fields);
        const newest = new NewestItems(count);
        for (const item of items) newest.offer(item);
        expect([...newest.items()].sort(newestFirst)).toEqual(
          [...items].sort(newestFirst).slice(0, count),
        );
      }),
    );
  });
});

describe('newestAhead', () => {
  it('puts the newest first, in the page’s order, and the rest after them as they came', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(itemArb, { maxLength: 1_500 }),
        fc.nat(600),
        async (fields, count) => {
          const items = uniqueItems(fields);
          const ordered = await newestAhead(items, count);
          const top = [...items].sort(newestFirst).slice(0, count);
          expect(ordered.slice(0, top.length)).toEqual(top);
          expect(ordered.slice(top.length)).toEqual(items.filter((item) => !top.includes(item)));
        },
      ),
      { numRuns: 60 },
    );
  });
});
