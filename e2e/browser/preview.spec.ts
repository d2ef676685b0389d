import { rmSync } from 'node:fs';
import { test as base } from '@playwright/test';
import { offlineArgs, offlineCacheOf } from '../../bench/offline-cache.js';
import type { WorkbinItem } from '../../main/contract/domain.js';
import { STRINGS } from '../../main/contract/strings.js';
import { EMPTY_STATE, reduce } from '../../main/workbins/state.js';
import { banner, expect, holdAppMessages, rows, startWeb, stopWeb } from './fixtures.js';

/** More than PREVIEW_ITEMS: a list this long is previewed. */
const TOTAL = 10_500;

/**
 * Agent1's inbox of `TOTAL` emails, their dates in no order: the newest is neither the first
 * nor the last the state holds, so only a host that looks for the newest sends them first.
 */
function inbox(): WorkbinItem[] {
  const now = Date.now();
  return Array.from({ length: TOTAL }, (_, i) => {
    const age = (i * 7_919) % TOTAL;
    return {
      id: `ID${String(i).padStart(14, '0')}`,
      kind: 'email',
      workbinId: 'inbox',
      ownerUserId: 'u-agent1',
      summary: `Received ${age} minutes ago`,
      from: 'customer@example.com',
      receivedAt: now - age * 60_000,
      receivedRaw: '',
      state: 'InWorkbin',
      userData: {},
    };
  });
}

// Its own web server: one started on a cache, the server down.
base(
  'a large list shows the newest items at once, says the rest is loading, then shows all',
  async ({ page }) => {
    const state = reduce(EMPTY_STATE, [
      {
        type: 'workbins-listed',
        ownerUserId: 'u-agent1',
        workbins: [{ id: 'inbox', ownerUserId: 'u-agent1', displayName: 'Inbox', type: 'Agent' }],
      },
      {
        type: 'contents-loaded',
        ownerUserId: 'u-agent1',
        workbinId: 'inbox',
        items: inbox(),
        at: 1,
      },
    ]).state;
    const folder = offlineCacheOf(state);
    const { app, child } = await startWeb(offlineArgs(folder), { GWS_PASSWORD: 'demo' });
    try {
      // Up to the first part (the newest items) the page hears it all; the other parts wait.
      const connections = await holdAppMessages(page, (message) =>
        message.startsWith('{"type":"snapshot-part"'),
      );
      await page.goto(app.url);
      const count = page.locator('.count');
      await expect(count).toHaveText(STRINGS.list.countLoading(500, TOTAL));
      await expect(page.getByRole('listbox')).toHaveAttribute('aria-busy', 'true');
      await expect(rows(page).first()).toContainText('Received 0 minutes ago');
      await expect(rows(page).nth(1)).toContainText('Received 1 minutes ago');
      // The account and its status are the app's, as with the whole list.
      await expect(banner(page)).not.toHaveText(STRINGS.status.loading);
      await expect(page.locator('form.sign-in')).toBeHidden();
      // The sidebar, and the narrow window's workbin selector, count them all.
      await expect(page.locator('.sidebar .workbin-count').first()).toHaveText(
        STRINGS.count(TOTAL),
      );
      await expect(page.locator('.workbin-select option').first()).toHaveText(
        `${STRINGS.list.allItems} (${STRINGS.count(TOTAL)})`,
      );
      await page.screenshot({ path: 'test-results/screenshots/loading-preview.png' });

      connections[0]?.release();
      await expect(count).toHaveText(STRINGS.list.count(TOTAL, TOTAL));
      await expect(page.getByRole('listbox')).toHaveAttribute('aria-busy', 'false');
      await expect(rows(page).first()).toContainText('Received 0 minutes ago');
    } finally {
      await stopWeb(child);
      rmSync(folder, { recursive: true, force: true });
    }
  },
);
