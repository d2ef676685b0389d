import { buildShell } from '../../scripts/build-shell.js';
import { buildElectronDouble } from '../electron-double/build.js';

/** The suite runs what Electron would run: dist/electron/main.mjs, built once. */
export default async function setup(): Promise<void> {
  await Promise.all([buildShell(), buildElectronDouble()]);
}
