import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Script } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { codeCachePath, runBundle } from './code-cache.mjs';

const ran = globalThis as { codeCacheRan?: string };

/** A bundle that says it ran, and what it was given as a CommonJS module. */
function bundleIn(dir: string, mark: string): string {
  writeFileSync(join(dir, 'helper.cjs'), 'module.exports = "helped";');
  const bundle = join(dir, 'bundle.cjs');
  writeFileSync(
    bundle,
    `globalThis.codeCacheRan = ${JSON.stringify(mark)} + ' ' + require('./helper.cjs') + ' ' + ` +
      `require('node:path').basename(__filename) + ' ' + (__dirname === ${JSON.stringify(dir)});`,
  );
  return bundle;
}

describe('code cache (npm run web / watch)', () => {
  it('runs a bundle as CommonJS, from the cache it wrote before (0600)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wbt-code-cache-'));
    const bundle = bundleIn(dir, 'AAAA');
    const first = runBundle(bundle);
    expect(first.cache).toBe('absent');
    expect(ran.codeCacheRan).toBe('AAAA helped bundle.cjs true');
    expect(first.save()).toBeNull();
    expect(statSync(codeCachePath(bundle)).mode & 0o777).toBe(0o600);
    ran.codeCacheRan = '';
    expect(runBundle(bundle).cache).toBe('used');
    expect(ran.codeCacheRan).toBe('AAAA helped bundle.cjs true');
  });

  it('does not use the cache of another source as long, which V8 alone would run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wbt-code-cache-'));
    const bundle = bundleIn(dir, 'AAAA');
    runBundle(bundle).save();
    bundleIn(dir, 'BBBB');
    // The hazard: V8 checks only the source's length, and runs the old code.
    const made = new Script('globalThis.codeCacheRan = "AAAA";');
    made.runInThisContext();
    const stale = new Script('globalThis.codeCacheRan = "BBBB";', {
      cachedData: made.createCachedData(),
    });
    expect(stale.cachedDataRejected).toBe(false);
    stale.runInThisContext();
    expect(ran.codeCacheRan).toBe('AAAA');
    // Ours reads the fingerprint first.
    expect(runBundle(bundle).cache).toBe('stale');
    expect(ran.codeCacheRan).toBe('BBBB helped bundle.cjs true');
  });

  it('runs without a damaged cache, and writes a good one in its place', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wbt-code-cache-'));
    const bundle = bundleIn(dir, 'CCCC');
    runBundle(bundle).save();
    const good = readFileSync(codeCachePath(bundle));
    // One byte changed in V8's part: V8 itself would run it as it is.
    const at = good.length - 3;
    writeFileSync(
      codeCachePath(bundle),
      Buffer.from(good).fill((good[at] ?? 0) ^ 0x5a, at, at + 1),
    );
    const damaged = runBundle(bundle);
    expect(damaged.cache).toBe('stale');
    expect(ran.codeCacheRan).toBe('CCCC helped bundle.cjs true');
    expect(damaged.save()).toBeNull();
    expect(runBundle(bundle).cache).toBe('used');
  });

  it('writes the cache when the run ends, unless it ended while the bundle was evaluated', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wbt-code-cache-'));
    const run = (body: string) => {
      const bundle = join(dir, `${body.length}.cjs`);
      writeFileSync(bundle, body);
      const driver = `import(${JSON.stringify(pathToFileURL(join(import.meta.dirname, 'code-cache.mjs')).href)}).then((m) => m.runBundle(${JSON.stringify(bundle)}, { saveAfterMs: 60000 }))`;
      const result = spawnSync(process.execPath, ['-e', driver], { encoding: 'utf8' });
      expect(result.status).toBe(0);
      return existsSync(codeCachePath(bundle));
    };
    // --help and usage errors: the process ends before the start has run.
    expect(run('process.exit(0);')).toBe(false);
    // A command that ran for a while and ended, by itself or by a signal's handler.
    expect(run('setTimeout(() => process.exit(0), 50);')).toBe(true);
    expect(run('setTimeout(() => {}, 50); // ends when idle')).toBe(true);
  });
});
