import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Runs a script that installs the backstops and then misbehaves, in its own process. */
function run(body: string) {
  const dir = mkdtempSync(join(tmpdir(), 'wbt-backstop-'));
  const script = join(dir, 'script.ts');
  const module = new URL('./backstops.ts', import.meta.url).pathname;
  writeFileSync(
    script,
    `import { writeFileSync } from 'node:fs';
import { installBackstops } from ${JSON.stringify(module)};
installBackstops({ logFile: ${JSON.stringify(join(dir, 'app.log'))}, flush: () => writeFileSync(${JSON.stringify(join(dir, 'flushed'))}, 'yes') });
${body}`,
  );
  const result = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8' });
  return { ...result, dir };
}

describe('backstops', () => {
  it('logs an uncaught exception, flushes the cache and exits 1 with a clear message', () => {
    const { status, stderr, dir } = run(
      "setTimeout(() => { throw new Error('boom in a timer'); }, 10);",
    );
    expect(status).toBe(1);
    expect(stderr).toContain('Workbin Tray stopped after an unexpected error: boom in a timer.');
    expect(existsSync(join(dir, 'flushed'))).toBe(true);
    const log = readFileSync(join(dir, 'app.log'), 'utf8');
    expect(log).toMatch(/uncaught exception: Error: boom in a timer/);
    expect(statSync(join(dir, 'app.log')).mode & 0o777).toBe(0o600);
  });

  it('logs a rejection nobody awaited and goes on', () => {
    const { status, dir } = run(
      "void Promise.reject(new Error('lost promise'));\nsetTimeout(() => process.exit(0), 50);",
    );
    expect(status).toBe(0);
    expect(readFileSync(join(dir, 'app.log'), 'utf8')).toMatch(
      /unhandled rejection: Error: lost promise/,
    );
    expect(existsSync(join(dir, 'flushed'))).toBe(false);
  });
});
