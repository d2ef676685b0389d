/**
 * Draws the app and tray icons as SVG and renders them to PNG with Chromium.
 * Run after changing the drawings: `npx tsx scripts/make-icons.ts` (outputs go to assets/).
 */
import { writeFileSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { CHROMIUM } from '../playwright.config.js';

const TRAY_STATES = {
  online: '#1f9d55',
  reconnecting: '#e0a100',
  offline: '#8a8a93',
  error: '#d93025',
} as const;

function tray(color: string): string {
  // A tray (inbox) outline with a status dot in the corner.
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">
    <path d="M4 17 L8 6 H24 L28 17 V26 H4 Z" fill="none" stroke="#444" stroke-width="2.5" stroke-linejoin="round"/>
    <path d="M4 17 H11 L13 20 H19 L21 17 H28" fill="none" stroke="#444" stroke-width="2.5" stroke-linejoin="round"/>
    <circle cx="25" cy="8" r="6" fill="${color}" stroke="#fff" stroke-width="1.5"/>
  </svg>`;
}

const APP = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">
  <rect x="16" y="16" width="480" height="480" rx="96" fill="#2f5fd0"/>
  <path d="M96 272 L160 120 H352 L416 272 V400 H96 Z" fill="none" stroke="#fff" stroke-width="36" stroke-linejoin="round"/>
  <path d="M96 272 H196 L220 316 H292 L316 272 H416" fill="none" stroke="#fff" stroke-width="36" stroke-linejoin="round"/>
</svg>`;

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--disable-gpu', '--no-first-run'],
});
const page = await browser.newPage();
async function render(svg: string, size: number, file: string): Promise<void> {
  await page.setViewportSize({ width: size, height: size });
  await page.setContent(
    `<style>html,body{margin:0;background:transparent}</style>${svg.replace('<svg ', `<svg width="${size}" height="${size}" `)}`,
  );
  writeFileSync(file, await page.screenshot({ omitBackground: true }));
}
await render(APP, 512, 'assets/icon.png');
for (const [state, color] of Object.entries(TRAY_STATES)) {
  await render(tray(color), 16, `assets/tray-${state}.png`);
  await render(tray(color), 32, `assets/tray-${state}@2x.png`);
}
await browser.close();
console.log('icons written to assets/');
