import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = new URL('./', import.meta.url);
const out = new URL('../../dist/electron-double/', import.meta.url);

/** `node --import <this> main.mjs` runs an Electron main script under the double. */
export const DOUBLE_REGISTER = fileURLToPath(new URL('register.mjs', out));
/** Runs a built preload under the double (./preload-host.ts). */
export const PRELOAD_HOST = fileURLToPath(new URL('preload-host.mjs', out));

/**
 * The double as plain JavaScript, so that the shell runs under bare Node: no TypeScript
 * loader between V8 and the shell's own source maps (coverage maps straight to main/shell).
 */
export async function buildElectronDouble(): Promise<void> {
  await build({
    entryPoints: {
      electron: fileURLToPath(new URL('electron.ts', here)),
      register: fileURLToPath(new URL('register.ts', here)),
      'preload-host': fileURLToPath(new URL('preload-host.ts', here)),
    },
    // The host gets the double through the resolve hook, as the shell does: one instance.
    external: ['electron'],
    outdir: fileURLToPath(out),
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
  });
}
