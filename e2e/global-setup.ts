import { buildShell } from '../scripts/build-shell.js';
import { findElectronBinary } from '../scripts/electron-binary.js';
import { buildElectronDouble } from './electron-double/build.js';

/**
 * Builds the shell (and with it the renderer) and the Electron double once: every test's web
 * server serves the same files, and the app-window project runs the built shell.
 */
export default async function globalSetup(): Promise<void> {
  await Promise.all([buildShell(), buildElectronDouble()]);
  const electron = findElectronBinary();
  if (!electron.ok) {
    // Said once, plainly, so that the skipped _electron tests are not mistaken for a pass.
    console.log(`\n[electron] suite SKIPPED: Electron binary not installed (${electron.error}).`);
    console.log(
      '[electron] The browser suite runs the same UI and core; see README "Installing without the Electron binary".\n',
    );
  }
}
