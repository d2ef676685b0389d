import type { BrowserWindow, Tray } from 'electron';
import { type Menubar, menubar } from 'menubar';
import type { AppSession } from '../bridge/app-session.js';
import { STRINGS } from '../contract/strings.js';
import { trayTooltip } from '../notify/tray-state.js';
import { type AppWindows, PAGE_URL, secureWebPreferences } from './window.js';

export const POPUP_SIZE = { width: 400, height: 620 } as const;

/**
 * The tray popup (menubar, as Gitify does): a click on the icon toggles a compact frameless
 * window anchored to it, hidden when it loses the focus, at the size the user last gave it.
 * Same page, same hardening, same IPC gate as the full window.
 */
export function setupPopup(
  tray: Tray,
  session: AppSession,
  windows: AppWindows,
  devTools: boolean,
): Menubar {
  const size = session.settings.popupSize ?? POPUP_SIZE;
  const view = session.tray;
  const popup = menubar({
    tray,
    index: PAGE_URL,
    preloadWindow: false,
    showDockIcon: false,
    tooltip: trayTooltip(view.state, view.unseen, view.insecure),
    browserWindow: {
      title: STRINGS.appName,
      width: size.width,
      height: size.height,
      minWidth: 360,
      minHeight: 400,
      resizable: true,
      skipTaskbar: true,
      webPreferences: secureWebPreferences(devTools),
    },
  });
  // Before its page loads: the page says hello over IPC as soon as it runs.
  popup.on('before-load', () => {
    const window = popup.window;
    if (!window) return;
    windows.add(window);
    rememberSize(window, session);
  });
  return popup;
}

/** The popup's size, saved once the user stops dragging its edge. */
function rememberSize(window: BrowserWindow, session: AppSession): void {
  let timer: NodeJS.Timeout | undefined;
  window.on('resize', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (window.isDestroyed()) return;
      const [width = POPUP_SIZE.width, height = POPUP_SIZE.height] = window.getSize();
      session.setPopupSize({ width, height });
    }, 500);
  });
}

/** Shows the popup, or hides it if it is showing. */
export function togglePopup(popup: Menubar): void {
  if (popup.window?.isVisible()) popup.hideWindow();
  else void popup.showWindow();
}
