import { readFileSync, writeFileSync } from 'node:fs';

export interface BenchRow {
  /** A stable name for the row (targets and history refer to it). */
  readonly id: string;
  readonly metric: string;
  /** The median of the runs; `min` and `max` are the fastest and slowest run. */
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly unit: string;
  readonly limit: string;
  readonly pass: boolean | null;
}

export interface BenchResult {
  readonly at: string;
  readonly machine: { readonly cpus: number; readonly model: string; readonly node: string };
  readonly rows: readonly BenchRow[];
}

const START = '<!-- bench:start -->';
const END = '<!-- bench:end -->';

/** Replaces the table between the bench markers in the README with `result`. */
export function updateReadme(result: BenchResult, path = 'README.md'): void {
  const text = readFileSync(path, 'utf8');
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${path} has no ${START} … ${END} section`);
  const verdict = (r: BenchRow) => (r.pass === null ? '' : r.pass ? ' ✅' : ' ❌ missed');
  const table = [
    '| metric | median (min–max) | limit |',
    '| --- | --- | --- |',
    ...result.rows.map(
      (r) =>
        `| ${r.metric} (\`${r.id}\`) | ${r.median} ${r.unit} (${r.min}–${r.max}) | ${r.limit}${verdict(r)} |`,
    ),
    '',
    `Measured ${result.at.slice(0, 10)} on ${result.machine.cpus} × ${result.machine.model.trim()}, Node ${result.machine.node}.`,
  ].join('\n');
  writeFileSync(path, `${text.slice(0, start + START.length)}\n${table}\n${text.slice(end)}`);
}
