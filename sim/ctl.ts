/**
 * `npm run simctl -- <command> [--key value ...]`: drives a running simulator's control API.
 */
import { readFileSync } from 'node:fs';
import { CONTROL_FILE, CONTROL_TOKEN_HEADER } from './control.js';

const COMMANDS: Record<string, { method: string; path: string; help: string }> = {
  state: { method: 'GET', path: '/state', help: 'users, workbins, items, who is subscribed' },
  truth: { method: 'GET', path: '/truth', help: '--user U: item ids per workbin of U' },
  seed: { method: 'POST', path: '/seed', help: '--file data.json: replace all data' },
  add: {
    method: 'POST',
    path: '/items',
    help: '--kind K --workbin W [--owner U | --group G [--groupType PlaceGroup]] [--subject S] [--from F] [--count N]',
  },
  remove: { method: 'DELETE', path: '/items/', help: '--id ID' },
  'request-failed': {
    method: 'POST',
    path: '/request-failed',
    help: '--user U --workbin W [--owner O] [--reason R]',
  },
  raw: { method: 'POST', path: '/raw', help: "--user U --data '<json>': any payload" },
  drop: { method: 'POST', path: '/faults/drop', help: 'cut every connection' },
  restart: { method: 'POST', path: '/faults/restart', help: '[--downMs N]: crash, come back' },
  stop: { method: 'POST', path: '/faults/stop', help: 'crash and stay down' },
  start: { method: 'POST', path: '/faults/start', help: 'come back after stop' },
  hang: { method: 'POST', path: '/faults/hang', help: 'stop answering (like SIGSTOP)' },
  resume: { method: 'POST', path: '/faults/resume', help: 'answer again' },
  expire: {
    method: 'POST',
    path: '/faults/expire',
    help: '[--user U] [--http true]: expire sessions',
  },
  'reject-credentials': {
    method: 'POST',
    path: '/faults/reject-credentials',
    help: '[--on false]: refuse every sign-in',
  },
  behaviour: {
    method: 'POST',
    path: '/behaviour',
    help: '[--referenceIdInAnswers true] [--subscriptionDelay MS] [--csrfOnlyAtSignIn true] [--csrfOnNotifications true] [--subscriptionsEndWithCometd true] [--signInDelay MS] [--contentsDelay MS] [--htmlErrors true] [--oldInteractionServer true] [--packetBytes N]: how GWS (and the network) behave (no options: show)',
  },
  'fail-channel-subscribe': {
    method: 'POST',
    path: '/faults/fail-channel-subscribe',
    help: '[--count N]: deny the next N CometD subscribes to /v2/me/workbins',
  },
  'fail-contents': {
    method: 'POST',
    path: '/faults/fail-contents',
    help: '--workbin W [--count N]: answer the next N loads of W with a 500',
  },
  'fail-subscribe': {
    method: 'POST',
    path: '/faults/fail-subscribe',
    help: '--workbin W [--on false]: answer RequestFailed',
  },
};

/**
 * The control API to talk to, as the simulator printed it (`http://…/#token=…`):
 * GWS_SIM_CONTROL, else what the last `npm run sim` or `npm run web` left for simctl.
 */
function defaultControl(): string {
  if (process.env.GWS_SIM_CONTROL) return process.env.GWS_SIM_CONTROL;
  try {
    const saved = JSON.parse(readFileSync(CONTROL_FILE, 'utf8')) as { url?: unknown };
    if (typeof saved.url === 'string') return saved.url;
  } catch {
    // No simulator has been started here yet: the default port, no token.
  }
  return 'http://127.0.0.1:8091';
}

/** `<command> --key value ...`: every option takes a value, so no option list is needed. */
function parseCommandLine(argv: string[]): { command: string; values: Record<string, string> } {
  const values: Record<string, string> = { control: defaultControl() };
  let command = 'help';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('--')) {
      command = arg;
      continue;
    }
    const eq = arg.indexOf('=');
    if (eq > 0) values[arg.slice(2, eq)] = arg.slice(eq + 1);
    else values[arg.slice(2)] = argv[++i] ?? 'true';
  }
  return { command, values };
}

const { command, values } = parseCommandLine(process.argv.slice(2));
const spec = COMMANDS[command];
if (!spec) {
  console.log('Usage: npm run simctl -- <command> [--control http://127.0.0.1:8091] [options]\n');
  for (const [name, c] of Object.entries(COMMANDS)) console.log(`  ${name.padEnd(19)}${c.help}`);
  process.exit(command === 'help' ? 0 : 2);
}

/** Option values are strings; numbers, booleans and JSON are decoded where they parse. */
function decode(value: string): unknown {
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

const body: Record<string, unknown> = {};
for (const [key, value] of Object.entries(values)) {
  if (key === 'control' || key === 'file' || key === 'id') continue;
  body[key] = [
    'user',
    'workbin',
    'owner',
    'group',
    'groupType',
    'subject',
    'from',
    'reason',
    'kind',
  ].includes(key)
    ? value
    : decode(value);
}
let path = spec.path;
let payload: string | undefined = JSON.stringify(body);
if (command === 'seed') payload = readFileSync(String(values.file), 'utf8');
if (command === 'remove') path += encodeURIComponent(String(values.id));
if (command === 'truth') path += `?user=${encodeURIComponent(String(values.user))}`;
if (spec.method === 'GET') payload = undefined;

const [controlBase = '', token = ''] = String(values.control).split('#token=');
try {
  const response = await fetch(`${controlBase.replace(/\/$/, '')}${path}`, {
    method: spec.method,
    headers: { 'content-type': 'application/json', [CONTROL_TOKEN_HEADER]: token },
    ...(payload !== undefined && { body: payload }),
  });
  console.log(JSON.stringify(await response.json(), null, 2));
  process.exit(response.ok ? 0 : 1);
} catch (error) {
  console.error(
    `Cannot reach the simulator's control API at ${controlBase}: ${(error as Error).message}`,
  );
  process.exit(1);
}
