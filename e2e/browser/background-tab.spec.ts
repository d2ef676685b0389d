import { test as base } from '@playwright/test';
import { type BareTab, launchBareChromium } from '../../bench/cdp.js';
import { STRINGS } from '../../main/contract/strings.js';
import { expect, recordNotifications, startWeb, stopWeb } from './fixtures.js';

const state = (tab: BareTab) =>
  tab.evaluate(`({
    visibility: document.visibilityState,
    banner: document.querySelector('.banner-text')?.textContent ?? '',
    rows: [...document.querySelectorAll('[role=listbox] [role=option]')].map((row) => row.textContent),
    shown: (window.shown ?? []).map((notification) => notification.title),
  })`) as Promise<{ visibility: string; banner: string; rows: string[]; shown: string[] }>;

/**
 * A tab behind another is hidden, and Chromium gives it no animation frames. Playwright's own
 * browser never hides a page (each has a window of its own, and its flags keep them all
 * running), so this test starts Chromium as a user's runs, with tabs in one window, and
 * drives it over the DevTools protocol (`bench/cdp.ts`).
 */
base(
  'in a background tab the page still notifies of new work, and shows it when in front again',
  async () => {
    const { app, child } = await startWeb([]);
    const browser = await launchBareChromium();
    try {
      await browser.allowNotifications(new URL(app.url).origin);
      const tab = await browser.newTab();
      await tab.addInitScript(`(${recordNotifications})()`);
      await tab.goto(app.url);
      await expect
        .poll(async () => (await state(tab)).banner, { timeout: 15_000 })
        .toBe(STRINGS.status.online);
      const before = (await state(tab)).rows.length;
      expect(before).toBeGreaterThan(0);

      const front = await browser.newTab();
      await expect.poll(async () => (await state(tab)).visibility).toBe('hidden');
      await app.control('POST', '/items', {
        kind: 'email',
        workbin: 'workitems',
        owner: 'agent1',
        subject: 'Landed behind another tab',
      });
      await expect.poll(async () => (await state(tab)).shown).toEqual(['New item in Work items']);

      await front.close();
      await expect.poll(async () => (await state(tab)).visibility).toBe('visible');
      await expect.poll(async () => (await state(tab)).rows.length).toBe(before + 1);
      expect((await state(tab)).rows.some((row) => row.includes('Landed behind another tab'))).toBe(
        true,
      );
    } finally {
      await browser.close();
      await stopWeb(child);
    }
  },
);
