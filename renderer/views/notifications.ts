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

  /**
   * Read when it may have changed, not per render: reading it is a synchronous call to the
   * browser process, which blocked the first render of a 100,000-item list for 0.3-0.8 s.
   */
  private permission: NotificationPermission = currentPermission();
  private signedIn = false;

  constructor(private readonly onOpen: (target: NonNullable<Notice['target']>) => void) {
    this.root.append(this.ask, this.blocked);
    this.ask.addEventListener('click', () => {
      void Notification.requestPermission().then(() => this.refresh());
    });
    // Given or taken in the browser's site settings while the page is open.
    navigator.permissions
      ?.query({ name: 'notifications' })
      .then((status) => status.addEventListener('change', () => this.refresh()))
      .catch(() => {});
  }

  private refresh(): void {
    this.permission = currentPermission();
    this.render(this.signedIn);
  }

  render(signedIn: boolean): void {
    this.signedIn = signedIn;
    this.ask.hidden = !signedIn || this.permission !== 'default';
    this.blocked.hidden = !signedIn || this.permission !== 'denied';
  }

  show(notice: Notice): void {
    if (this.permission !== 'granted') return;
    const shown = new Notification(notice.title, { body: notice.body, tag: notice.kind });
    const target = notice.target;
    shown.onclick = () => {
      shown.close();
      if (target) this.onOpen(target);
      else window.focus();
    };
  }
}

function currentPermission(): NotificationPermission {
  return 'Notification' in window ? Notification.permission : 'denied';
}
