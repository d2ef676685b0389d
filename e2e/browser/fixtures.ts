import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { test as base, expect, type Page } from '@playwright/test';
import { RENDERER_OUT } from '../../main/cli/build-renderer.js';

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
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'main/cli/web.ts', '--port', '0', '--static', RENDERER_OUT, ...args],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } },
  );
  const output: string[] = [];
  createInterface({ input: child.stdout }).on('line', (l) => output.push(l));
  createInterface({ input: child.stderr }).on('line', (l) => output.push(l));
  const deadline = Date.now() + 20_000;
  const find = (label: string) =>
    output.map((l) => new RegExp(`^${label}:\\s+(\\S+)`).exec(l)?.[1]).find(Boolean);
  while (!find('Workbin Tray')) {
    if (Date.now() > deadline || child.exitCode !== null)
      throw new Error(`web did not start:\n${output.join('\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const control = find('Control API') ?? '';
  const app: WebApp = {
    url: find('Workbin Tray') ?? '',
    gws: find('GWS simulator') ?? '',
    output,
    async control(method, path, body) {
      const response = await fetch(`${control}${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      const json = (await response.json()) as Record<string, unknown>;
      if (!response.ok) throw new Error(`${method} ${path}: ${JSON.stringify(json)}`);
      return json;
    },
  };
  return { app, child };
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
