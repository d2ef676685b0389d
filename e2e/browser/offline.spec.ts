import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base } from '@playwright/test';
import { banner, expect, loaded, rows, startWeb, stopWeb } from './fixtures.js';

// This test runs two web servers one after the other, so it does not use the per-test one.
base('shows the cached list, marked stale, when the server cannot be reached', async ({ page }) => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'wbt-web-cache-'));
  const first = await startWeb(['--cache-dir', cacheDir]);
  let gws: string;
  try {
    await page.goto(first.app.url);
    const total = await loaded(page, first.app);
    await first.app.control('POST', '/items', {
      kind: 'email',
      workbin: 'email-draft',
      owner: 'agent1',
      subject: 'Saved for later',
    });
    await expect(rows(page)).toHaveCount(total + 1);
    gws = first.app.gws;
  } finally {
    await stopWeb(first.child); // its simulator goes with it: the server is now unreachable
  }

  const second = await startWeb(['--cache-dir', cacheDir, '--url', gws, '--user', 'agent1'], {
    GWS_PASSWORD: 'demo',
  });
  try {
    await page.goto(second.app.url);
    await expect(page.getByRole('option', { name: /Saved for later/ })).toBeVisible();
    await expect(rows(page)).toHaveCount(9);
    await expect(banner(page)).toHaveText(
      /Showing saved contents from .+ until the server answers|Offline: showing what was known/,
    );
    await expect(page.getByRole('button', { name: 'Retry now' })).toBeVisible();
    await page.screenshot({ path: 'test-results/screenshots/offline.png' });
  } finally {
    await stopWeb(second.child);
  }
});
