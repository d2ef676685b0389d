import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WorkbinItem } from './domain.js';
import type { CoreEvent } from './protocol.js';
import { DEFAULT_SETTINGS } from './settings.js';
import { SnapshotAssembly, snapshotFrames } from './snapshot-parts.js';

function item(i: number): WorkbinItem {
  return {
    id: `ID${i}`,
    kind: 'email',
    workbinId: 'inbox',
    ownerUserId: 'u-1',
    summary: `Subject ${i}`,
    from: 'customer@example.com',
    receivedAt: i,
    receivedRaw: String(i),
    state: 'InWorkbin',
    userData: {},
  };
}

const delta = (n: number): CoreEvent => ({
  type: 'delta',
  upserted: [item(1_000 + n)],
  removed: [],
  workbins: [],
  removedWorkbins: [],
  stale: false,
});

const snapshot: Extract<CoreEvent, { type: 'snapshot' }> = {
  type: 'snapshot',
  session: null,
  status: { state: 'stopped', since: 1 },
  workbins: [],
  items: [],
  stale: false,
  cachedAt: null,
  settings: DEFAULT_SETTINGS,
  unseen: [],
  diagnostics: { problems: 0, rejected: 0, recent: [], logFile: null },
};

/** Frames and events as JSON text, as they cross the socket. */
const wire = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe('a snapshot in parts', () => {
  it('is put back together whole and in order, with the events sent among its parts after it', () => {
    fc.assert(
      fc.property(
        fc.nat(60),
        fc.integer({ min: 1, max: 12 }),
        fc.array(fc.nat(), { maxLength: 5 }),
        (count, partItems, at) => {
          const items = Array.from({ length: count }, (_, i) => item(i));
          const frames: unknown[] = [...snapshotFrames(snapshot, items, partItems)];
          expect(frames).toHaveLength(Math.max(1, Math.ceil(count / partItems)));
          // Each event goes in somewhere before the snapshot's last frame.
          const stream = [...frames];
          for (const [n, position] of at.entries())
            stream.splice(position % stream.length, 0, delta(n));
          const assembly = new SnapshotAssembly();
          const delivered = stream.flatMap((message) => assembly.receive(wire(message)));
          // Events before the first part apply to the list the page has; those after it are
          // newer than the snapshot, and wait for it.
          const firstPart = frames.length > 1 ? stream.indexOf(frames[0]) : stream.length - 1;
          const events = (from: number, to?: number) =>
            stream.slice(from, to).filter((message) => !frames.includes(message));
          expect(delivered).toEqual(
            wire([...events(0, firstPart), { ...snapshot, items }, ...events(firstPart)]),
          );
        },
      ),
    );
  });

  it('gives a preview with its first part, and holds the events after it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 40 }),
        fc.array(fc.nat(), { maxLength: 5 }),
        (count, at) => {
          const items = Array.from({ length: count }, (_, i) => item(i));
          const preview = { type: 'snapshot-preview', total: count, snapshot };
          const frames: unknown[] = [preview, ...snapshotFrames(snapshot, items, 1)];
          const stream = [...frames];
          for (const [n, position] of at.entries())
            stream.splice(position % stream.length, 0, delta(n));
          const assembly = new SnapshotAssembly();
          const delivered = stream.flatMap((message) => assembly.receive(wire(message)));
          const started = stream.indexOf(preview);
          const events = (from: number, to?: number) =>
            stream.slice(from, to).filter((message) => !frames.includes(message));
          expect(delivered).toEqual(
            wire([
              ...events(0, started),
              { ...preview, snapshot: { ...snapshot, items: items.slice(0, 1) } },
              { ...snapshot, items },
              ...events(started),
            ]),
          );
        },
      ),
    );
  });

  it('ignores a preview that is not one', () => {
    const assembly = new SnapshotAssembly();
    for (const junk of [
      { type: 'snapshot-preview', total: 3 },
      { type: 'snapshot-preview', total: '3', snapshot },
      { type: 'snapshot-preview', total: 3, snapshot: { ...snapshot, items: 'x' } },
    ])
      expect(assembly.receive(wire(junk))).toEqual([]);
  });

  it('starts again on a new connection: parts and held events of the old one are gone', () => {
    const items = Array.from({ length: 5 }, (_, i) => item(i));
    const assembly = new SnapshotAssembly();
    const [part] = snapshotFrames(snapshot, items, 2);
    expect(assembly.receive(wire(part))).toEqual([]);
    expect(assembly.receive(wire(delta(1)))).toEqual([]);
    assembly.reset();
    const fresh = assembly.receive(wire({ ...snapshot, items: [item(9)] }));
    expect(fresh).toEqual([wire({ ...snapshot, items: [item(9)] })]);
    expect(assembly.receive(wire(delta(2)))).toEqual([wire(delta(2))]);
  });

  it('gives nothing of a snapshot it joined midway, and the next whole one', () => {
    const items = Array.from({ length: 7 }, (_, i) => item(i));
    const frames = () => [...snapshotFrames(snapshot, items, 2)];
    // Joined after the first part (an event came among the rest), and at the last frame.
    for (const joined of [[frames()[1], delta(1), ...frames().slice(2)], frames().slice(-1)]) {
      const assembly = new SnapshotAssembly();
      expect(joined.flatMap((message) => assembly.receive(wire(message)))).toEqual([]);
      const next = frames().flatMap((frame) => assembly.receive(wire(frame)));
      expect(next).toEqual(wire([{ ...snapshot, items }]));
    }
  });

  it('ignores what is neither a part nor an event', () => {
    const assembly = new SnapshotAssembly();
    for (const junk of [null, 'x', { type: 'snapshot-part' }, { type: 'snapshot-part', items: 1 }])
      expect(assembly.receive(junk)).toEqual([]);
    const whole = assembly.receive(wire({ ...snapshot, items: [item(1)] }));
    expect(whole).toHaveLength(1);
  });
});
