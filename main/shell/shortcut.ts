import { globalShortcut } from 'electron';
import type { AppSession } from '../bridge/app-session.js';

/**
 * The global shortcut that toggles the popup: off unless the settings name one, re-registered
 * when they change. One another app already holds is reported, not silently lost. Returns the
 * stop.
 */
export function setupShortcut(session: AppSession, toggle: () => void): () => void {
  let registered: string | null = null;
  const apply = () => {
    const wanted = session.settings.popupShortcut;
    if (wanted === registered) return;
    if (registered) globalShortcut.unregister(registered);
    registered = null;
    if (!wanted) return;
    if (globalShortcut.register(wanted, toggle)) registered = wanted;
    else
      session.bridge.recordProblem(
        'problem',
        `The shortcut ${wanted} could not be registered: another app may be using it`,
      );
  };
  apply();
  session.on('settings', apply);
  return () => globalShortcut.unregisterAll();
}
