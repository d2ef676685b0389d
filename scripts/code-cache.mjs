/**
 * Runs a CommonJS bundle with V8's code cache kept beside it: the bytecode of what the last
 * run compiled, so that this one neither parses the 2.4 MB bundle again nor compiles the
 * functions that sign-in, sync and the first page run. `npm run web` reached its first list
 * some 110 ms sooner with it (645-679 ms against 763-784 ms, five runs each). Node 22 does
 * this itself (`module.enableCompileCache`); Node 20 has only `vm.Script`'s cached data, and
 * that only for scripts, hence a CommonJS bundle.
 *
 * V8 checks a cache's version and flags; of its source only the length, and of its own bytes
 * nothing (outside debug builds): given the cache of another source as long it runs the old
 * code, and a damaged cache as it is. So the cache starts with a SHA-256 of the source and
 * the cache's bytes together, and is used only when both are as they were.
 *
 * The cache is written once the bundle has run a while (or at exit, if sooner), so that it
 * holds the start's functions; not when the run ended while the bundle was first evaluated
 * (`--help`, a usage error). The bundle must not `import()`: a vm.Script can only with
 * Node's experimental loader hooks (esbuild is required). Plain JavaScript: it runs before
 * anything compiles TypeScript.
 */
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';

const DIGEST_BYTES = 32;

/** The digest a cache of `source` (its SHA-256) holding `bytes` starts with. */
function digestOf(sourceDigest, bytes) {
  return createHash('sha256').update(sourceDigest).update(bytes).digest();
}

/** Where the cache of `bundle` is kept. */
export function codeCachePath(bundle) {
  return `${bundle}.v8-cache`;
}

/**
 * Evaluates `bundle` as Node would a CommonJS module, from its code cache when that was made
 * from this very source. Says whether the cache was `used`, `absent`, or `stale` (made from
 * another source, or refused by this V8), and gives `save`, which writes a new cache unless
 * one was used; it runs by itself `saveAfterMs` after the bundle has run, or at exit.
 */
export function runBundle(bundle, { saveAfterMs = 5_000 } = {}) {
  const source = readFileSync(bundle, 'utf8');
  const sourceDigest = createHash('sha256').update(source).digest();
  const cachePath = codeCachePath(bundle);
  let stored = null;
  try {
    stored = readFileSync(cachePath);
  } catch {
    // None yet: this run makes it.
  }
  const bytes = stored?.subarray(DIGEST_BYTES);
  const matches =
    stored !== null &&
    bytes.length > 0 &&
    digestOf(sourceDigest, bytes).equals(stored.subarray(0, DIGEST_BYTES));
  const script = new Script(Module.wrap(source), {
    filename: bundle,
    ...(matches && { cachedData: bytes }),
  });
  const cache =
    stored === null ? 'absent' : matches && !script.cachedDataRejected ? 'used' : 'stale';

  let saved = cache === 'used';
  let evaluated = false;
  /** Writes the cache (once); a message when it could not be written, else null. */
  const save = () => {
    if (saved) return null;
    saved = true;
    // Once per build, some 20-40 ms: the bytecode of everything compiled so far, serialised.
    // Beside the cache, then renamed over it: a run starting meanwhile reads a whole one.
    const temporary = `${cachePath}.${process.pid}.tmp`;
    try {
      const made = script.createCachedData();
      writeFileSync(temporary, Buffer.concat([digestOf(sourceDigest, made), made]), {
        mode: 0o600,
      });
      renameSync(temporary, cachePath);
      return null;
    } catch (error) {
      return `the code cache was not written to ${cachePath}: ${error.message}`;
    }
  };
  const saveOnce = () => {
    const failed = evaluated ? save() : null;
    // Only slower starts come of it; the command goes on.
    if (failed) console.error(`Workbin Tray: ${failed}`);
  };
  if (!saved) {
    process.once('exit', saveOnce);
    setTimeout(saveOnce, saveAfterMs).unref();
  }

  const module = { exports: {} };
  script
    .runInThisContext()
    .call(module.exports, module.exports, createRequire(bundle), module, bundle, dirname(bundle));
  evaluated = true;
  return { cache, save };
}
