import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DiagnosticsJournal } from './journal.js';

const dirs: string[] = [];
function tempLog(): string {
  const dir = mkdtempSync(join(tmpdir(), 'journal-'));
  dirs.push(dir);
  return join(dir, 'logs', 'workbin-tray.log');
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('DiagnosticsJournal', () => {
  it('counts everything, keeps the latest entries, and logs reasons to a private file', () => {
    const file = tempLog();
    let now = 1_000;
    const journal = new DiagnosticsJournal({ logFile: file, keep: 3, now: () => now });
    journal.record('problem', 'load workbin w1: Server error (HTTP 500)');
    for (let i = 0; i < 4; i++) {
      now += 10;
      journal.record('rejected', `item without id #${i}`);
    }
    const report = journal.report();
    expect(report).toMatchObject({ problems: 1, rejected: 4, logFile: file });
    expect(report.recent.map((e) => e.text)).toEqual([
      'item without id #1',
      'item without id #2',
      'item without id #3',
    ]);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('problem: load workbin w1: Server error (HTTP 500)');
    expect(text.match(/rejected: item without id/g)).toHaveLength(4);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('writes at most so many lines a minute, then says how many it left out', () => {
    const file = tempLog();
    let now = 0;
    const journal = new DiagnosticsJournal({ logFile: file, linesPerMinute: 5, now: () => now });
    for (let i = 0; i < 1000; i++) journal.record('rejected', `hostile #${i}`);
    now = 61_000;
    journal.record('rejected', 'a minute later');
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(7);
    expect(lines[5]).toContain('995 more entries not written (over 5 a minute)');
    expect(lines[6]).toContain('a minute later');
    expect(journal.report().rejected).toBe(1001);
  });

  it('rotates the file at its size bound instead of growing without end', () => {
    const file = tempLog();
    let now = 0;
    const journal = new DiagnosticsJournal({
      logFile: file,
      maxBytes: 2_000,
      linesPerMinute: 1_000_000,
      now: () => now++,
    });
    for (let i = 0; i < 200; i++) journal.record('problem', `problem number ${i} `.padEnd(60, '.'));
    const names = readdirSync(join(file, '..')).sort();
    expect(names).toEqual(['workbin-tray.log', 'workbin-tray.old.log']);
    expect(statSync(file).size).toBeLessThanOrEqual(2_100);
    expect(readFileSync(file, 'utf8')).toContain('problem number 199');
  });

  it('keeps memory only when there is no log file', () => {
    const journal = new DiagnosticsJournal();
    journal.record('problem', 'x');
    expect(journal.report()).toMatchObject({ problems: 1, logFile: null });
  });
});
