import { test as base } from '@playwright/test';
import { STRINGS } from '../../main/contract/strings.js';
import { banner, expect, holdAppMessages, loaded, rows, startWeb, stopWeb } from './fixtures.js';

// These tests start their own web server: one of them stops it.
base(
  'until the app has sent its list the page says it is loading, and asks for no sign-in',
  async ({ page }) => {
    const { app, child } = await startWeb([]);
    try {
      const connections = await holdAppMessages(page);
      await page.goto(app.url);
      await expect.poll(() => connections.length).toBe(1);
      await expect(banner(page)).toHaveText(STRINGS.status.loading);
      await expect(page.locator('.banner')).toHaveAttribute('data-state', 'loading');
      await expect(page.locator('form.sign-in')).toBeHidden();
      await expect(page.getByRole('button', { name: 'Sign out' })).toBeHidden();
      connections[0]?.release();
      const total = await loaded(page, app);

      // The socket closes: what shows is what the page last heard, and it says so until the
      // app's list comes again over a new one.
      await connections[0]?.close();
      await expect(banner(page)).toHaveText(STRINGS.web.appLost);
      await expect(page.locator('.banner')).toHaveAttribute('data-state', 'lost');
      await expect(rows(page)).toHaveCount(total);
      await expect(page.locator('form.sign-in')).toBeHidden();
      await expect.poll(() => connections.length).toBe(2);
      await expect(banner(page)).toHaveText(STRINGS.web.appLost);
      connections[1]?.release();
      await expect(banner(page)).toHaveText(/^Online$/);
      await expect(rows(page)).toHaveCount(total);
    } finally {
      await stopWeb(child);
    }
  },
);

base(
  'when the app process stops, the page says so instead of showing it online',
  async ({ page }) => {
    const { app, child } = await startWeb([]);
    try {
      await page.goto(app.url);
      const total = await loaded(page, app);
      await stopWeb(child);
      await expect(banner(page)).toHaveText(STRINGS.web.appLost);
      await expect(rows(page)).toHaveCount(total);
      await page.screenshot({ path: 'test-results/screenshots/app-lost.png' });
    } finally {
      await stopWeb(child);
    }
  },
);
