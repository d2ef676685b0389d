/**
 * What the OS tells the app: resume from sleep and unlock mean the backoff is pointless.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { GwsSimulator } from '../../sim/simulator.js';
import {
  launchApp,
  newHome,
  online,
  quitAll,
  startShellSimulator,
  TOOLTIP,
  tooltip,
} from './fixtures.js';

let sim: GwsSimulator;

beforeAll(async () => {
  sim = await startShellSimulator();
});
afterEach(quitAll);
afterAll(async () => {
  await sim.stop();
});

describe('power and network', () => {
  it('resume from sleep reconnects at once instead of waiting out the backoff', {
    timeout: 40_000,
  }, async () => {
    const app = launchApp(newHome(), { server: sim.url });
    await online(app);
    // Down long enough for the backoff (1 s more per attempt) to put the next try 4 s away.
    const back = sim.restart(11_000);
    await app.until('reconnecting', () => tooltip(app) === TOOLTIP('Connecting…'));
    await back;
    const before = Date.now();
    await app.act({ type: 'power', event: 'resume' });
    await online(app);
    expect(Date.now() - before).toBeLessThan(2_500);
  });
});
