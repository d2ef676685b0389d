/**
 * `npm start`: builds and launches the Electron app. With nothing configured it first starts
 * the GWS simulator and lets the app sign in to it. Without an Electron binary it says so and
 * points to `npm run web`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { buildShell } from '../main/cli/build-shell.js';
import { findElectronBinary, NO_ELECTRON_HELP } from '../main/shell/electron-binary.js';

const electron = findElectronBinary();
if ('missing' in electron) {
  console.error(`${NO_ELECTRON_HELP}\n(${electron.missing})`);
  process.exit(1);
}

await buildShell();

const env: NodeJS.ProcessEnv = { ...process.env };
let sim: ChildProcess | undefined;
if (!process.env.WORKBIN_TRAY_NO_DEMO) {
  sim = spawn(
    process.execPath,
    ['--import', 'tsx', 'sim/cli.ts', '--port', '0', '--control-port', '8091'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: sim?.stdout ?? process.stdin });
    lines.on('line', (line) => {
      console.log(line);
      const match = /^GWS simulator: (\S+)/.exec(line);
      if (match?.[1]) resolve(match[1]);
    });
    sim?.once('exit', () => reject(new Error('the simulator did not start')));
  });
  env.WORKBIN_TRAY_DEMO_SERVER = url;
}

const app = spawn(electron.path, ['.', ...process.argv.slice(2)], { stdio: 'inherit', env });
app.once('exit', (code) => {
  sim?.kill('SIGTERM');
  process.exit(code ?? 0);
});
