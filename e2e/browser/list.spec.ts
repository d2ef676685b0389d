import { mkdirSync } from 'node:fs';
import { STRINGS } from '../../main/contract/strings.js';
import { banner, expect, loaded, rows, test } from './fixtures.js';

const SHOTS = 'test-results/screenshots';
mkdirSync(SHOTS, { recursive: true });

test('shows the workbins and their items, newest first', async ({ page, app }) => {
  const total = await loaded(page, app);
  await expect(page.getByText(`${total} items`)).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Workbins' });
  await expect(nav.getByRole('button', { name: /Social inbox\s*3/ })).toBeVisible();
  await expect(rows(page)).toHaveCount(total);
  await expect(rows(page).first().getByRole('img')).toHaveAttribute(
    'aria-label',
    /Email|Chat|Tweet|Work item|Open media|Facebook/,
  );
  await page.screenshot({ path: `${SHOTS}/list.png` });
});

test("a row's exact time is its tooltip once the pointer is over it", async ({ page, app }) => {
  await loaded(page, app);
  const time = rows(page).first().locator('time.when');
  await time.hover();
  const expected = await time.evaluate((node: HTMLTimeElement) =>
    new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' }).format(
      new Date(node.dateTime),
    ),
  );
  expect(expected).toMatch(/\d{4}/);
  await expect(time).toHaveAttribute('title', expected);
});

test('items appear and disappear live', async ({ page, app }) => {
  const before = await loaded(page, app);
  const added = (await app.control('POST', '/items', {
    kind: 'email',
    workbin: 'email-draft',
    owner: 'agent1',
    subject: 'Brand new complaint',
    from: 'angry@example.com',
  })) as { added: string[] };
  const row = page.getByRole('option', { name: /Brand new complaint/ });
  await expect(row).toBeVisible();
  await expect(rows(page)).toHaveCount(before + 1);
  await expect(rows(page).first()).toContainText('Brand new complaint');
  await app.control('DELETE', `/items/${added.added[0]}`);
  await expect(row).toHaveCount(0);
  await expect(rows(page)).toHaveCount(before);
});

test('an arriving item fills its own row only: the rows below move, the details stay', async ({
  page,
  app,
}) => {
  await loaded(page, app);
  // Days old, so that no row's relative time changes while the test runs.
  const add = (subject: string, daysAgo: number) =>
    app.control('POST', '/items', {
      kind: 'email',
      workbin: 'email-draft',
      owner: 'agent1',
      subject,
      receivedDate: new Date(Date.now() - daysAgo * 86_400_000).toISOString(),
    });
  for (let i = 1; i <= 5; i++) await add(`kept-row ${i}`, 10 + i);
  await page.getByRole('searchbox').fill('kept-row');
  await expect(rows(page)).toHaveCount(5);
  const opened = page.getByRole('option', { name: /kept-row 3/ });
  await opened.click();
  const details = page.locator('.details-content');
  await expect(details.getByRole('heading', { name: 'kept-row 3' })).toBeVisible();
  // Opening it marks it seen, a round trip to the core that redraws its row: wait for that,
  // so the only row the arrival below may redraw is its own.
  await expect(opened.getByRole('img', { name: STRINGS.list.newMarker })).toHaveCount(0);

  // Each row is marked with the item it shows; every change of a row's or the details'
  // content is noted.
  await page.evaluate(() => {
    const noted = { rows: new Set<string>(), details: 0 };
    (window as unknown as { __noted: typeof noted }).__noted = noted;
    const list = document.querySelector('[role=listbox]') as HTMLElement;
    for (const row of list.querySelectorAll<HTMLElement>('[role=option]'))
      row.dataset.marked = row.dataset.key;
    new MutationObserver((records) => {
      for (const record of records) {
        const row = (record.target as Element).closest<HTMLElement>('[role=option]');
        if (row) noted.rows.add(row.querySelector('.summary')?.textContent ?? '');
      }
    }).observe(list, { childList: true, subtree: true, characterData: true });
    new MutationObserver((records) => {
      noted.details += records.length;
    }).observe(document.querySelector('.details-content') as Node, {
      childList: true,
      subtree: true,
      characterData: true,
    });
  });
  await add('kept-row arrives', 2);
  await expect(rows(page)).toHaveCount(6);
  await expect(rows(page).first()).toContainText('kept-row arrives');
  const after = await page.evaluate(() => {
    const noted = (window as unknown as { __noted: { rows: Set<string>; details: number } })
      .__noted;
    const shown = [
      ...document.querySelectorAll<HTMLElement>('[role=listbox] [role=option]:not([hidden])'),
    ];
    return {
      filled: [...noted.rows],
      stillTheirs: shown.filter((row) => row.dataset.marked === row.dataset.key).length,
      tops: shown.map((row) => row.getBoundingClientRect().top),
      ids: [...document.querySelectorAll('[role=listbox] [id]')].map((row) => row.id),
      details: noted.details,
    };
  });
  expect(after.filled).toEqual(['kept-row arrives']);
  // The five rows kept their items, and the DOM is in the list's order.
  expect(after.stillTheirs).toBe(5);
  expect(after.tops).toEqual([...after.tops].sort((a, b) => a - b));
  // Rows the search hid keep no id: each place in the list is named once.
  expect(after.ids).toEqual(['row-0', 'row-1', 'row-2', 'row-3', 'row-4', 'row-5']);
  expect(after.details).toBe(0);
  await expect(details.getByRole('heading', { name: 'kept-row 3' })).toBeVisible();
});

