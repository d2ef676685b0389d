import { expect, loaded, rows, test } from './fixtures.js';

const SHOTS = 'test-results/screenshots';

for (const [width, height] of [
  [420, 640],
  [360, 640],
] as const) {
  test(`usable at ${width}×${height}: no sideways scrolling, every action reachable, items readable`, async ({
    page,
    app,
  }) => {
    await page.setViewportSize({ width, height });
    await loaded(page, app);
    const fits = () =>
      page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    expect(await fits()).toBe(true);

    // Every header action, behind the menu.
    await page.getByRole('button', { name: 'Menu' }).click();
    for (const name of ['Teams', 'Pause notifications', 'Sign out'])
      await expect(page.getByRole('button', { name })).toBeVisible();
    expect(await fits()).toBe(true);
    await page.getByRole('button', { name: 'Menu' }).click();

    // Workbins as a compact selector.
    await page
      .getByRole('combobox', { name: 'Workbin' })
      .selectOption({ label: 'My workbins: Social inbox (3)' });
    await expect(rows(page)).toHaveCount(3);
    // An arrival updates the counts in place, and the choice stays.
    await app.control('POST', '/items', {
      kind: 'tweet',
      workbin: 'social-inbox',
      owner: 'agent1',
      subject: 'arrives while narrow',
    });
    await expect(rows(page)).toHaveCount(4);
    const chosen = page.getByRole('combobox', { name: 'Workbin' }).locator('option:checked');
    await expect(chosen).toHaveText('My workbins: Social inbox (4)');
    await page.screenshot({ path: `${SHOTS}/narrow-${width}.png` });

    // An item opens as a full-height panel with its subject and attached data.
    await rows(page).first().click();
    const details = page.getByRole('complementary', { name: 'Details' });
    await expect(details.getByRole('heading', { level: 2 })).toBeVisible();
    await expect(details.getByText('Attached data')).toBeVisible();
    expect(await fits()).toBe(true);
    await page.screenshot({ path: `${SHOTS}/narrow-${width}-details.png` });
    await details.getByRole('button', { name: /Back to the list/ }).click();
    await expect(details).toBeHidden();
    await rows(page).nth(1).click();
    await expect(details).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(details).toBeHidden();
  });
}

for (const width of [1280, 1000, 800]) {
  test(`at ${width} px the header's actions stay one line each, and nothing scrolls sideways`, async ({
    page,
    app,
  }) => {
    await page.setViewportSize({ width, height: 600 });
    await loaded(page, app);
    const boxes = await page
      .locator('#header-actions button:visible')
      .evaluateAll((buttons) =>
        buttons.map((b) => ({ height: b.getBoundingClientRect().height, text: b.textContent })),
      );
    expect(boxes.length).toBeGreaterThanOrEqual(4);
    const oneLine = Math.min(...boxes.map((b) => b.height));
    for (const box of boxes)
      expect(box, `"${box.text}" on one line`).toMatchObject({ height: oneLine });
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
    ).toBe(true);
  });
}
