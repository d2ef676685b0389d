import { banner, expect, loaded, recordNotifications, rows, test } from './fixtures.js';

const SHOTS = 'test-results/screenshots';

test('new items stand out until opened, and the browser notifies once per burst', async ({
  page: first,
  app,
  context,
}) => {
  await loaded(first, app);
  await context.grantPermissions(['notifications'], { origin: new URL(app.url).origin });
  const page = await context.newPage();
  await page.addInitScript(recordNotifications);
  await page.goto(app.url);
  await expect(banner(page)).toHaveText(/^Online$/);
  const shown = () =>
    page.evaluate(() =>
      (window as unknown as { shown: Array<{ title: string }> }).shown.map((n) => n.title),
    );
  await page.waitForTimeout(2_000);
  expect(await shown()).toEqual([]); // the initial load is not news
  await expect(page).toHaveTitle('Workbin Tray');

  await app.control('POST', '/items', {
    kind: 'email',
    workbin: 'workitems',
    owner: 'agent1',
    subject: 'Landed just now',
  });
  await expect.poll(shown).toEqual(['New item in Work items']);
  const fresh = page.getByRole('option', { name: /new.*Landed just now/ });
  await expect(fresh).toBeVisible();
  await expect(page).toHaveTitle('(1) Workbin Tray');
  await expect(page.getByRole('button', { name: /^Work items/ })).toContainText('1 new');

  for (let i = 0; i < 3; i++)
    await app.control('POST', '/items', {
      kind: 'chat',
      workbin: 'email-draft',
      owner: 'agent1',
      subject: `burst ${i}`,
    });
  await expect.poll(shown).toEqual(['New item in Work items', '3 new items in Email drafts']);
  await expect(page).toHaveTitle('(4) Workbin Tray');
  await page.screenshot({ path: `${SHOTS}/new-items.png` });

  await app.control('POST', '/request-failed', {
    user: 'agent1',
    workbin: 'social-inbox',
    reason: 'gone',
  });
  await expect.poll(shown).toHaveLength(3);
  expect((await shown())[2]).toBe('Not receiving updates for Social inbox');

  // Clicking the first notification opens its item, which then counts as seen.
  await page.evaluate(() =>
    (window as unknown as { shown: Array<{ click: () => void }> }).shown[0]?.click(),
  );
  await expect(
    page
      .getByRole('complementary', { name: 'Details' })
      .getByRole('heading', { name: 'Landed just now' }),
  ).toBeVisible();
  await expect(page).toHaveTitle('(3) Workbin Tray');
  await page.getByRole('button', { name: 'Mark all seen (3)' }).click();
  await expect(page).toHaveTitle('Workbin Tray');
  await expect(rows(page).filter({ has: page.getByRole('img', { name: 'new' }) })).toHaveCount(0);
  await page.waitForTimeout(2_000);
  expect(await shown()).toHaveLength(3); // a resync or a seen mark is not news either
});

/** Counts the page's reads of `Notification.permission` (the real value is still returned). */
function countPermissionReads() {
  const real = Object.getOwnPropertyDescriptor(Notification, 'permission');
  const counter = window as unknown as { permissionReads: number };
  counter.permissionReads = 0;
  Object.defineProperty(Notification, 'permission', {
    get() {
      counter.permissionReads++;
      return real?.get?.call(Notification);
    },
  });
}

test('reads the notification permission when it may have changed, not on every frame', async ({
  app,
  context,
}) => {
  // The read is a synchronous call to the browser process: with a 100,000-item snapshot
  // arriving it blocked the first render for 0.3-0.8 s.
  const page = await context.newPage();
  await page.addInitScript(countPermissionReads);
  await page.goto(app.url);
  await expect(banner(page)).toHaveText(/^Online$/);
  const enable = page.getByRole('button', { name: 'Enable notifications' });
  await expect(enable).toBeVisible();
  const reads = () =>
    page.evaluate(() => (window as unknown as { permissionReads: number }).permissionReads);
  const before = await reads();
  for (let i = 0; i < 5; i++) {
    await app.control('POST', '/items', {
      kind: 'email',
      workbin: 'workitems',
      owner: 'agent1',
      subject: `frame ${i}`,
    });
    await expect(page.getByRole('option', { name: new RegExp(`frame ${i}`) })).toBeVisible();
  }
  expect(before).toBeGreaterThan(0); // the count works
  expect(await reads()).toBe(before);
  // A permission given outside the page still takes the button away.
  await context.grantPermissions(['notifications'], { origin: new URL(app.url).origin });
  await expect(enable).toBeHidden();
});