test('a list of thousands, sent in parts, arrives whole on a fresh page', async ({ page, app }) => {
  const before = await loaded(page, app);
  await app.control('POST', '/items', {
    kind: 'email',
    workbin: 'email-inprogress',
    owner: 'agent1',
    count: 3_500,
    subject: 'Bulk',
  });
  const all = STRINGS.list.count(before + 3_500, before + 3_500);
  await expect(page.getByText(all)).toBeVisible();
  // A fresh page reads the snapshot: its items in parts, then the snapshot with the rest.
  await page.reload();
  await expect(page.getByText(all)).toBeVisible();
  await page.getByRole('searchbox').fill('Bulk');
  await expect(page.getByText(STRINGS.list.count(3_500, before + 3_500))).toBeVisible();
});

test('search filters instantly; the details pane shows every userData field', async ({
  page,
  app,
}) => {
  await loaded(page, app);
  await app.control('POST', '/items', {
    kind: 'workitem',
    workbin: 'workitems',
    owner: 'agent1',
    subject: 'Needle in the haystack',
    userData: { CaseNumber: 'CASE-4711', Priority: 3 },
  });
  await page.keyboard.press('/');
  await page.keyboard.type('CASE-4711');
  await expect(rows(page)).toHaveCount(1);
  await rows(page).first().click();
  const details = page.getByRole('complementary', { name: 'Details' });
  await expect(details.getByRole('heading', { name: 'Needle in the haystack' })).toBeVisible();
  await expect(details.getByRole('row', { name: /CaseNumber\s+CASE-4711/ })).toBeVisible();
  await expect(details.getByRole('row', { name: /PegAG\?: 2>1\s+1/ })).toBeVisible();
  await expect(
    details.getByRole('row', { name: /ReceivedAt\s+2016-03-2412: 52: 39.000\+0200/ }),
  ).toBeVisible();
  await page.getByRole('searchbox').fill('no such thing anywhere');
  await expect(page.getByText('No items match the search')).toBeVisible();
  await page.getByRole('searchbox').press('Escape');
  await expect(rows(page).first()).toBeVisible();
});

