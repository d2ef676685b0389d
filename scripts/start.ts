/**
 * `npm start`: builds and launches the Electron app. With nothing configured it first starts
 * the GWS simulator and lets the app sign in to it. Without an Electron binary it says so and
 * points to `npm run web`.
 */
import { spawn } from 'node:child_process';
import { type Spawned, spawnEntry } from '../sim/spawn.js';
import { buildShell } from './build-shell.js';
import { findElectronBinary, NO_ELECTRON_HELP } from './electron-binary.js';

const electron = findElectronBinary();
if (!electron.ok) {
  console.error(`${NO_ELECTRON_HELP}\n(${electron.error})`);
  process.exit(1);
}

await buildShell();

const env: NodeJS.ProcessEnv = { ...process.env };
let sim: Spawned | undefined;
if (!process.env.WORKBIN_TRAY_NO_DEMO) {
  sim = await spawnEntry(
    'sim/cli.ts',
    ['--port', '0', '--control-port', '8091'],
    ['GWS simulator', 'Control API'],
  );
  console.log(sim.output.join('\n'));
  env.WORKBIN_TRAY_DEMO_SERVER = sim.urls['GWS simulator'];
}

const app = spawn(electron.value, ['.', ...process.argv.slice(2)], { stdio: 'inherit', env });
app.once('exit', async (code) => {
  await sim?.stop();
  process.exit(code ?? 0);
});
