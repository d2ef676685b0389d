import { expect, rows, test } from './fixtures.js';

const SHOTS = 'test-results/screenshots';

test.describe('named on the command line', () => {
  test.use({ webArgs: ['--agent-group', 'Billing', '--place-group', 'Floor 2'] });

  test('an agent sees their teams’ workbins live, under the team’s name', async ({ page, app }) => {
    const nav = page.getByRole('navigation', { name: 'Workbins' });
    await expect(nav.getByRole('heading', { name: 'My workbins' })).toBeVisible();
    await expect(nav.getByRole('heading', { name: 'Team: Billing' })).toBeVisible();
    await expect(nav.getByRole('heading', { name: 'Team: Floor 2' })).toBeVisible();
    await expect(page.getByRole('status').first()).toHaveText(/^Online$/);
    await app.control('POST', '/items', {
      kind: 'email',
      workbin: 'billing-queue',
      group: 'Billing',
      subject: 'Invoice query from the team queue',
    });
    await expect(
      page.getByRole('option', { name: /Invoice query from the team queue/ }),
    ).toBeVisible();
    await nav
      .getByRole('list', { name: 'Team: Billing' })
      .getByRole('button', { name: /Billing queue(\s*\d+ new)?\s*3/ })
      .click();
    await expect(rows(page)).toHaveCount(3);
    await page.screenshot({ path: `${SHOTS}/teams.png` });
  });
});

test('an agent names their teams in the Teams form, and sees their workbins at once', async ({
  page,
}) => {
  const nav = page.getByRole('navigation', { name: 'Workbins' });
  await expect(page.getByRole('status').first()).toHaveText(/^Online$/);
  await expect(nav.getByRole('heading', { name: /^Team:/ })).toHaveCount(0);
  await page.getByRole('button', { name: 'Teams' }).click();
  const form = page.getByRole('form', { name: 'Team workbins' });
  await expect(page.getByLabel('Agent groups')).toBeFocused();
  await page.getByLabel('Agent groups').fill(' Billing , Billing,');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form).toBeHidden();
  await expect(nav.getByRole('heading', { name: 'Team: Billing' })).toBeVisible();
  await expect(
    nav
      .getByRole('list', { name: 'Team: Billing' })
      .getByRole('button', { name: /Billing queue\s*2/ }),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Teams' }).click();
  await expect(page.getByLabel('Agent groups')).toHaveValue('Billing');
});
