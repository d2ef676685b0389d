/**
 * `node --import dist/electron-double/register.mjs dist/electron/main.mjs` (built by
 * ./build.ts): the shell, and electron-store, get the double wherever they import `electron`.
 * ESM imports go through a resolve hook; CommonJS requires (menubar) through Module._load,
 * which Node 20's hooks do not reach.
 */
import { Module, register } from 'node:module';

const double = new URL('./electron.mjs', import.meta.url).href;
const hooks = `export async function resolve(specifier, context, next) {
  if (specifier === 'electron' || specifier === 'electron/main')
    return { url: ${JSON.stringify(double)}, shortCircuit: true };
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);

type Load = (request: string, parent: unknown, isMain: boolean) => unknown;
const loader = Module as unknown as { _load: Load };
const load = loader._load;
loader._load = (request, parent, isMain) => {
  if (request !== 'electron') return load(request, parent, isMain);
  const double = (globalThis as Record<symbol, unknown>)[Symbol.for('electron-double')];
  if (!double) throw new Error('require("electron") before the Electron double was imported');
  return double;
};
