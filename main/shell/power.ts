import { net, powerMonitor } from 'electron';
import type { AppSession } from '../bridge/app-session.js';

/**
 * The OS tells us when waiting for the backoff is pointless: unlock, the network coming back
 * (polled: Electron has no event for it). A resume is more: a connection from before the
 * sleep is not trusted. Returns the stop.
 */
export function setupPowerAndNetwork(session: AppSession, pollMs = 5_000): () => void {
  const reconnect = () => session.reconnect();
  powerMonitor.on('resume', () => session.resumed());
  powerMonitor.on('unlock-screen', reconnect);
  let online = net.isOnline();
  const timer = setInterval(() => {
    const now = net.isOnline();
    if (now && !online) reconnect();
    online = now;
  }, pollMs);
  return () => clearInterval(timer);
}
