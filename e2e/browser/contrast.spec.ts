import type { Page } from '@playwright/test';
import { expect, loaded, rows, test } from './fixtures.js';

/** One element whose rendered contrast falls short of WCAG 2.1 (1.4.3 text, 1.4.11 icons). */
interface Shortfall {
  readonly what: string;
  readonly ratio: number;
  readonly needed: number;
}

/**
 * Measures every visible text and icon as the browser paints it: its computed colour,
 * faded by its own and its ancestors' opacity, over the first opaque background behind it.
 * Icons (the SVG bells) are graphics and need 3:1; all text, the kind badges' letters
 * included, needs 4.5:1.
 */
async function shortfalls(page: Page): Promise<Shortfall[]> {
  return page.evaluate(() => {
    type Rgba = [number, number, number, number];
    const parse = (css: string): Rgba => {
      const n = css.match(/[\d.]+/g)?.map(Number) ?? [0, 0, 0, 0];
      return [n[0] ?? 0, n[1] ?? 0, n[2] ?? 0, n[3] ?? 1];
    };
    const over = (top: Rgba, below: Rgba): Rgba => {
      const a = top[3];
      return [0, 1, 2].map((i) => (top[i] ?? 0) * a + (below[i] ?? 0) * (1 - a)).concat(1) as Rgba;
    };
    const luminance = ([r, g, b]: Rgba) => {
      const lin = (c: number) => {
        const s = c / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    };
    const ratio = (a: Rgba, b: Rgba) => {
      const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
      return ((hi ?? 0) + 0.05) / ((lo ?? 0) + 0.05);
    };
    const background = (el: Element): Rgba => {
      const layers: Rgba[] = [];
      for (let node: Element | null = el; node; node = node.parentElement) {
        const bg = parse(getComputedStyle(node).backgroundColor);
        if (bg[3] > 0) layers.push(bg);
        if (bg[3] >= 1) break;
      }
      let color: Rgba = [255, 255, 255, 1];
      for (const layer of layers.reverse()) color = over(layer, color);
      return color;
    };
    const opacity = (el: Element) => {
      let o = 1;
      for (let node: Element | null = el; node; node = node.parentElement)
        o *= Number(getComputedStyle(node).opacity);
      return o;
    };
    const found: { what: string; ratio: number; needed: number }[] = [];
    for (const el of document.querySelectorAll('body *')) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0 || el.closest('[hidden], [inert]')) continue;
      const ownText = [...el.childNodes].some(
        (n) => n.nodeType === Node.TEXT_NODE && n.textContent?.trim(),
      );
      const icon = el instanceof SVGSVGElement;
      if (!ownText && !icon) continue;
      const style = getComputedStyle(el);
      const fg = parse(style.color);
      fg[3] *= opacity(el);
      const bg = background(el);
      const needed = icon ? 3 : 4.5;
      const r = ratio(over(fg, bg), bg);
      if (r < needed)
        found.push({
          what: `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} "${el.textContent?.trim().slice(0, 30)}"`,
          ratio: Math.round(r * 100) / 100,
          needed,
        });
    }
    return found;
  });
}

for (const scheme of ['light', 'dark'] as const) {
  test(`text ≥ 4.5:1 and icons ≥ 3:1 in the ${scheme} theme`, async ({ page, app }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: 1280, height: 800 });
    await loaded(page, app);
    // Every kind badge, a new item, a selected row, a muted and an idle bell.
    await app.control('POST', '/items', {
      kind: 'tweet',
      workbin: 'social-inbox',
      owner: 'agent1',
      subject: 'A tweet, new',
    });
    await expect(page.getByRole('option', { name: /A tweet, new/ })).toBeVisible();
    await rows(page).nth(1).click();
    const bell = page.getByRole('button', { name: /^Mute notifications for/ }).first();
    await bell.click();
    await expect(bell).toHaveAttribute('aria-pressed', 'true');
    await rows(page).nth(1).click();
    expect(await shortfalls(page)).toEqual([]);
    await page.screenshot({ path: `test-results/screenshots/list-${scheme}.png` });
    await page.setViewportSize({ width: 420, height: 640 });
    const back = page.getByRole('button', { name: '← Back to the list' });
    if (await back.isVisible()) {
      expect(await shortfalls(page)).toEqual([]);
      await back.click();
    }
    await expect(rows(page).first()).toBeVisible();
    expect(await shortfalls(page)).toEqual([]);
    await page.screenshot({ path: `test-results/screenshots/tray-${scheme}.png` });
  });
}
