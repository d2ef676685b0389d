import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WorkbinItem } from '../main/contract/domain.js';
import type { CoreEvent } from '../main/contract/protocol.js';
import { Model, type SortKey } from './model.js';

const OWNER = 'u-1';
const WORKBINS = ['w0', 'w1'];

function item(id: number, workbin: number, at: number, subject: string): WorkbinItem {
  return {
    id: `ID${id}`,
    kind: 'email',
    workbinId: WORKBINS[workbin] ?? 'w0',
    ownerUserId: OWNER,
    summary: subject,
    from: `from ${id % 3}`,
    receivedAt: at,
    receivedRaw: String(at),
    state: '',
    userData: {},
  };
}

const snapshot: CoreEvent = {
  type: 'snapshot',
  session: { server: 's', user: 'u', userId: OWNER, displayName: 'U', insecure: false },
  status: { state: 'online', since: 0, syncing: false },
  stale: false,
  cachedAt: null,
  settings: new Model().settings,
  workbins: WORKBINS.map((w) => ({
    key: `${OWNER}/${w}`,
    ownerUserId: OWNER,
    workbinId: w,
    displayName: w,
    type: 'Agent',
    subscription: 'subscribed',
    failure: null,
    count: 0,
    syncedAt: null,
    dropped: 0,
    ownerName: null,
  })),
  items: [],
  unseen: [],
  diagnostics: { problems: 0, rejected: 0, recent: [], logFile: null },
} as unknown as CoreEvent;

type Upsert = { kind: 'upsert'; id: number; workbin: number; at: number; subject: string };
type Step =
  | Upsert
  | { kind: 'burst'; upserts: Upsert[] }
  | { kind: 'remove'; id: number; workbin: number }
  | { kind: 'drop-workbin'; workbin: number }
  | { kind: 'view'; sort: SortKey; filter: number | null; search: string }
  | { kind: 'look' };

const upsertArb: fc.Arbitrary<Upsert> = fc.record({
  kind: fc.constant('upsert' as const),
  id: fc.integer({ min: 0, max: 30 }),
  workbin: fc.integer({ min: 0, max: 1 }),
  // Few distinct times: ties must be broken the same way both ways.
  at: fc.integer({ min: 0, max: 5 }),
  subject: fc.constantFrom('alpha', 'Beta', 'gamma 2', 'gamma 10'),
});

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  upsertArb,
  // Many in one delta, the same item more than once among them: placed as a run, not one by one.
  fc.record({
    kind: fc.constant('burst' as const),
    upserts: fc.array(upsertArb, { minLength: 1, maxLength: 40 }),
  }),
  fc.record({
    kind: fc.constant('remove' as const),
    id: fc.integer({ min: 0, max: 30 }),
    workbin: fc.integer({ min: 0, max: 1 }),
  }),
  // A workbin gone takes its items without a change for each.
  fc.record({
    kind: fc.constant('drop-workbin' as const),
    workbin: fc.integer({ min: 0, max: 1 }),
  }),
  fc.record({
    kind: fc.constant('view' as const),
    sort: fc.constantFrom<SortKey>('newest', 'oldest', 'from', 'subject', 'kind'),
    filter: fc.option(fc.integer({ min: 0, max: 1 })),
    search: fc.constantFrom('', 'gamma', 'id1'),
  }),
  fc.constant({ kind: 'look' as const }),
);

function delta(step: Step): CoreEvent | null {
  if (step.kind === 'upsert' || step.kind === 'burst')
    return {
      type: 'delta',
      upserted: (step.kind === 'burst' ? step.upserts : [step]).map((u) =>
        item(u.id, u.workbin, u.at, u.subject),
      ),
      removed: [],
      workbins: [],
      removedWorkbins: [],
      stale: false,
    };
  if (step.kind === 'drop-workbin')
    return {
      type: 'delta',
      upserted: [],
      removed: [],
      workbins: [],
      removedWorkbins: [`${OWNER}/${WORKBINS[step.workbin]}`],
      stale: false,
    };
  if (step.kind === 'remove')
    return {
      type: 'delta',
      upserted: [],
      removed: [{ workbinKey: `${OWNER}/${WORKBINS[step.workbin]}`, id: `ID${step.id}` }],
      workbins: [],
      removedWorkbins: [],
      stale: false,
    };
  return null;
}

