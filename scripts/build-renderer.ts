import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtAfter } from './up-to-date.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const RENDERER_SOURCE = fileURLToPath(new URL('../renderer/', import.meta.url));
export const RENDERER_OUT = fileURLToPath(new URL('../dist/renderer/', import.meta.url));

interface BuildRecord {
  readonly sourcemap: boolean;
  /** Every file the bundle was built from, relative to the repository. */
  readonly inputs: readonly string[];
}

/** Built after every input last changed, with the same options: nothing to do. */
function upToDate(bundle: string, recordPath: string, sourcemap: boolean): boolean {
  if (!existsSync(recordPath)) return false;
  const record = JSON.parse(readFileSync(recordPath, 'utf8')) as BuildRecord;
  return record.sourcemap === sourcemap && builtAfter(bundle, record.inputs, ROOT);
}

/**
 * Bundles the renderer (TypeScript, no framework) into dist/renderer for browser and
 * Electron, unless the bundle there is already built from the current sources: `npm run web`
 * then starts without loading esbuild at all. No source map: browser mode and the app serve
 * what is here, and a map would hand out the source. WORKBIN_TRAY_SOURCEMAPS=1 adds one for
 * debugging. The build record sits beside the folder, not in it, so it is never served.
 */
export async function buildRenderer(outdir = RENDERER_OUT): Promise<string> {
  await mkdir(outdir, { recursive: true });
  const bundle = join(outdir, 'app.js');
  const recordPath = join(dirname(outdir), `${basename(outdir)}.build.json`);
  const sourcemap = process.env.WORKBIN_TRAY_SOURCEMAPS === '1';
  if (!upToDate(bundle, recordPath, sourcemap)) {
    const { build } = await import('esbuild');
    const result = await build({
      absWorkingDir: ROOT,
      entryPoints: [`${RENDERER_SOURCE}app.ts`],
      outfile: bundle,
      bundle: true,
      format: 'esm',
      target: 'chrome120',
      minify: true,
      sourcemap,
      metafile: true,
      logLevel: 'warning',
    });
    const record: BuildRecord = { sourcemap, inputs: Object.keys(result.metafile.inputs) };
    await writeFile(recordPath, JSON.stringify(record));
  }
  // A map left by an earlier debugging build would be served (and packed) with the rest.
  if (!sourcemap) await rm(`${bundle}.map`, { force: true });
  for (const file of ['index.html', 'styles.css'])
    await copyFile(`${RENDERER_SOURCE}${file}`, `${outdir}/${file}`);
  return outdir;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(`renderer built in ${await buildRenderer()}`);
}
