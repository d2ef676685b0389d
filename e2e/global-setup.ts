import { buildRenderer } from '../scripts/build-renderer.js';
import { findElectronBinary } from '../scripts/electron-binary.js';

/** Builds the renderer once; every test's web server serves the same files. */
export default async function globalSetup(): Promise<void> {
  await buildRenderer();
  const electron = findElectronBinary();
  if (!electron.ok) {
    // Said once, plainly, so that the skipped _electron tests are not mistaken for a pass.
    console.log(`\n[electron] suite SKIPPED: Electron binary not installed (${electron.error}).`);
    console.log(
      '[electron] The browser suite runs the same UI and core; see README "Installing without the Electron binary".\n',
    );
  }
}
