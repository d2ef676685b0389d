import { join } from 'node:path';
import { app, type BrowserWindow, Menu, nativeImage, Tray } from 'electron';
import type { AppSession } from '../bridge/app-session.js';
import { STRINGS } from '../contract/strings.js';
import { type TrayState, trayTooltip } from '../notify/tray-state.js';
import { ASSETS_DIR } from './paths.js';
import { showWindow } from './window.js';

export interface TrayActions {
  open(): void;
  reconnect(): void;
  setPaused(paused: boolean): void;
  setStartAtLogin(on: boolean): void;
  quit(): void;
}

/** The tray icon: state picture, unseen count (tooltip; title on macOS) and the menu. */
export class TrayController {
  /** The icon itself: the popup (menubar) takes its clicks. */
  readonly native: Tray;
  private state: TrayState = 'offline';
  private unseen = 0;
  private insecure = false;

  constructor(
    private readonly actions: TrayActions,
    private readonly settings: () => { notificationsPaused: boolean; startAtLogin: boolean },
  ) {
    this.native = new Tray(this.icon('offline'));
    this.update(this.state, 0);
    this.refreshMenu();
  }

  get current(): { state: TrayState; unseen: number; tooltip: string } {
    return {
      state: this.state,
      unseen: this.unseen,
      tooltip: trayTooltip(this.state, this.unseen, this.insecure),
    };
  }

  update(state: TrayState, unseen: number, insecure = false): void {
    if (state !== this.state) this.native.setImage(this.icon(state));
    this.state = state;
    this.unseen = unseen;
    this.insecure = insecure;
    this.native.setToolTip(trayTooltip(state, unseen, insecure));
    if (process.platform === 'darwin') this.native.setTitle(unseen > 0 ? String(unseen) : '');
  }

  /** The menu shows settings as checkboxes: rebuilt when they change, not on every update. */
  refreshMenu(): void {
    this.native.setContextMenu(this.menu());
  }

  destroy(): void {
    this.native.destroy();
  }

  private icon(state: TrayState) {
    return nativeImage.createFromPath(join(ASSETS_DIR, `tray-${state}.png`));
  }

  private menu(): Menu {
    const settings = this.settings();
    return Menu.buildFromTemplate([
      { label: STRINGS.tray.open, click: () => this.actions.open() },
      { label: STRINGS.tray.reconnect, click: () => this.actions.reconnect() },
      { type: 'separator' },
      {
        label: STRINGS.tray.pause,
        type: 'checkbox',
        checked: settings.notificationsPaused,
        click: (item) => this.actions.setPaused(item.checked),
      },
      {
        label: STRINGS.tray.startAtLogin,
        type: 'checkbox',
        checked: settings.startAtLogin,
        click: (item) => this.actions.setStartAtLogin(item.checked),
      },
      { type: 'separator' },
      { label: STRINGS.tray.quit, click: () => this.actions.quit() },
    ]);
  }
}

/** The tray follows the session; its menu acts on the session, the window and the app. */
export function setupTray(
  session: AppSession,
  window: BrowserWindow,
  quit: () => void,
): TrayController {
  const tray = new TrayController(
    {
      open: () => showWindow(window),
      reconnect: () => session.reconnect(),
      setPaused: (paused) => session.setPaused(paused),
      setStartAtLogin: (on) => {
        app.setLoginItemSettings({ openAtLogin: on, args: ['--hidden'] });
        session.setStartAtLogin(on);
      },
      quit,
    },
    () => session.settings,
  );
  const show = () => {
    const view = session.tray;
    tray.update(view.state, view.unseen, view.insecure);
  };
  session.on('tray', show);
  session.on('settings', () => tray.refreshMenu());
  show();
  return tray;
}
