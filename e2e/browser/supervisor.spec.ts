import { expect, rows, test } from './fixtures.js';

test.use({ webArgs: ['--user', 'super1', '--watch-user', 'u-agent1'] });

test('a supervisor sees their own and a watched agent’s workbins, grouped by owner', async ({
  page,
  app,
}) => {
  const nav = page.getByRole('navigation', { name: 'Workbins' });
  await expect(nav.getByRole('heading', { name: 'My workbins' })).toBeVisible();
  await expect(nav.getByRole('heading', { name: 'Workbins of u-agent1' })).toBeVisible();
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
    .getByRole('list', { name: 'Workbins of u-agent1' })
    .getByRole('button', { name: /Work items(\s*\d+ new)?\s*3/ })
    .click();
  await expect(rows(page)).toHaveCount(3);
});
