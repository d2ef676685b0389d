import type { ChildProcess } from 'node:child_process';
import { test as base, expect, type Page, type WebSocketRoute } from '@playwright/test';
import { RENDERER_OUT } from '../../scripts/build-renderer.js';
import { controlClient, spawnEntry } from '../../sim/spawn.js';

export interface WebApp {
  /** The page URL with its access token. */
  readonly url: string;
  readonly gws: string;
  /** Calls the simulator's control API. */
  control(method: string, path: string, body?: unknown): Promise<Record<string, unknown>>;
  readonly output: string[];
}

export async function startWeb(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ app: WebApp; child: ChildProcess }> {
  const labels = args.includes('--url')
    ? ['Workbin Tray']
    : ['Workbin Tray', 'GWS simulator', 'Control API'];
  const web = await spawnEntry(
    'scripts/web.ts',
    ['--port', '0', '--static', RENDERER_OUT, ...args],
    labels,
    env,
  );
  const app: WebApp = {
    url: web.urls['Workbin Tray'] ?? '',
    gws: web.urls['GWS simulator'] ?? '',
    output: web.output,
    control: controlClient(web.urls['Control API'] ?? ''),
  };
  return { app, child: web.child };
}

export async function stopWeb(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** A fresh `npm run web` (simulator + core + UI) per test, and the page opened on it. */
export const test = base.extend<{ webArgs: string[]; app: WebApp }>({
  webArgs: [[], { option: true }],
  app: [
    async ({ webArgs, page }, use) => {
      const { app, child } = await startWeb(webArgs);
      page.on('pageerror', (error) => {
        throw error;
      });
      await page.goto(app.url);
      await use(app);
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    },
    { auto: true },
  ],
});

export { expect };

export function rows(page: Page) {
  return page.getByRole('listbox').getByRole('option');
}

export function banner(page: Page) {
  return page.getByRole('status').first();
}

/** Waits until the page is online and lists everything the simulator holds for agent1. */
export async function loaded(page: Page, app: WebApp): Promise<number> {
  const truth = await app.control('GET', '/truth?user=agent1');
  const total = Object.values(truth).flat().length;
  await expect(banner(page)).toHaveText(/^Online$/);
  await expect(rows(page)).toHaveCount(total);
  return total;
}

/**
 * Records every notification the page shows in `window.shown` (the real API still runs
 * underneath). An init script: it runs in the page, before the page's own.
 */
export function recordNotifications() {
  const shown: Array<{ title: string; body: string; click: () => void }> = [];
  (window as unknown as { shown: typeof shown }).shown = shown;
  const Real = window.Notification;
  class Recorded extends Real {
    constructor(title: string, options?: NotificationOptions) {
      super(title, options);
      shown.push({
        title,
        body: options?.body ?? '',
        click: () => this.onclick?.(new Event('click')),
      });
    }
  }
  Object.defineProperty(Recorded, 'permission', { get: () => Real.permission });
  window.Notification = Recorded as unknown as typeof Notification;
}

/**
 * The page's bridge socket, with what the app sends held back until `release`: the time
 * between the page's load and the app's first list, made as long as a test needs. With
 * `holdAfter`, messages go through up to the first it is true of (the rest of a large list
 * held, say).
 */
export async function holdAppMessages(page: Page, holdAfter?: (message: string) => boolean) {
  const connections: { release(): void; close(): Promise<void> }[] = [];
  await page.routeWebSocket(/\/bridge\b/, (ws: WebSocketRoute) => {
    const server = ws.connectToServer();
    const held: (string | Buffer)[] = [];
    let holding = holdAfter === undefined;
    let until = holdAfter;
    server.onMessage((message) => {
      if (holding) {
        held.push(message);
        return;
      }
      ws.send(message);
      if (until?.(String(message))) {
        holding = true;
        until = undefined;
      }
    });
    connections.push({
      release() {
        holding = false;
        until = undefined;
        for (const message of held.splice(0)) ws.send(message);
      },
      close: () => ws.close(),
    });
  });
  return connections;
}
