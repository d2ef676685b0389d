/**
 * `npm run sim`: a GWS simulator on loopback with the demo data set (or `--seed file.json`).
 */
import { parseArgs } from 'node:util';
import { controlUrl, rememberControl, startControlServer } from './control.js';
import { demoSeed, GwsSimulator, loadSeedFile } from './simulator.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.GWS_SIM_PORT ?? '8090' },
    'control-port': { type: 'string', default: process.env.GWS_SIM_CONTROL_PORT ?? '8091' },
    seed: { type: 'string' },
    timeout: { type: 'string', default: '30000' },
    'max-interval': { type: 'string', default: '15000' },
    help: { type: 'boolean', short: 'h' },
  },
});

/** 0 means any free port; anything else not a port ends the simulator before it starts. */
function port(option: string, value: string): number {
  const n = Number(value);
  if (Number.isInteger(n) && n >= 0 && n <= 65535) return n;
  console.error(`--${option}: "${value}" is not a port number`);
  process.exit(2);
}

if (values.help) {
  console.log(`Usage: npm run sim -- [--port 8090] [--control-port 8091] [--seed data.json]
       [--timeout 30000] [--max-interval 15000]
Starts a Genesys Web Services simulator on 127.0.0.1. Drive it with \`npm run simctl\`.`);
  process.exit(0);
}

const seed = values.seed ? loadSeedFile(values.seed) : demoSeed();
const sim = new GwsSimulator({
  port: port('port', values.port),
  seed,
  timeout: Number(values.timeout),
  maxInterval: Number(values['max-interval']),
});
try {
  await sim.start();
} catch (error) {
  console.error(`Cannot listen on port ${values.port}: ${(error as Error).message}`);
  process.exit(1);
}
const control = await startControlServer(sim, port('control-port', values['control-port']));

console.log(`GWS simulator: ${sim.url}  (CometD at ${sim.url}/api/v2/notifications)`);
rememberControl(controlUrl(control));
console.log(`Control API:   ${controlUrl(control)}  (npm run simctl -- help)`);
console.log('Users (password):');
for (const user of seed.users) {
  console.log(`  ${user.userName} (${user.password})${user.supervisor ? '  supervisor' : ''}`);
}
console.log('Press Ctrl+C to stop.');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    control.close();
    void sim.stop().then(() => process.exit(0));
  });
}
