/**
 * The tray popup (menubar under the double): a click on the icon toggles a compact window
 * at the icon, with the same hardening and IPC gate as the full window; it hides on blur,
 * remembers its size, and a global shortcut (off by default) toggles it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ShellProcess } from '../electron-double/launch.js';
import {
  APP_URL,
  IPC_COMMAND,
  launchApp,
  newHome,
  online,
  sentToPage,
  userDataOf,
  useShellSimulator,
} from './fixtures.js';

const sim = useShellSimulator();

interface Created {
  width: number;
  height: number;
  frame?: boolean;
  skipTaskbar?: boolean;
  webPreferences: Record<string, unknown>;
}
const created = (app: ShellProcess, index: number) =>
  app.calls('BrowserWindow.new')[index]?.detail as Created | undefined;
/** The popup's webContents id: the second window made. */
const POPUP = 3;
const shownIds = (app: ShellProcess) =>
  app.calls('BrowserWindow.show').map((e) => (e.detail as { id: number }).id);
const hiddenIds = (app: ShellProcess) =>
  app.calls('BrowserWindow.hide').map((e) => (e.detail as { id: number }).id);

function withSettings(settings: Record<string, unknown>): string {
  const home = newHome();
  mkdirSync(userDataOf(home), { recursive: true, mode: 0o700 });
  writeFileSync(join(userDataOf(home), 'workbin-tray.json'), JSON.stringify({ settings }), {
    mode: 0o600,
  });
  return home;
}

describe('the tray popup', () => {
  it('opens at the icon on a click, hardened like the full window, and closes on blur or a second click', async () => {
    const app = launchApp(newHome(), { server: sim().url, args: ['--hidden'] });
    await online(app);
    expect(app.calls('BrowserWindow.new')).toHaveLength(1);

    await app.act({ type: 'click-tray' });
    await app.until('the popup shown', () => shownIds(app).includes(POPUP));
    const popup = created(app, 1);
    expect(popup).toMatchObject({ width: 400, height: 620, frame: false, skipTaskbar: true });
    expect(popup?.webPreferences).toEqual(created(app, 0)?.webPreferences);
    expect(app.calls('BrowserWindow.loadURL')[1]?.detail).toEqual({ url: APP_URL });
    // Top right, under the panel, next to the icon (1920×1080, a 28 px top panel).
    expect(app.last('BrowserWindow.setPosition')?.detail).toEqual({ id: POPUP, x: 1520, y: 28 });
    // The main window stays hidden: the popup is the tray experience.
    expect(shownIds(app)).toEqual([POPUP]);

    await app.act({ type: 'blur-window', window: 1 });
    await app.until('hidden on blur', () => hiddenIds(app).includes(POPUP));
    await app.act({ type: 'click-tray' });
    await app.until('shown again', () => shownIds(app).length === 2);
    await app.act({ type: 'click-tray' });
    await app.until('hidden by a second click', () => hiddenIds(app).length === 2);
    // "Open in a window" gives the full window.
    await app.act({ type: 'click-menu', label: 'Open in a window' });
    await app.until('the full window', () => shownIds(app).includes(2));
  });

  it('takes commands from its own page only, and hears the core like the full window', async () => {
    const app = launchApp(newHome(), { server: sim().url, args: ['--hidden'] });
    await online(app);
    await app.act({ type: 'click-tray' });
    await app.until('the popup shown', () => shownIds(app).includes(POPUP));
    const toPopup = () =>
      app.calls('webContents.send').filter((e) => (e.detail as { id: number }).id === POPUP).length;
    const before = toPopup();
    const hello = (frame: 'main' | 'sub') =>
      app.act({
        type: 'ipc',
        channel: IPC_COMMAND,
        payload: { type: 'hello' },
        sender: 'window',
        window: 1,
        frame,
        url: APP_URL,
      });
    await hello('sub');
    await app.until('a refusal', () => app.output.includes('Ignored IPC from an untrusted sender'));
    expect(toPopup()).toBe(before);
    await hello('main');
    await app.until('the snapshot, to the popup', () => toPopup() > before);
    // A live item reaches both pages.
    sim().addItem({
      kind: 'email',
      workbinId: 'workitems',
      ownerUserId: 'u-agent1',
      subject: 'both',
    });
    await app.until('the delta in both windows', () => {
      const ids = app
        .calls('webContents.send')
        .filter((e) => JSON.stringify(e.detail).includes('"both"'))
        .map((e) => (e.detail as { id: number }).id);
      return ids.includes(2) && ids.includes(POPUP);
    });
    expect(sentToPage(app).length).toBeGreaterThan(0);
  });

  it('remembers the size the user gave it', async () => {
    const home = newHome();
    const first = launchApp(home, { server: sim().url, args: ['--hidden'] });
    await online(first);
    await first.act({ type: 'click-tray' });
    await first.until('the popup', () => shownIds(first).includes(POPUP));
    await first.act({ type: 'resize-window', window: 1, width: 480, height: 700 });
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(await first.quit()).toBe(0);

    const second = launchApp(home, { args: ['--hidden'] });
    await second.until('the window', () => second.last('BrowserWindow.new'));
    await second.act({ type: 'click-tray' });
    await second.until('the popup', () => created(second, 1));
    expect(created(second, 1)).toMatchObject({ width: 480, height: 700 });
  });

  it('has no global shortcut unless one is set; a set one toggles the popup', async () => {
    const plain = launchApp(newHome(), { server: sim().url, args: ['--hidden'] });
    await online(plain);
    expect(plain.calls('globalShortcut.register')).toEqual([]);

    const app = launchApp(withSettings({ popupShortcut: 'CommandOrControl+Alt+W' }), {
      server: sim().url,
      args: ['--hidden'],
    });
    await online(app);
    expect(app.last('globalShortcut.register')?.detail).toEqual({
      accelerator: 'CommandOrControl+Alt+W',
      registered: true,
    });
    expect(await app.act({ type: 'press-shortcut', accelerator: 'CommandOrControl+Alt+W' })).toBe(
      true,
    );
    await app.until('the popup', () => shownIds(app).includes(POPUP));
  });

  it('takes the shortcut from the command line, keeps it, and refuses one that is not', async () => {
    const home = newHome();
    const app = launchApp(home, {
      server: sim().url,
      args: ['--hidden', '--popup-shortcut', 'Control+Shift+Space'],
    });
    await online(app);
    expect(app.last('globalShortcut.register')?.detail).toEqual({
      accelerator: 'Control+Shift+Space',
      registered: true,
    });
    expect(await app.quit()).toBe(0);
    const again = launchApp(home, { args: ['--hidden'] });
    await again.until('registered from the settings', () => again.last('globalShortcut.register'));
    const bad = launchApp(newHome(), { server: sim().url, args: ['--popup-shortcut', 'W; rm'] });
    expect(await bad.exited).toBe(2);
    expect(bad.output).toContain('--popup-shortcut: "W; rm" is not an accelerator');
    expect(bad.calls('BrowserWindow.new')).toEqual([]);
  });

  it('says so when another app holds the shortcut', async () => {
    const app = launchApp(withSettings({ popupShortcut: 'Alt+Space' }), {
      server: sim().url,
      args: ['--hidden'],
      env: { WBT_DOUBLE_TAKEN_SHORTCUT: 'Alt+Space' },
    });
    await online(app);
    await app.until('the problem under Diagnostics', () =>
      sentToPage(app).some(
        (e) =>
          e.type === 'diagnostics' &&
          JSON.stringify(e).includes('The shortcut Alt+Space could not be registered'),
      ),
    );
  });
});
