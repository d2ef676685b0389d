import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startSimulator } from '../../sim/harness.js';
import type { GwsSimulator } from '../../sim/simulator.js';
import { ShellProcess } from '../electron-double/launch.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** What the shell's own strings say (main/contract/strings.ts), kept literal here on purpose. */
export const TOOLTIP = (state: string) => `Workbin Tray: ${state}`;
export const IPC_COMMAND = 'workbins:command';
export const IPC_EVENT = 'workbins:event';
export const APP_URL = 'app://workbin-tray/index.html';

const launched: ShellProcess[] = [];

/** The simulator for a shell test: short long polls, so that an app quits at once. */
export function startShellSimulator(): Promise<GwsSimulator> {
  return startSimulator({ timeout: 2_000, maxInterval: 2_000 });
}

/**
 * What a shell test file needs: one simulator for the file (started before its first test,
 * stopped after its last), and every app a test launched quit after that test. Returns the
 * simulator, to be read inside hooks and tests.
 */
export function useShellSimulator(): () => GwsSimulator {
  let sim: GwsSimulator | undefined;
  beforeAll(async () => {
    sim = await startShellSimulator();
  });
  afterEach(quitAll);
  afterAll(async () => {
    await sim?.stop();
  });
  return () => {
    if (!sim) throw new Error('the shell simulator starts in beforeAll');
    return sim;
  };
}

export function newHome(): string {
  return mkdtempSync(join(tmpdir(), 'wbt-shell-'));
}

/** Electron's userData for this app: `<home>/.config/<package name>`. */
export function userDataOf(home: string): string {
  return join(home, '.config', 'workbin-tray');
}

/** The development app (`npm start`) signing in to `server` as the demo agent. */
export function launchApp(
  home: string,
  options: { server?: string; env?: Record<string, string>; args?: string[] } = {},
): ShellProcess {
  const app = ShellProcess.launch({
    appDir: ROOT,
    home,
    ...(options.args && { args: options.args }),
    env: {
      ...(options.server && { WORKBIN_TRAY_DEMO_SERVER: options.server }),
      ...options.env,
    },
  });
  launched.push(app);
  return app;
}

export async function quitAll(): Promise<void> {
  await Promise.all(launched.splice(0).map((app) => app.quit()));
}

export function tooltip(app: ShellProcess): string | undefined {
  return (app.last('Tray.setToolTip')?.detail as { toolTip: string } | undefined)?.toolTip;
}

export function trayImage(app: ShellProcess): string | undefined {
  return (app.last('Tray.setImage')?.detail as { image: string } | undefined)?.image;
}

export function notifications(
  app: ShellProcess,
): Array<{ title: string; body: string; index: number }> {
  return app
    .calls('Notification.show')
    .map((e) => e.detail as { title: string; body: string; index: number });
}

/** What the shell sent the page, in order. */
export function sentToPage(app: ShellProcess): Array<{ type: string } & Record<string, unknown>> {
  return app
    .calls('webContents.send')
    .map(
      (e) =>
        e.detail as { channel: string; args: Array<{ type: string } & Record<string, unknown>> },
    )
    .filter((d) => d.channel === IPC_EVENT)
    .map((d) => d.args[0] as { type: string } & Record<string, unknown>);
}

/** A command from our own page's main frame, as the preload would send it. */
export function fromPage(app: ShellProcess, payload: unknown): Promise<unknown> {
  return app.act({
    type: 'ipc',
    channel: IPC_COMMAND,
    payload,
    sender: 'window',
    frame: 'main',
    url: APP_URL,
  });
}

export async function online(app: ShellProcess): Promise<void> {
  await app.until('an online tray', () => tooltip(app)?.startsWith(TOOLTIP('Online')));
}
