/**
 * `npm run watch -- --url <gws> --user <name>`: the core without a UI. Prints every status
 * and state change as one JSON object per line (NDJSON) on stdout.
 * The password comes from GWS_PASSWORD, or is asked for on the terminal.
 */
import { parseArgs } from 'node:util';
import { installBackstops } from '../bridge/backstops.js';
import { parseServerUrl } from '../gws/server-url.js';
import { LiveWorkbins } from '../workbins/live-workbins.js';
import type { WorkbinState } from '../workbins/state.js';
import { commandLine, passwordFor, usageError } from './args.js';
import { LIMIT_OPTIONS, LIMITS_USAGE, limitsOption } from './limits.js';
import { watchForWake } from './wake-watch.js';

const USAGE = `Usage: npm run watch -- --url <https://gws-host> --user <name> [options]
  --watch-user <id>   also watch this user's workbins (supervisors; repeatable)
  --agent-group <g>   also watch agent group g's team workbins (repeatable)
  --place-group <g>   also watch place group g's team workbins (repeatable)
  --transport <t>     long-polling (default) or websocket
  --once              exit after the first full load
  --items             also print every item a load finds (default: live changes and the
                      per-workbin ids in the 'synced' line only)
  --allow-insecure-http  allow plain http:// to another machine (password sent unencrypted)
${LIMITS_USAGE}
Password: GWS_PASSWORD environment variable, or asked for on the terminal.`;

function write(line: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ at: new Date().toISOString(), ...line })}\n`);
}

function contents(state: WorkbinState): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const [key, view] of state.workbins) result[key] = [...view.items.keys()].sort();
  return result;
}

const { values } = commandLine(
  () =>
    parseArgs({
      options: {
        url: { type: 'string' },
        user: { type: 'string' },
        'watch-user': { type: 'string', multiple: true },
        'agent-group': { type: 'string', multiple: true },
        'place-group': { type: 'string', multiple: true },
        transport: { type: 'string', default: 'long-polling' },
        once: { type: 'boolean', default: false },
        items: { type: 'boolean', default: false },
        'allow-insecure-http': { type: 'boolean', default: false },
        ...LIMIT_OPTIONS,
        help: { type: 'boolean', short: 'h' },
      },
    }),
  USAGE,
);
if (!values.url) usageError('--url is required', USAGE);
if (!values.user) usageError('--user is required', USAGE);
const transport = values.transport;
if (transport !== 'long-polling' && transport !== 'websocket') {
  usageError(`--transport: "${transport}" is neither long-polling nor websocket`, USAGE);
}
const baseUrl = parseServerUrl(values.url, { allowInsecureHttp: values['allow-insecure-http'] });
if (!baseUrl.ok) usageError(`--url: ${baseUrl.error.message}`, USAGE);
const limits = limitsOption(values, USAGE);
const password = await passwordFor(values.user, USAGE);

installBackstops({ name: 'watch' });
const core = new LiveWorkbins({
  baseUrl: baseUrl.value,
  credentials: { user: values.user, password },
  watchUsers: values['watch-user'] ?? [],
  agentGroups: values['agent-group'] ?? [],
  placeGroups: values['place-group'] ?? [],
  transport,
  limits,
});

core.on('status', (status) => {
  write({ type: 'status', ...status });
});
core.on('changes', ({ changes, state }) => {
  for (const change of changes) {
    if (change.type === 'workbin-updated') {
      const view = state.workbins.get(change.key);
      if (!view) continue;
      write({
        type: 'workbin',
        key: change.key,
        owner: view.ownerUserId,
        workbin: view.workbinId,
        displayName: view.displayName,
        subscription: view.subscription,
        failure: view.failure,
        count: view.items.size,
      });
    } else if (change.type === 'workbin-removed' || change.type === 'subscription-failed') {
      write({ ...change });
    } else if (change.live || values.items) {
      // A load of 100,000 items is one 'synced' line with their ids, not 100,000 lines.
      write({ ...change });
    }
  }
});
core.on('synced', ({ state, workbins, items }) => {
  write({ type: 'synced', workbins, items, contents: contents(state), stats: { ...core.stats } });
  if (values.once) void core.stop().then(() => process.exit(0));
});
core.on('rejected', ({ reason, sample }) =>
  write({ type: 'rejected', reason, sample, total: core.stats.rejected }),
);
core.on('problem', ({ during, error }) => write({ type: 'error', during, ...error }));

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void core.stop().then(() => process.exit(process.exitCode ?? 0)));
}
// "Reconnect now", for scripts and tests: kill -USR2 <pid>
process.on('SIGUSR2', () => void core.reconnectNow());
// And by itself after the machine slept (the app has the OS's resume event for it).
watchForWake(() => void core.reconnectNow());
core.on('status', (s) => {
  if (s.state === 'signed-out') void core.stop().then(() => process.exit(3));
});
core.start();
