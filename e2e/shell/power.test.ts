/**
 * What the OS tells the app: resume from sleep and unlock mean the backoff is pointless.
 */
import { describe, expect, it } from 'vitest';
import type { ConnectionStatus } from '../../main/contract/status.js';
import {
  launchApp,
  newHome,
  online,
  sentToPage,
  TOOLTIP,
  tooltip,
  useShellSimulator,
} from './fixtures.js';

type ShellApp = ReturnType<typeof launchApp>;

/** Every status the app has sent its page, oldest first. */
function statuses(app: ShellApp): ConnectionStatus[] {
  return sentToPage(app).flatMap((event) =>
    event.type === 'status' ? [event.status as ConnectionStatus] : [],
  );
}

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
    // The app's own plan, as it told the page: no stopwatch to be slow on a busy machine.
    const before = statuses(app);
    const lost = before.at(-1);
    const planned =
      lost?.state === 'reconnecting' || lost?.state === 'offline' ? lost.nextRetryAt : null;
    expect(planned).toEqual(expect.any(Number));
    await app.act({ type: 'power', event: 'resume' });
    await online(app);
    const reconnected = await app.until('online told to the page', () =>
      statuses(app)
        .slice(before.length)
        .find((s) => s.state === 'online'),
    );
    expect(reconnected.since).toBeLessThan(planned as number);
  });

  it('resume while it believes it is online starts a fresh CometD session: a connection that died in the sleep is not waited out', {
    timeout: 40_000,
  }, async () => {
    const app = launchApp(newHome(), { server: sim().url });
    await online(app);
    // Before a sleep the long poll looked healthy; after it, only a new session proves it is.
    const before = statuses(app).length;
    await app.act({ type: 'power', event: 'resume' });
    const anew = await app.until('a fresh connection', () =>
      statuses(app)
        .slice(before)
        .find((s) => s.state !== 'online'),
    );
    expect(anew.state).toBe('connecting');
    await online(app);
    // Unlocking the screen is no sleep: the connection is kept, the contents loaded again.
    const unlocked = statuses(app).length;
    await app.act({ type: 'power', event: 'unlock-screen' });
    await app.until('the resync after unlocking', () =>
      statuses(app)
        .slice(unlocked)
        .find((s) => s.state === 'online' && !s.syncing),
    );
    expect(
      statuses(app)
        .slice(unlocked)
        .every((s) => s.state === 'online'),
    ).toBe(true);
  });
});
