import { buildRenderer } from '../main/cli/build-renderer.js';

/** Builds the renderer once; every test's web server serves the same files. */
export default async function globalSetup(): Promise<void> {
  await buildRenderer();
}
