import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BenchResult } from './readme.js';

/** The rows issue 14 sets targets for: a deliberate run must report every one of them. */
const TARGETS = [
  'ingest.b1.h0',
  'ingest.b100.h0',
  'ingest.b1000.h0',
  'ingest.b1.h100k',
  'core.p99.h0',
  'core.p99.h10k',
  'core.p99.h100k',
  'ui.p99.h30k',
  'ui.burst.dropped.h10k',
  'cache.stall.h100k',
  'cache.cpu.h100k',
  'start.web.cold',
  'start.web.cached10k',
  'rss.core.h10k',
];

describe('the committed bench results', () => {
  const result = JSON.parse(
    readFileSync(new URL('results/latest.json', import.meta.url), 'utf8'),
  ) as BenchResult;

  it('give every row an id, a median with its fastest and slowest run, a limit and a verdict', () => {
    const ids = new Set<string>();
    for (const row of result.rows) {
      expect(row.id, row.metric).toMatch(/^[a-z0-9]+(\.[a-zA-Z0-9]+)+$/);
      expect(ids.has(row.id), `${row.id} twice`).toBe(false);
      ids.add(row.id);
      for (const figure of [row.median, row.min, row.max])
        expect(Number.isFinite(figure)).toBe(true);
      expect(row.min, row.id).toBeLessThanOrEqual(row.median);
      expect(row.median, row.id).toBeLessThanOrEqual(row.max);
      expect(typeof row.limit).toBe('string');
      expect([true, false, null]).toContain(row.pass);
    }
  });

  it('report every target row, each with a verdict', () => {
    const byId = new Map(result.rows.map((row) => [row.id, row]));
    for (const id of TARGETS) expect(typeof byId.get(id)?.pass, id).toBe('boolean');
  });
});
