import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { buildRenderer } from './build-renderer.js';

const root = new URL('../', import.meta.url);
export const SHELL_OUT = fileURLToPath(new URL('dist/electron/', root));

/** The environment switches only development and the tests use: gone from a release. */
const TEST_SWITCHES = ['WORKBIN_TRAY_TEST', 'WORKBIN_TRAY_USER_DATA', 'WORKBIN_TRAY_DEMO_SERVER'];

/**
 * Builds what Electron runs: the main process as ESM (dependencies stay in node_modules,
 * which electron-builder packs), the preload as one CommonJS file (sandboxed preloads cannot
 * load modules), and the renderer. A `release` build (what `npm run dist` packs) has no
 * source maps and no test switches: they are replaced by `undefined` at build time.
 */
export async function buildShell(
  options: { release?: boolean; outdir?: string; rendererOut?: string } = {},
): Promise<void> {
  const out = options.outdir ?? SHELL_OUT;
  const shared = {
    bundle: true,
    platform: 'node',
    target: 'node22',
    sourcemap: !options.release,
    logLevel: 'warning',
    ...(options.release && {
      define: Object.fromEntries(TEST_SWITCHES.map((name) => [`process.env.${name}`, 'undefined'])),
      // Folds `undefined === '1'` and drops the branch: the test hooks are not in the file at all.
      minifySyntax: true,
    }),
  } as const;
  await Promise.all([
    build({
      ...shared,
      entryPoints: [fileURLToPath(new URL('main/shell/main.ts', root))],
      outfile: `${out}/main.mjs`,
      format: 'esm',
      packages: 'external',
    }),
    build({
      ...shared,
      entryPoints: [fileURLToPath(new URL('main/shell/preload.ts', root))],
      outfile: `${out}/preload.cjs`,
      format: 'cjs',
      external: ['electron'],
    }),
    buildRenderer(options.rendererOut),
  ]);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const release = process.argv.includes('--release');
  await buildShell({ release });
  console.log(
    `shell built in ${SHELL_OUT}${release ? ' (release: no source maps, no test switches)' : ''}`,
  );
}
