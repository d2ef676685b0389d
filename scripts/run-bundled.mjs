/**
 * `npm run web` and `npm run watch` start bundled JavaScript, not TypeScript through a loader:
 * the bundle (dist/cli/<name>.mjs) is built with esbuild when missing or older than any of
 * its sources, then imported. Plain JavaScript on purpose: this file runs before anything
 * could compile TypeScript, and it is all that does.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { builtAfter } from './up-to-date.mjs';

const ENTRIES = { web: 'scripts/web.ts', watch: 'main/cli/watch.ts' };
const root = fileURLToPath(new URL('../', import.meta.url));
const [name, ...args] = process.argv.slice(2);
const entry = ENTRIES[name];
if (!entry) {
  console.error(`usage: node scripts/run-bundled.mjs <${Object.keys(ENTRIES).join('|')}> [args]`);
  process.exit(2);
}
const out = join(root, 'dist', 'cli', `${name}.mjs`);
const meta = join(root, 'dist', 'cli', `${name}.inputs.json`);

if (!existsSync(meta) || !builtAfter(out, JSON.parse(readFileSync(meta, 'utf8')), root)) {
  const { build } = await import('esbuild');
  const result = await build({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Dependencies are bundled too: resolving and reading their hundreds of files took 100 of
    // the 250 ms before `--help` could answer. esbuild has a native binary and stays outside;
    // ws's optional native helpers are looked for at run time, and are absent. undici serves
    // only behind a proxy (main/gws/proxy.ts) and is imported from node_modules then: in the
    // bundle, its megabyte was parsed by every start (web --help took 0.93 of the time without).
    external: ['esbuild', 'bufferutil', 'utf-8-validate', 'undici'],
    // CommonJS dependencies require Node's modules; an ES module has no `require` of its own.
    banner: {
      js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);",
    },
    metafile: true,
    // Written below, once pure ASCII.
    write: false,
    logLevel: 'warning',
    // Paths next to a source file (the renderer's sources, the demo data) stay where the
    // source is, not where the bundle is.
    plugins: [
      {
        name: 'source-import-meta-url',
        setup(builder) {
          builder.onLoad({ filter: /\.ts$/ }, (file) => ({
            contents: readFileSync(file.path, 'utf8').replaceAll(
              'import.meta.url',
              JSON.stringify(pathToFileURL(file.path).href),
            ),
            loader: 'ts',
          }));
        },
      },
    ],
  });
  // esbuild escapes non-ASCII characters in code but keeps them in comments (undici's, for
  // one): a single one makes V8 hold the whole source, 2 MB, as two-byte text for as long as
  // the process runs. In a comment an escape is inert; everywhere else there is none left.
  const [bundle] = result.outputFiles;
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(
    out,
    bundle.text.replace(
      /[\u0080-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    ),
  );
  writeFileSync(meta, JSON.stringify(Object.keys(result.metafile.inputs)));
}

process.argv = [process.argv[0], out, ...args];
await import(pathToFileURL(out).href);
