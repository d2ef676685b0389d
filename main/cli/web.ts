/**
 * `npm run web`: the whole app without Electron. The core runs here under Node; the UI is
 * served to a browser on loopback. With no --url it starts the simulator and signs in to it.
 */
import { parseArgs } from 'node:util';
import { controlUrl, startControlServer } from '../../sim/control.js';
import { GwsSimulator } from '../../sim/simulator.js';
import { openCachedBridge } from '../bridge/cached-bridge.js';
import { CoreBridge } from '../bridge/core-bridge.js';
import { startWebHost } from '../bridge/web-host.js';
import { confBackendIn } from '../cache/conf-backend.js';
import { portOption as port } from './args.js';
import { buildRenderer } from './build-renderer.js';
import { promptPassword } from './password.js';

const USAGE = `Usage: npm run web -- [--url <https://gws-host> --user <name>] [options]
  --port <n>           UI port on 127.0.0.1 (default 8080; 0 picks a free one)
  --sim-port <n>       simulator port when no --url is given (default 0: free port)
  --control-port <n>   simulator control API port (default 0: free port)
  --no-sign-in         start at the sign-in form
  --static <dir>       serve an already built renderer (default: build it now)
  --cache-dir <dir>    keep the offline cache there (shown at start, marked stale)
  --watch-user <id>    also watch this user's workbins (supervisors; repeatable)
  --user <name>        with the simulator too: sign in as this demo user (default agent1)
Password for --url: GWS_PASSWORD, or asked for on the terminal.`;

let values: ReturnType<typeof parse>['values'];
function parse() {
  return parseArgs({
    options: {
      url: { type: 'string' },
      user: { type: 'string' },
      port: { type: 'string', default: '8080' },
      'sim-port': { type: 'string', default: '0' },
      'control-port': { type: 'string', default: '0' },
      'no-sign-in': { type: 'boolean', default: false },
      static: { type: 'string' },
      'cache-dir': { type: 'string' },
      'watch-user': { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
try {
  values = parse().values;
} catch (error) {
  console.error(`${(error as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const staticDir = values.static ?? (await buildRenderer());
const closers: Array<() => Promise<void> | void> = [];
const core = { watchUsers: values['watch-user'] ?? [] };
let bridge: CoreBridge;
if (values['cache-dir']) {
  const opened = openCachedBridge(confBackendIn(values['cache-dir']), core);
  bridge = opened.bridge;
  if (opened.problem) {
    console.error(`Offline cache not usable (${opened.problem.kind}): ${opened.problem.message}`);
  }
  closers.push(() => opened.cache.flush());
} else {
  bridge = new CoreBridge({ core });
}

let signIn: { server: string; user: string; password: string } | undefined;
if (values.url) {
  if (!values.user) {
    console.error(`--user is required with --url\n\n${USAGE}`);
    process.exit(2);
  }
  const password =
    process.env.GWS_PASSWORD ?? (await promptPassword(`Password for ${values.user}: `));
  signIn = { server: values.url, user: values.user, password };
} else {
  const sim = new GwsSimulator({ port: port('sim-port', values['sim-port']) });
  await sim.start();
  const control = await startControlServer(sim, port('control-port', values['control-port']));
  closers.push(
    () => sim.stop(),
    () => void control.close(),
  );
  console.log(`GWS simulator: ${sim.url}  (users agent1, agent2, super1; password demo)`);
  console.log(`Control API:   ${controlUrl(control)}`);
  signIn = { server: sim.url, user: values.user ?? 'agent1', password: 'demo' };
}

let host: Awaited<ReturnType<typeof startWebHost>>;
try {
  host = await startWebHost({ bridge, staticDir, port: port('port', values.port) });
} catch (error) {
  console.error(
    `Cannot serve the UI on 127.0.0.1:${values.port}: ${(error as Error).message}. Try --port 0.`,
  );
  for (const close of closers) await close();
  process.exit(1);
}
closers.unshift(
  () => host.close(),
  () => bridge.stop(),
);
console.log(`Workbin Tray:  ${host.openUrl}`);

if (signIn && !values['no-sign-in']) {
  const error = await bridge.signIn(signIn, { preferCache: true });
  if (error) console.error(`Sign-in failed: ${error} (the page shows the sign-in form)`);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    for (const close of closers) await close();
    process.exit(0);
  });
}
