import { expect, rows, test } from './fixtures.js';

test.describe('watched from the command line', () => {
  test.use({ webArgs: ['--user', 'super1', '--watch-user', 'u-agent1'] });

  test('a supervisor sees their own and a watched agent’s workbins, grouped by owner', async ({
    page,
    app,
  }) => {
    const nav = page.getByRole('navigation', { name: 'Workbins' });
    await expect(nav.getByRole('heading', { name: 'My workbins' })).toBeVisible();
    await expect(nav.getByRole('heading', { name: 'Workbins of Ada Lovelace' })).toBeVisible();
    await expect(page.getByText('9 items')).toBeVisible();
    await app.control('POST', '/items', {
      kind: 'workitem',
      workbin: 'workitems',
      owner: 'agent1',
      subject: 'Escalated by the supervisor view',
    });
    await expect(
      page.getByRole('option', { name: /Escalated by the supervisor view/ }),
    ).toBeVisible();
    await nav
      .getByRole('list', { name: 'Workbins of Ada Lovelace' })
      .getByRole('button', { name: /Work items(\s*\d+ new)?\s*3/ })
      .click();
    await expect(rows(page)).toHaveCount(3);
    // Each row, and the details, say whose workbin the item is in.
    await expect(rows(page).first()).toContainText('· Ada Lovelace');
    await rows(page).first().click();
    const details = page.getByRole('complementary', { name: 'Details' });
    await expect(details.getByRole('definition').filter({ hasText: 'Ada Lovelace' })).toBeVisible();
    await nav.getByRole('list', { name: 'My workbins' }).getByRole('button').first().click();
    await expect(rows(page).first()).not.toContainText('·');
    await rows(page).first().click();
    await expect(details.getByRole('definition').filter({ hasText: /^Yours$/ })).toBeVisible();
  });
});

test.describe('watched from the Teams form', () => {
  test.use({ webArgs: ['--user', 'super1'] });

  test('a supervisor adds an agent by user id and sees their workbins under their name', async ({
    page,
  }) => {
    const nav = page.getByRole('navigation', { name: 'Workbins' });
    await expect(page.getByRole('status').first()).toHaveText(/^Online$/);
    await expect(nav.getByRole('heading', { name: /^Workbins of/ })).toHaveCount(0);
    await page.getByRole('button', { name: 'Teams' }).click();
    await page.getByLabel('Agents you supervise (user ids)').fill(' u-agent1 , u-agent1, ');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(nav.getByRole('heading', { name: 'Workbins of Ada Lovelace' })).toBeVisible();
    await page.getByRole('button', { name: 'Teams' }).click();
    await expect(page.getByLabel('Agents you supervise (user ids)')).toHaveValue('u-agent1');
  });
});
