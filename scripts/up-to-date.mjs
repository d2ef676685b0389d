/**
 * Shared by the launcher (`run-bundled.mjs`, plain JavaScript: it runs before anything could
 * compile TypeScript) and the renderer build: a bundle is up to date when it was written
 * after every file it was built from last changed.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** `inputs` are paths under `root`, as esbuild's metafile names them. */
export function builtAfter(output, inputs, root) {
  if (!existsSync(output)) return false;
  const built = statSync(output).mtimeMs;
  return inputs.every((input) => {
    const path = join(root, input);
    return existsSync(path) && statSync(path).mtimeMs <= built;
  });
}
