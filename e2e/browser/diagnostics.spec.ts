import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, loaded, test } from './fixtures.js';

const cacheDir = mkdtempSync(join(tmpdir(), 'wbt-diagnostics-'));
test.use({ webArgs: ['--cache-dir', cacheDir] });

test('rejected messages and problems reach the diagnostics view and the log file', async ({
  page,
  app,
}) => {
  await loaded(page, app);
  const toggle = page.getByRole('button', { name: /^Diagnostics/ });
  await expect(toggle).toHaveText('Diagnostics');
  // A message the client must not use, and a workbin load that fails.
  await app.control('POST', '/raw', {
    user: 'agent1',
    data: { messageType: 'WorkbinStateChangeMessage', workbinId: 'social-inbox' },
  });
  await expect(toggle).toHaveText('Diagnostics (1)');
  await app.control('POST', '/faults/fail-contents', { workbin: 'workitems', count: 1 });
  await app.control('POST', '/faults/expire', { user: 'agent1' });
  await expect(toggle).toHaveText(/^Diagnostics \([2-9]\)$/);
  await toggle.click();
  const panel = page.getByRole('region', { name: 'Diagnostics' });
  await expect(panel).toBeFocused();
  await expect(panel.getByRole('definition').nth(1)).toHaveText('1');
  // Newest first: the failed load, then the rejected message.
  await expect(panel.getByRole('listitem').first()).toContainText(/Problem.*workitems/);
  await expect(panel.getByRole('listitem').last()).toContainText('Rejected');
  const logFile = join(cacheDir, 'workbin-tray.log');
  await expect(panel.getByText(logFile)).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/diagnostics.png' });
  const logged = readFileSync(logFile, 'utf8');
  expect(logged).toMatch(/\[warn\] +rejected: /);
  expect(logged).toMatch(/\[error\] +problem: .*workitems/);
  // The file gets the reason only: no message content (customers' data) on disk.
  expect(logged).not.toContain('social-inbox');
  await page.keyboard.press('Escape');
  await expect(panel).toBeHidden();
  await expect(toggle).toBeFocused();
});