describe('the visible list', () => {
  it('patched change by change equals sorted from scratch, for any history and view', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 80 }), (steps) => {
        const live = new Model();
        live.apply(snapshot);
        live.visible();
        for (const step of steps) {
          const event = delta(step);
          if (event) live.apply(event);
          else if (step.kind === 'view') {
            live.sort = step.sort;
            live.filterWorkbin = step.filter === null ? null : `${OWNER}/${WORKBINS[step.filter]}`;
            live.search = step.search;
          } else live.visible();
        }
        // The same items and view, sorted once.
        const fresh = new Model();
        fresh.apply({ ...snapshot, items: [...live.items.values()] } as CoreEvent);
        fresh.sort = live.sort;
        fresh.filterWorkbin = live.filterWorkbin;
        fresh.search = live.search;
        expect(live.visible().map((i) => `${i.workbinId}/${i.id}`)).toEqual(
          fresh.visible().map((i) => `${i.workbinId}/${i.id}`),
        );
      }),
    );
  });
});

describe('the search text', () => {
  const many = (count: number) =>
    ({
      ...snapshot,
      items: Array.from({ length: count }, (_, i) => item(i, i % 2, i, `subject ${i}`)),
    }) as CoreEvent;
  /** Slices of `checks` asks of `hasTime` each (100 items an ask), until none is left. */
  const slicesToPrepare = (model: Model, checks: number) => {
    for (let slice = 1; slice <= 1_000; slice++) {
      let left = checks;
      if (!model.prepareSearch(() => left-- > 0)) return slice;
    }
    throw new Error('never prepared');
  };

  it('is prepared ahead in slices that stop when time is up, and go on where they stopped', () => {
    const model = new Model();
    expect(model.prepareSearch(() => true)).toBe(false);
    model.apply(many(4_950));
    // 10 asks of 100 items: 1,000 a slice, so 5 slices (the fifth finds the end).
    expect(slicesToPrepare(model, 10)).toBe(5);
    expect(model.prepareSearch(() => true)).toBe(false);
    // A new snapshot brings new items: they are prepared again.
    model.apply(many(250));
    expect(slicesToPrepare(model, 1)).toBe(3);
  });

  it('prepared ahead or not, a search finds the same items', () => {
    const ahead = new Model();
    ahead.apply(many(2_000));
    slicesToPrepare(ahead, 1_000);
    const late = new Model();
    late.apply(many(2_000));
    for (const model of [ahead, late]) model.search = 'subject 19';
    const found = late.visible().map((i) => i.id);
    expect(found).toHaveLength(111);
    expect(ahead.visible().map((i) => i.id)).toEqual(found);
  });
});

describe('a search', () => {
  const subjects = [
    'Réclamation urgente',
    'Herr Müller ruft an',
    'Straße gesperrt',
    'Ｗｉｄｅ letters', // full-width, as some input methods type them
    'Cafe\u0301 au lait', // "é" sent as "e" and an accent (NFD)
    'が届きました',
    'か届きました',
    'Σίσυφος',
  ];
  const found = (query: string) => {
    const model = new Model();
    model.apply({ ...snapshot, items: subjects.map((s, i) => item(i, 0, i, s)) } as CoreEvent);
    model.search = query;
    return model
      .visible()
      .map((i) => i.summary)
      .sort();
  };

  it('finds a word whichever accents, case, width or composition either side spells it with', () => {
    expect(found('reclamation')).toEqual(['Réclamation urgente']);
    expect(found('RÉCLAMATION')).toEqual(['Réclamation urgente']);
    expect(found('muller')).toEqual(['Herr Müller ruft an']);
    expect(found('strasse')).toEqual(['Straße gesperrt']);
    expect(found('STRASSE')).toEqual(['Straße gesperrt']);
    expect(found('wide')).toEqual(['Ｗｉｄｅ letters']);
    expect(found('ｗｉｄｅ')).toEqual(['Ｗｉｄｅ letters']);
    expect(found('café')).toEqual(['Cafe\u0301 au lait']);
    expect(found('ΣΊΣΥΦΟΣ')).toEqual(['Σίσυφος']);
  });

  it('keeps kana voicing: "が" does not find "か"', () => {
    expect(found('が')).toEqual(['が届きました']);
    expect(found('届きました')).toEqual(['か届きました', 'が届きました']);
  });
});

