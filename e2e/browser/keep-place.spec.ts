import type { Page } from '@playwright/test';
import { expect, loaded, rows, test } from './fixtures.js';

/** The subject of the row at the top edge of the list, where a reader's eye is. */
function rowAtTop(page: Page): Promise<string> {
  return page.getByRole('listbox').evaluate((list) => {
    const box = list.getBoundingClientRect();
    const hit = document.elementFromPoint(box.left + 60, box.top + 5);
    return hit?.closest('[role=option]')?.querySelector('.summary')?.textContent ?? '';
  });
}

test('a reader who scrolled down keeps their place when items arrive above', async ({
  page,
  app,
}) => {
  const before = await loaded(page, app);
  const add = (subject: string) =>
    app.control('POST', '/items', {
      kind: 'email',
      workbin: 'email-draft',
      owner: 'agent1',
      subject,
    });
  for (let i = 0; i < 25; i++) await add(`Backlog ${String(i).padStart(2, '0')}`);
  await expect(page.getByText(`${before + 25} items`)).toBeVisible();

  const list = page.getByRole('listbox');
  await list.evaluate((el) => {
    el.scrollTop = 56 * 12;
  });
  const reading = await rowAtTop(page);
  expect(reading).not.toBe('');
  const newAbove = page.getByRole('button', { name: /new above/ });
  await expect(newAbove).toBeHidden();

  await add('Arrived while reading 1');
  await add('Arrived while reading 2');
  await expect(newAbove).toHaveText('↑ 2 new above');
  expect(await rowAtTop(page)).toBe(reading);

  await newAbove.click();
  await expect(newAbove).toBeHidden();
  await expect(list).toBeFocused();
  expect(await rowAtTop(page)).toBe('Arrived while reading 2');

  // At the top, new items simply appear there: nothing to point at.
  await add('Arrived at the top');
  await expect(rows(page).first()).toContainText('Arrived at the top');
  await expect(newAbove).toBeHidden();
});
