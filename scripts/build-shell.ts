import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { buildRenderer } from './build-renderer.js';

const root = new URL('../', import.meta.url);
export const SHELL_OUT = fileURLToPath(new URL('dist/electron/', root));

/**
 * Builds what Electron runs: the main process as ESM (dependencies stay in node_modules,
 * which electron-builder packs), the preload as one CommonJS file (sandboxed preloads cannot
 * load modules), and the renderer.
 */
export async function buildShell(): Promise<void> {
  const shared = {
    bundle: true,
    platform: 'node',
    target: 'node22',
    sourcemap: true,
    logLevel: 'warning',
  } as const;
  await Promise.all([
    build({
      ...shared,
      entryPoints: [fileURLToPath(new URL('main/shell/main.ts', root))],
      outfile: `${SHELL_OUT}main.mjs`,
      format: 'esm',
      packages: 'external',
    }),
    build({
      ...shared,
      entryPoints: [fileURLToPath(new URL('main/shell/preload.ts', root))],
      outfile: `${SHELL_OUT}preload.cjs`,
      format: 'cjs',
      external: ['electron'],
    }),
    buildRenderer(),
  ]);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await buildShell();
  console.log(`shell built in ${SHELL_OUT}`);
}