describe('the link to the app', () => {
  it('is loading until the first snapshot, lost when the bridge says so, live again with the next', () => {
    const model = new Model();
    expect(model.link).toBe('loading');
    model.apply(snapshot);
    expect(model.link).toBe('live');
    model.apply({ type: 'status', status: { state: 'online', since: 1, syncing: false } });
    model.loseLink();
    // Only a whole new snapshot makes it live again, not an event that comes after the loss.
    model.apply({ type: 'status', status: { state: 'online', since: 2, syncing: false } });
    expect(model.link).toBe('lost');
    model.apply(snapshot);
    expect(model.link).toBe('live');
  });
});

describe('a large snapshot on its way', () => {
  it('shows its preview, counts what it holds, and gives way to the whole snapshot', () => {
    const model = new Model();
    const whole = { ...snapshot, items: [1, 2, 3, 4].map((i) => item(i, 0, i, `s${i}`)) };
    if (whole.type !== 'snapshot') throw new Error('a snapshot');
    model.apply({ type: 'snapshot-preview', total: 4, snapshot: { ...whole, items: [] } });
    expect(model.link).toBe('live');
    expect([model.loading, model.itemCount, model.visible()]).toEqual([4, 4, []]);
    const newest = whole.items.slice(2);
    model.apply({ type: 'snapshot-preview', total: 4, snapshot: { ...whole, items: newest } });
    expect(model.visible().map((i) => i.id)).toEqual(['ID4', 'ID3']);
    expect([model.loading, model.itemCount]).toEqual([4, 4]);
    model.apply(whole);
    expect(model.visible().map((i) => i.id)).toEqual(['ID4', 'ID3', 'ID2', 'ID1']);
    expect([model.loading, model.itemCount]).toEqual([null, 4]);
  });

  it('does not replace a whole list: a page that has one keeps it until the next whole one', () => {
    const model = new Model();
    const whole = { ...snapshot, items: [1, 2, 3, 4].map((i) => item(i, 0, i, `s${i}`)) };
    if (whole.type !== 'snapshot') throw new Error('a snapshot');
    model.apply(whole);
    const next = { ...whole, items: [5, 4, 3, 2, 1].map((i) => item(i, 0, i, `s${i}`)) };
    for (const items of [[], next.items.slice(0, 2)])
      model.apply({ type: 'snapshot-preview', total: 5, snapshot: { ...next, items } });
    expect(model.visible().map((i) => i.id)).toEqual(['ID4', 'ID3', 'ID2', 'ID1']);
    expect([model.loading, model.itemCount]).toEqual([null, 4]);
    // Nor one it shows while the link is lost: the next whole snapshot replaces it.
    model.loseLink();
    model.apply({ type: 'snapshot-preview', total: 5, snapshot: { ...next, items: [] } });
    expect(model.itemCount).toBe(4);
    model.apply(next);
    expect(model.visible().map((i) => i.id)).toEqual(['ID5', 'ID4', 'ID3', 'ID2', 'ID1']);
    // An empty list (signed out, say) has nothing to keep: the next list's preview shows.
    model.apply({ ...next, items: [], session: null });
    model.apply({ type: 'snapshot-preview', total: 5, snapshot: { ...next, items: [] } });
    expect([model.loading, model.session?.userId]).toEqual([5, OWNER]);
  });
});
