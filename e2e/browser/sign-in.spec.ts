import { banner, expect, rows, test } from './fixtures.js';

test.use({ webArgs: ['--no-sign-in'] });

test('sign-in form explains each failure, then signs in', async ({ page, app }) => {
  const form = page.getByRole('form', { name: 'Sign in to Genesys Web Services' });
  await expect(form).toBeVisible();
  // Modal: typing starts in the form, and the page behind it takes no focus or clicks.
  await expect(form.getByLabel('Server URL')).toBeFocused();
  await expect(page.locator('header')).toHaveJSProperty('inert', true);
  await page.screenshot({ path: 'test-results/screenshots/sign-in.png' });
  const submit = form.getByRole('button', { name: 'Sign in' });
  const alert = form.getByRole('alert');

  await submit.click();
  await expect(alert).toHaveText('Server URL is required.');

  await form.getByLabel('Server URL').fill('gws.example.com');
  await form.getByLabel('User name').fill('agent1');
  await form.getByLabel('Password').fill('demo');
  await submit.click();
  await expect(alert).toContainText('is not a URL');

  await form.getByLabel('Server URL').fill(app.gws);
  await form.getByLabel('Password').fill('wrong');
  await submit.click();
  await expect(alert).toHaveText('User name or password not accepted.');
  await expect(form.getByLabel('Password')).toHaveAttribute('aria-invalid', 'true');

  await form.getByLabel('Server URL').fill('http://127.0.0.1:9');
  await form.getByLabel('Password').fill('demo');
  await submit.click();
  await expect(alert).toHaveText('Cannot reach the server. Check the URL and your network.');

  await form.getByLabel('Server URL').fill(app.gws);
  await submit.click();
  await expect(form).toBeHidden();
  await expect(page.getByRole('listbox')).toBeFocused();
  await expect(page.locator('header')).toHaveJSProperty('inert', false);
  await expect(banner(page)).toHaveText(/^Online/);
  await expect(rows(page)).toHaveCount(8);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(form).toBeVisible();
  // Server and user are kept: focus goes to the password, never to the inert page.
  await expect(form.getByLabel('Password')).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Shift+Tab');
  await expect(page.getByRole('searchbox')).not.toBeFocused();
  await expect(rows(page)).toHaveCount(0);
});
