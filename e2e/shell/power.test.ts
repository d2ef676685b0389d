/**
 * What the OS tells the app: resume from sleep and unlock mean the backoff is pointless.
 */
import { describe, expect, it } from 'vitest';
import { launchApp, newHome, online, TOOLTIP, tooltip, useShellSimulator } from './fixtures.js';

const sim = useShellSimulator();

describe('power and network', () => {
  it('resume from sleep reconnects at once instead of waiting out the backoff', {
    timeout: 40_000,
  }, async () => {
    const app = launchApp(newHome(), { server: sim().url });
    await online(app);
    // Down long enough for the backoff (1 s more per attempt) to put the next try 4 s away.
    const back = sim().restart(11_000);
    await app.until('reconnecting', () => tooltip(app) === TOOLTIP('Connecting…'));
    await back;
    const before = Date.now();
    await app.act({ type: 'power', event: 'resume' });
    await online(app);
    expect(Date.now() - before).toBeLessThan(2_500);
  });
});
