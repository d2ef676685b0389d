/**
 * The built shell, under the Electron double, against the simulator: what the agent sees of
 * live work (tray, notifications, the window) and what the OS tells the app.
 */
import { execFile } from 'node:child_process';
import type { Server } from 'node:http';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SnapshotAssembly } from '../../main/contract/snapshot-parts.js';
import { controlUrl, startControlServer } from '../../sim/control.js';
import type { ShellProcess } from '../electron-double/launch.js';
import {
  fromPage,
  launchApp,
  newHome,
  notifications,
  online,
  ROOT,
  sentToPage,
  TOOLTIP,
  tooltip,
  trayImage,
  useShellSimulator,
} from './fixtures.js';

const sim = useShellSimulator();
let control: Server;

beforeAll(async () => {
  control = await startControlServer(sim(), 0);
});
afterAll(() => {
  control.close();
});

/** `npm run simctl -- add …`, the way a tester adds work. */
async function simctlAdd(subject: string): Promise<string> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      '--import',
      'tsx',
      'sim/ctl.ts',
      'add',
      '--kind',
      'email',
      '--workbin',
      'workitems',
      '--owner',
      'u-agent1',
      '--subject',
      subject,
      '--control',
      controlUrl(control),
    ],
    { cwd: ROOT },
  );
  const id = (JSON.parse(stdout) as { added: string[] }).added[0];
  if (!id) throw new Error(`simctl added nothing: ${stdout}`);
  return id;
}

async function settled(app: ShellProcess): Promise<void> {
  await online(app);
  // The initial load is over when all four of agent1's workbins are subscribed.
  await app.until('four subscriptions', () => sim().watchedWorkbins('u-agent1').length === 4);
}

describe('the tray app, live', () => {
  it('goes online with the online icon and its menu; one notification per added item; a click opens it', async () => {
    const app = launchApp(newHome(), { server: sim().url });
    await settled(app);
    expect(trayImage(app)).toMatch(/tray-online\.png$/);
    const menu = app.last('Tray.setContextMenu')?.detail as { items: Array<{ label: string }> };
    expect(menu.items.map((i) => i.label).filter(Boolean)).toEqual([
      'Open in a window',
      'Reconnect now',
      'Pause notifications',
      'Start at login',
      'Quit',
    ]);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(notifications(app)).toEqual([]);

    const id = await simctlAdd('Refund for order 1234');
    await app.until('a notification', () => notifications(app).length === 1);
    expect(notifications(app)[0]).toMatchObject({
      title: 'New item in Work items',
      body: expect.stringContaining('Refund for order 1234'),
    });
    await app.until('the tray counts it', () => tooltip(app) === `${TOOLTIP('Online')}, 1 new`);

    const shownBefore = app.calls('BrowserWindow.show').length;
    await app.act({ type: 'click-notification', index: 0 });
    await app.until('the window shown', () => app.calls('BrowserWindow.show').length > shownBefore);
    await app.until('the item revealed', () =>
      sentToPage(app).find((e) => e.type === 'reveal' && e.id === id),
    );
    await app.until('seen', () => tooltip(app) === TOOLTIP('Online'));
    // Still exactly one: no repeat, nothing for the reveal.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(notifications(app)).toHaveLength(1);
  });

  it('pausing from the tray menu silences notifications and is kept in the settings', async () => {
    const app = launchApp(newHome(), { server: sim().url });
    await settled(app);
    expect(await app.act({ type: 'click-menu', label: 'Pause notifications' })).toBe(true);
    await app.until('the menu shows it paused', () => {
      const menu = app.last('Tray.setContextMenu')?.detail as {
        items: Array<{ label: string; checked: boolean }>;
      };
      return menu.items.find((i) => i.label === 'Pause notifications')?.checked;
    });
    // The page hears of it too (its header shows Pause).
    await app.until('the page told', () =>
      sentToPage(app).find(
        (e) =>
          e.type === 'settings' &&
          (e.settings as { notificationsPaused: boolean }).notificationsPaused,
      ),
    );
    sim().addItem({
      kind: 'email',
      workbinId: 'workitems',
      ownerUserId: 'u-agent1',
      subject: 'quiet',
    });
    await app.until('the tray counts it', () => tooltip(app)?.endsWith('1 new'));
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(notifications(app)).toEqual([]);
  });

  it('a failed subscription gives exactly one notification and an error tray', async () => {
    sim().setSubscriptionFailure('workitems', true);
    try {
      const app = launchApp(newHome(), { server: sim().url });
      await app.until('an error tray', () => trayImage(app)?.endsWith('tray-error.png'));
      await app.until('a notification', () => notifications(app).length === 1);
      expect(notifications(app)[0]?.title).toMatch(/Work items/);
      expect(tooltip(app)).toBe(TOOLTIP('Needs attention'));
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      expect(notifications(app)).toHaveLength(1);
    } finally {
      sim().setSubscriptionFailure('workitems', false);
    }
  });

  it('signing out leaves an offline tray and no saved password; closing the window hides it', async () => {
    const app = launchApp(newHome(), { server: sim().url });
    await settled(app);
    await fromPage(app, { type: 'sign-out' });
    await app.until('an offline tray', () => tooltip(app) === TOOLTIP('Offline'));
    expect(trayImage(app)).toMatch(/tray-offline\.png$/);
    expect(await app.act({ type: 'close-window' })).toBe(false);
    expect(app.last('BrowserWindow.hide')).toBeDefined();
  });

  it('sends a list of thousands to the page in parts that make the whole list', async () => {
    const bulk = Array.from({ length: 2_500 }, (_, i) =>
      sim().addItem({
        kind: 'email',
        workbinId: 'workitems',
        ownerUserId: 'u-agent1',
        subject: `bulk ${i}`,
      }),
    );
    try {
      const app = launchApp(newHome(), { server: sim().url });
      await settled(app);
      await app.until('the first sync done', () => {
        const status = sentToPage(app).findLast((e) => e.type === 'status' || e.type === 'snapshot')
          ?.status as { state: string; syncing?: boolean } | undefined;
        return status?.state === 'online' && status.syncing === false;
      });
      const start = sentToPage(app).length;
      await fromPage(app, { type: 'hello' });
      await app.until('the snapshot', () =>
        sentToPage(app)
          .slice(start)
          .some((e) => e.type === 'snapshot'),
      );
      const frames = sentToPage(app).slice(start);
      expect(frames.filter((e) => e.type === 'snapshot-part').length).toBeGreaterThanOrEqual(2);
      const assembly = new SnapshotAssembly();
      const given = frames.flatMap((frame) => assembly.receive(frame));
      // Thousands, not tens of thousands: no preview ahead of them (PREVIEW_ITEMS).
      expect(given.map((event) => event.type)).toEqual(['snapshot']);
      const whole = given[0];
      const ids = whole?.type === 'snapshot' ? whole.items.map((item) => item.id).sort() : [];
      expect(ids).toEqual(Object.values(sim().truth('u-agent1')).flat().sort());
    } finally {
      for (const item of bulk) sim().removeItem(item.id);
    }
  });
});
