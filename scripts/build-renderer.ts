import { copyFile, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const RENDERER_SOURCE = fileURLToPath(new URL('../renderer/', import.meta.url));
export const RENDERER_OUT = fileURLToPath(new URL('../dist/renderer/', import.meta.url));

/**
 * Bundles the renderer (TypeScript, no framework) into dist/renderer for browser and
 * Electron. No source map: browser mode and the app serve what is here, and a map would
 * hand out the source. WORKBIN_TRAY_SOURCEMAPS=1 adds one for debugging.
 */
export async function buildRenderer(outdir = RENDERER_OUT): Promise<string> {
  await mkdir(outdir, { recursive: true });
  await build({
    entryPoints: [`${RENDERER_SOURCE}app.ts`],
    outfile: `${outdir}/app.js`,
    bundle: true,
    format: 'esm',
    target: 'chrome120',
    minify: true,
    sourcemap: process.env.WORKBIN_TRAY_SOURCEMAPS === '1',
    logLevel: 'warning',
  });
  for (const file of ['index.html', 'styles.css'])
    await copyFile(`${RENDERER_SOURCE}${file}`, `${outdir}/${file}`);
  return outdir;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(`renderer built in ${await buildRenderer()}`);
}