test('keyboard moves the selection and workbins filter the list', async ({ page, app }) => {
  await loaded(page, app);
  const list = page.getByRole('listbox');
  await list.focus();
  await page.keyboard.press('Home');
  await expect(rows(page).nth(0)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowDown');
  await expect(rows(page).nth(1)).toHaveAttribute('aria-selected', 'true');
  await expect(list).toHaveAttribute('aria-activedescendant', 'row-1');
  await page.getByRole('button', { name: /Work items\s*2/ }).click();
  await expect(rows(page)).toHaveCount(2);
  await expect(page.getByText('2 items in Work items')).toBeVisible();
});

test('hostile server text is shown as text, never run', async ({ page, app }) => {
  await loaded(page, app);
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await app.control('POST', '/items', {
    kind: 'chat',
    workbin: 'email-draft',
    owner: 'agent1',
    subject: '<img src=x onerror="window.pwned=1;alert(1)">',
    from: '<script>window.pwned=2</script>',
    userData: {
      '<b onmouseover=alert(1)>key</b>': '<iframe src="javascript:alert(1)"></iframe>',
      __proto__x: 'fine',
    },
  });
  const row = page.getByRole('option', { name: /<img src=x onerror/ });
  await expect(row).toBeVisible();
  await row.click();
  const details = page.getByRole('complementary', { name: 'Details' });
  await expect(details.getByText('<iframe src="javascript:alert(1)"></iframe>')).toBeVisible();
  await expect(details.getByText('<b onmouseover=alert(1)>key</b>')).toBeVisible();
  expect(await page.locator('img, iframe, script:not([src])').count()).toBe(0);
  expect(
    await page.evaluate(() => (window as unknown as { pwned?: number }).pwned),
  ).toBeUndefined();
  expect(dialogs).toEqual([]);
  await page.screenshot({ path: `${SHOTS}/hostile.png` });
});

test('bidi overrides cannot disguise a subject or a sender', async ({ page, app }) => {
  await loaded(page, app);
  await app.control('POST', '/items', {
    kind: 'email',
    workbin: 'email-draft',
    owner: 'agent1',
    subject: 'Invoice for you \u202Efdp.exe',
    from: 'ceo@\u202Emoc.knab-live\u202C',
  });
  // The override is shown, not obeyed: the agent reads what the server really sent.
  const row = page.getByRole('option', { name: /Invoice for you ⟨U\+202E⟩fdp\.exe/ });
  await expect(row).toBeVisible();
  await expect(row.getByText('ceo@⟨U+202E⟩moc.knab-live⟨U+202C⟩')).toBeVisible();
  // Rows are rebuilt on every render, so the style is read by a retrying assertion: a
  // one-shot read can land on a span that was just replaced, and a detached span has no style.
  await expect(row.locator('.summary')).toHaveCSS('unicode-bidi', 'isolate');
  await row.click();
  const details = page.getByRole('complementary', { name: 'Details' });
  await expect(
    details.getByRole('heading', { name: 'Invoice for you ⟨U+202E⟩fdp.exe' }),
  ).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/bidi.png` });
});

test('status banner follows a server restart and the list survives it', async ({ page, app }) => {
  const count = await loaded(page, app);
  const restart = app.control('POST', '/faults/restart', { downMs: 4_000 });
  await expect(banner(page)).toHaveText(/Reconnecting/);
  await expect(page.getByRole('button', { name: 'Retry now' })).toBeVisible();
  await expect(rows(page)).toHaveCount(count);
  await page.screenshot({ path: `${SHOTS}/reconnecting.png` });
  await restart;
  await page.getByRole('button', { name: 'Retry now' }).click();
  await expect(banner(page)).toHaveText(/^Online$/, { timeout: 20_000 });
  await app.control('POST', '/items', {
    kind: 'tweet',
    workbin: 'social-inbox',
    owner: 'agent1',
    subject: 'after restart',
  });
  await expect(page.getByRole('option', { name: /after restart/ })).toBeVisible();
});

test('names a workbin that failed to load, and retries it', async ({ page, app }) => {
  const count = await loaded(page, app);
  // The next load of Work items fails; a new CometD session makes the core load everything.
  await app.control('POST', '/faults/fail-contents', { workbin: 'workitems', count: 2 });
  await app.control('POST', '/faults/expire', { user: 'agent1' });
  await expect(banner(page)).toHaveText(/Connected, but not up to date: Work items/);
  await expect(page.getByRole('button', { name: 'Retry now' })).toBeVisible();
  // What failed is visible text, not a tooltip, with a Retry for that workbin.
  await expect(page.getByText('Work items: its contents could not be loaded')).toBeVisible();
  await expect(rows(page)).toHaveCount(count);
  // The sidebar marks the workbin whose count is the last known one, not the server's, and
  // only that one.
  const nav = page.getByRole('navigation', { name: 'Workbins' });
  const workItems = nav.getByRole('button', { name: /^Work items/ });
  await expect(workItems).toHaveAccessibleDescription(
    'Not up to date: its contents could not be loaded',
  );
  await expect(workItems).toHaveClass(/\bfailed\b/);
  await expect(nav.getByRole('button', { name: /^Social inbox/ })).not.toHaveClass(/\bfailed\b/);
  await page.screenshot({ path: `${SHOTS}/degraded.png` });
  // The narrow window's workbin selector marks it too.
  const wide = page.viewportSize();
  await page.setViewportSize({ width: 360, height: 640 });
  const selector = page.getByRole('combobox', { name: 'Workbin' });
  await expect(
    selector.locator('option', { hasText: /^My workbins: Work items \(\d+\) ⚠$/ }),
  ).toHaveCount(1);
  await expect(selector.locator('option', { hasText: '⚠' })).toHaveCount(1);
  if (wide) await page.setViewportSize(wide);
  await page.getByRole('button', { name: 'Retry Work items' }).click();
  await expect(banner(page)).toHaveText(/^Online$/, { timeout: 20_000 });
  await expect(page.getByText('Work items: its contents could not be loaded')).toBeHidden();
  await expect(workItems).toHaveAccessibleDescription('');
  await expect(workItems).not.toHaveClass(/\bfailed\b/);
});

test('follows the OS dark theme', async ({ page, app }) => {
  await loaded(page, app);
  const light = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await page.emulateMedia({ colorScheme: 'dark' });
  const dark = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(dark).not.toBe(light);
  await page.screenshot({ path: `${SHOTS}/dark.png` });
});

test('notifications can be paused, and muted per workbin, and the choice sticks', async ({
  page,
  app,
}) => {
  await loaded(page, app);
  const mute = page.getByRole('button', { name: 'Mute notifications for Work items' });
  await expect(mute).toHaveAttribute('aria-pressed', 'false');
  await mute.click();
  await expect(mute).toHaveAttribute('aria-pressed', 'true');
  const pause = page.getByRole('button', { name: 'Pause notifications' });
  await pause.click();
  await expect(pause).toHaveAttribute('aria-pressed', 'true');
  await page.reload();
  await loaded(page, app);
  await expect(
    page.getByRole('button', { name: 'Mute notifications for Work items' }),
  ).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('button', { name: 'Pause notifications' })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
});

test('an empty workbin says so, counts name the workbin, and a page without its token explains', async ({
  page,
  app,
}) => {
  await loaded(page, app);
  const removed = (await app.control('GET', '/truth?user=agent1')) as Record<string, string[]>;
  for (const id of removed['email-draft'] ?? []) await app.control('DELETE', `/items/${id}`);
  await page
    .getByRole('navigation', { name: 'Workbins' })
    .getByRole('button', { name: /^Email drafts/ })
    .click();
  await expect(page.getByText('Email drafts is empty')).toBeVisible();
  await expect(page.getByText('0 items in Email drafts')).toBeVisible();
  await page
    .getByRole('navigation', { name: 'Workbins' })
    .getByRole('button', { name: /^Work items/ })
    .click();
  await expect(page.getByText('2 items in Work items')).toBeVisible();
  const bare = await page.context().newPage();
  await bare.goto(new URL(app.url).origin);
  await expect(bare.getByText(/needs the address that "npm run web" printed/)).toBeVisible();
});

test('focus stays where the agent left it when items arrive; rows say where they stand', async ({
  page,
  app,
}) => {
  const count = await loaded(page, app);
  const mute = page.getByRole('button', { name: 'Mute notifications for Work items' });
  await mute.focus();
  await app.control('POST', '/items', {
    kind: 'email',
    workbin: 'workitems',
    owner: 'agent1',
    subject: 'arrives while focused',
  });
  await expect(page.getByRole('option', { name: /arrives while focused/ })).toBeVisible();
  await expect(mute).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(mute).toHaveAttribute('aria-pressed', 'true');
  await expect(mute).toBeFocused();
  const first = rows(page).first();
  await expect(first).toHaveAttribute('aria-posinset', '1');
  await expect(first).toHaveAttribute('aria-setsize', String(count + 1));
  await page.getByRole('button', { name: /^Work items/ }).click();
  await expect(page.getByRole('listbox', { name: 'Work items' })).toBeVisible();
});

/** A trace event of Chromium's timeline, as much of it as the test below reads. */
interface TraceEvent {
  name: string;
  args?: { beginData?: { stackTrace?: { url: string; functionName: string }[] } };
}

test("an arriving item's frame reads the list's geometry before it writes: no forced layout", async ({
  page,
  app,
}) => {
  await loaded(page, app);
  const browser = page.context().browser();
  if (!browser) throw new Error('no browser to trace');
  // The timeline's stack category gives a layout or style pass the page's script forced (a
  // read after a write) the script's stack; the frame's own passes have none.
  await browser.startTracing(page, {
    categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline.stack'],
  });
  for (let i = 1; i <= 3; i++) {
    await app.control('POST', '/items', {
      kind: 'chat',
      workbin: 'email-draft',
      owner: 'agent1',
      subject: `traced arrival ${i}`,
    });
    await expect(rows(page).first()).toContainText(`traced arrival ${i}`);
  }
  const trace = JSON.parse((await browser.stopTracing()).toString()) as {
    traceEvents: TraceEvent[];
  };
  const forced = trace.traceEvents
    .filter((e) => e.name === 'Layout' || e.name === 'UpdateLayoutTree')
    .map((e) => e.args?.beginData?.stackTrace ?? [])
    // Playwright's own checks lay the page out too, from its injected script.
    .filter((stack) => stack.some((frame) => frame.url.endsWith('/app.js')))
    .map((stack) => stack.map((frame) => frame.functionName).join(' <- '));
  expect(forced).toEqual([]);
});
