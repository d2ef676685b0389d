/**
 * `node --import dist/electron-double/register.mjs dist/electron/main.mjs` (built by
 * ./build.ts): the shell, and electron-store, get the double wherever they import `electron`.
 */
import { register } from 'node:module';

const double = new URL('./electron.mjs', import.meta.url).href;
const hooks = `export async function resolve(specifier, context, next) {
  if (specifier === 'electron' || specifier === 'electron/main')
    return { url: ${JSON.stringify(double)}, shortCircuit: true };
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
