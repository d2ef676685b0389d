import { type BrowserWindow, Notification } from 'electron';
import type { AppSession } from '../bridge/app-session.js';
import type { Notice } from '../contract/notice.js';
import { escapeMarkup } from '../contract/text.js';
import { showWindow } from './window.js';

/**
 * The policy's notices as native notifications; a click shows the window (and the item).
 * Returns what was shown, for the `_electron` suite's hooks.
 */
export function setupNotifications(session: AppSession, window: BrowserWindow): Notice[] {
  const shown: Notice[] = [];
  session.on('notice', (notice) => {
    shown.push(notice);
    if (!Notification.isSupported()) return;
    // Some Linux notification servers render markup in the body: show text as text.
    const text = (t: string) => (process.platform === 'linux' ? escapeMarkup(t) : t);
    const native = new Notification({ title: notice.title, body: text(notice.body) });
    const target = notice.target;
    native.on('click', () => (target ? session.reveal(target) : showWindow(window)));
    native.show();
  });
  return shown;
}
