/**
 * The last line of `npm run test:shell`: line coverage of main/shell/ from c8's summary of the
 * shell suite's processes (each shell runs as its own child). c8's own --include filter drops
 * the uncovered ranges of source-mapped bundles, so the filter is applied here instead, and a
 * shell file no test loaded counts as 0%, not as absent.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const SHELL = `${root}main/shell/`;
const TARGET = 95;

interface Counts {
  readonly total: number;
  readonly covered: number;
}
const summary = JSON.parse(
  readFileSync(`${root}coverage/shell/coverage-summary.json`, 'utf8'),
) as Record<string, { lines: Counts }>;

const files = readdirSync(SHELL)
  .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
  .sort();
let total = 0;
let covered = 0;
for (const name of files) {
  const lines = summary[`${SHELL}${name}`]?.lines;
  const own = lines ?? {
    total: readFileSync(`${SHELL}${name}`, 'utf8').split('\n').length,
    covered: 0,
  };
  total += own.total;
  covered += own.covered;
  const pct = own.total === 0 ? 100 : (100 * own.covered) / own.total;
  console.log(
    `  ${name.padEnd(20)} ${pct.toFixed(1).padStart(5)}% of ${own.total} lines${lines ? '' : ' (never loaded)'}`,
  );
}
const pct = total === 0 ? 0 : (100 * covered) / total;
console.log(`shell coverage: ${pct.toFixed(1)}% lines`);
if (pct < TARGET) {
  console.error(`below the ${TARGET}% target`);
  process.exitCode = 1;
}
