import type { Notice } from '../../main/contract/notice.js';
import { STRINGS } from '../../main/contract/strings.js';
import { el } from '../dom.js';

/**
 * Browser mode's notifications: the core's policy decides (coalesced, muted, paused), the
 * page shows them with the Web Notifications API. Permission is asked from a click, and a
 * refusal is explained rather than silently ignored.
 */
export class BrowserNotifications {
  readonly root = el('span', { class: 'notify-permission' });
  private readonly ask = el('button', {
    text: STRINGS.notifications.enable,
    attrs: { type: 'button' },
  });
  private readonly blocked = el('span', {
    class: 'muted',
    text: STRINGS.notifications.blocked,
    attrs: { role: 'note' },
  });

  constructor(private readonly onOpen: (target: NonNullable<Notice['target']>) => void) {
    this.root.append(this.ask, this.blocked);
    this.ask.addEventListener('click', () => {
      void Notification.requestPermission().then(() => this.render(true));
    });
  }

  render(signedIn: boolean): void {
    const permission = 'Notification' in window ? Notification.permission : 'denied';
    this.ask.hidden = !signedIn || permission !== 'default';
    this.blocked.hidden = !signedIn || permission !== 'denied';
  }

  show(notice: Notice): void {
    if (!('Notification' in window) || Notification.permission !== 'granted') return;
    const shown = new Notification(notice.title, { body: notice.body, tag: notice.kind });
    const target = notice.target;
    shown.onclick = () => {
      shown.close();
      if (target) this.onOpen(target);
      else window.focus();
    };
  }
}
