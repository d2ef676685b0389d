/**
 * Browser mode: the whole app without Electron. The core runs here under Node; the UI is
 * served to a browser on loopback. The entry point is scripts/web.ts (`npm run web`), which
 * hands in what main/ must not own: the renderer build and the demo simulator.
 */

import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { installBackstops } from '../bridge/backstops.js';
import { cacheProblemText, openCachedBridge } from '../bridge/cached-bridge.js';
import { CoreBridge, type SignInRequest } from '../bridge/core-bridge.js';
import { Notifier } from '../bridge/notifier.js';
import { startWebHost } from '../bridge/web-host.js';
import { explain } from '../contract/strings.js';
import { DiagnosticsJournal } from '../diagnostics/journal.js';
import { commandLine, passwordFor, portOption, usageError } from './args.js';
import { LIMIT_OPTIONS, LIMITS_USAGE, limitsOption } from './limits.js';
import { watchForWake } from './wake-watch.js';

const USAGE = `Usage: npm run web -- [--url <https://gws-host> --user <name>] [options]
  --port <n>           UI port on 127.0.0.1 (default 8080; 0 picks a free one)
  --sim-port <n>       simulator port when no --url is given (default 0: free port)
  --control-port <n>   simulator control API port (default 0: free port)
  --no-sign-in         start at the sign-in form
  --static <dir>       serve an already built renderer (default: build it now)
  --cache-dir <dir>    keep the offline cache there (shown at start, marked stale)
  --watch-user <id>    also watch this user's workbins (supervisors; repeatable)
  --agent-group <name> also watch this agent group's team workbins (repeatable)
  --place-group <name> also watch this place group's team workbins (repeatable)
  --user <name>        with the simulator too: sign in as this demo user (default agent1)
  --allow-insecure-http  allow plain http:// to another machine (password sent unencrypted)
${LIMITS_USAGE}
Password for --url: GWS_PASSWORD, or asked for on the terminal.`;

/** A running demo GWS server (the simulator), started by the launcher. */
export interface DemoServer {
  readonly url: string;
  readonly controlUrl: string;
  close(): Promise<void>;
}

export interface WebLauncher {
  /** Builds the renderer and says where it is. */
  buildRenderer(): Promise<string>;
  startDemoServer(port: number, controlPort: number): Promise<DemoServer>;
}

/** Parses `argv`, starts the UI host (and the demo server when no --url), signs in. */
export async function runWeb(argv: readonly string[], launcher: WebLauncher): Promise<void> {
  const { values } = commandLine(
    () =>
      parseArgs({
        args: [...argv],
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
          'agent-group': { type: 'string', multiple: true },
          'place-group': { type: 'string', multiple: true },
          'allow-insecure-http': { type: 'boolean', default: false },
          ...LIMIT_OPTIONS,
          help: { type: 'boolean', short: 'h' },
        },
      }),
    USAGE,
  );
  const uiPort = portOption('port', values.port, USAGE);
  const simPort = portOption('sim-port', values['sim-port'], USAGE);
  const controlPort = portOption('control-port', values['control-port'], USAGE);
  if (values.url && !values.user) usageError('--user is required with --url', USAGE);
  const limits = limitsOption(values, USAGE);

  const staticDir = values.static ?? (await launcher.buildRenderer());
  const closers: Array<() => Promise<void> | void> = [];
  const allowInsecureHttp = values['allow-insecure-http'];
  const cacheDir = values['cache-dir'];
  let bridge: CoreBridge;
  if (cacheDir) {
    // Loaded only for a cache: conf and its schema validator took some 10 ms of every start.
    const { confBackendIn } = await import('../cache/conf-backend.js');
    const logFile = join(cacheDir, 'workbin-tray.log');
    const journal = new DiagnosticsJournal({ logFile });
    const opened = openCachedBridge(
      confBackendIn(cacheDir),
      { limits },
      {
        allowInsecureHttp,
        journal,
      },
    );
    bridge = opened.bridge;
    void opened.problem.then((problem) => problem && console.error(cacheProblemText(problem)));
    closers.push(() => {
      const failed = opened.cache.flush();
      if (failed) console.error(failed);
    });
    installBackstops({ logFile, flush: () => opened.cache.flush() });
  } else {
    bridge = new CoreBridge({ allowInsecureHttp, core: { limits } });
    installBackstops();
  }

  // Teams and agents named on the command line become the saved choice (settings), as if
  // chosen in the UI.
  const agentGroups = values['agent-group'];
  const placeGroups = values['place-group'];
  const watchUsers = values['watch-user'];
  if (agentGroups || placeGroups || watchUsers)
    bridge.updateSettings({
      ...(agentGroups && { agentGroups }),
      ...(placeGroups && { placeGroups }),
      ...(watchUsers && { watchUsers }),
    });

  let signIn: SignInRequest;
  if (values.url && values.user) {
    const password = await passwordFor(values.user, USAGE);
    signIn = { server: values.url, user: values.user, password };
  } else {
    const demo = await launcher.startDemoServer(simPort, controlPort);
    closers.push(() => demo.close());
    console.log(`GWS simulator: ${demo.url}  (users agent1, agent2, super1; password demo)`);
    console.log(`Control API:   ${demo.controlUrl}`);
    signIn = { server: demo.url, user: values.user ?? 'agent1', password: 'demo' };
  }

  let host: Awaited<ReturnType<typeof startWebHost>>;
  try {
    host = await startWebHost({ bridge, staticDir, port: uiPort });
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
  // The page shows the notifications the policy decides on, as the app does natively.
  const notifier = new Notifier(bridge);
  notifier.on('notice', (notice) => bridge.notify(notice));
  closers.push(() => notifier.stop());
  console.log(`Workbin Tray:  ${host.openUrl}`);
  // The app reconnects when the OS says it resumed; here the clocks say it.
  closers.push(watchForWake(() => void bridge.reconnectNow()));

  if (!values['no-sign-in']) {
    const result = await bridge.signIn(signIn, { preferCache: true });
    if (!result.ok) {
      console.error(`Sign-in failed: ${explain(result.error)} (the page shows the sign-in form)`);
    }
  }

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, async () => {
      for (const close of closers) await close();
      process.exit(0);
    });
  }
}
