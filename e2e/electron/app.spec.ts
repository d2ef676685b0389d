import { mkdtempSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ElectronApplication, _electron as electron, expect, test } from '@playwright/test';
import type { Notice } from '../../main/notify/policy.js';
import type { TrayState } from '../../main/notify/tray-state.js';
import { buildShell } from '../../scripts/build-shell.js';
import { findElectronBinary } from '../../scripts/electron-binary.js';
import { startControlServer } from '../../sim/control.js';
import { GwsSimulator } from '../../sim/simulator.js';

const binary = findElectronBinary();
const missing = binary.ok ? null : binary.error;
const noDisplay =
  process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;

test.skip(
  missing !== null,
  `Electron binary not installed (${missing}); the browser suite covers the UI. Install the binary to run this suite.`,
);
test.skip(
  !missing && noDisplay,
  'No display for Electron: run the suite under xvfb-run (as .ci/run does)',
);
test.describe.configure({ mode: 'serial' });

interface Hooks {
  tray: { state: TrayState; unseen: number; tooltip: string };
  notices: Notice[];
}

let sim: GwsSimulator;
let control: Server;
const userData = mkdtempSync(join(tmpdir(), 'wbt-electron-'));

test.beforeAll(async () => {
  await buildShell();
  sim = new GwsSimulator({ timeout: 5_000, maxInterval: 3_000 });
  await sim.start();
  control = await startControlServer(sim, 0);
});

test.afterAll(async () => {
  control?.close();
  await sim?.stop();
});

async function launch(): Promise<ElectronApplication> {
  if (!binary.ok) throw new Error('unreachable');
  return electron.launch({
    executablePath: binary.value,
    args: ['.'],
    env: {
      ...process.env,
      WORKBIN_TRAY_TEST: '1',
      WORKBIN_TRAY_USER_DATA: userData,
      WORKBIN_TRAY_DEMO_SERVER: sim.url,
    },
  });
}

async function hooks(app: ElectronApplication): Promise<Hooks> {
  return app.evaluate(() => {
    const h = (
      globalThis as unknown as { __workbinTray: { tray(): Hooks['tray']; notices: Notice[] } }
    ).__workbinTray;
    return { tray: h.tray(), notices: h.notices };
  });
}

test('starts, signs in to the simulator, shows the list and an online tray', async () => {
  const app = await launch();
  const page = await app.firstWindow();
  await expect(page.getByRole('status').first()).toHaveText(/^Online$/, { timeout: 20_000 });
  await expect(page.getByRole('listbox').getByRole('option')).toHaveCount(8);
  await expect.poll(async () => (await hooks(app)).tray.state).toBe('online');
  // The renderer has no Node and no ipcRenderer: only the two-function bridge.
  expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe(
    'undefined',
  );
  expect(
    await page.evaluate(() =>
      Object.keys((window as unknown as { workbins: object }).workbins).sort(),
    ),
  ).toEqual(['onEvent', 'send']);
  await app.close();
});

test('raises a notification when an item is added', async () => {
  const app = await launch();
  const page = await app.firstWindow();
  await expect(page.getByRole('listbox').getByRole('option')).toHaveCount(8, { timeout: 20_000 });
  await expect.poll(() => sim.watchedWorkbins('u-agent1').length).toBe(4);
  sim.addItem({ kind: 'email', workbinId: 'email-draft', subject: 'Notify me' });
  await expect
    .poll(async () => (await hooks(app)).notices.map((n) => `${n.title}: ${n.body}`))
    .toContain('New item in Email drafts: Notify me');
  await app.close();
});

test('shows the cached list when the server is down', async () => {
  await sim.stop();
  const app = await launch();
  const page = await app.firstWindow();
  await expect(page.getByRole('listbox').getByRole('option')).toHaveCount(9, { timeout: 20_000 });
  await expect(page.getByRole('status').first()).toHaveText(/saved contents|Reconnecting|Offline/);
  await expect.poll(async () => (await hooks(app)).tray.state).toMatch(/reconnecting|offline/);
  await app.close();
  await sim.start();
});
