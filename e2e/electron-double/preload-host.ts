/**
 * Runs the built preload (dist/electron/preload.cjs) under the double, as Electron's sandboxed
 * preload runs: `require('electron')` gives the renderer-side API and nothing else. What the
 * preload hands to the main process and to the page is recorded in the journal.
 */
import { createRequire, Module } from 'node:module';
import * as resolved from 'electron';
import type * as Double from './electron.js';
import { record } from './journal.js';

// At run time `electron` is the double (./register.ts); the type-checker sees Electron's.
const electron = (resolved as unknown as { default: typeof Double.default }).default;

const preload = process.argv[2];
if (!preload) throw new Error('usage: preload-host <preload.cjs>');

type Load = (request: string, parent: unknown, isMain: boolean) => unknown;
const loader = Module as unknown as { _load: Load };
const load = loader._load;
// A sandboxed preload's require knows `electron` (and a few Node built-ins) only.
loader._load = (request, parent, isMain) =>
  request === 'electron' ? electron : load(request, parent, isMain);

electron.ipcRenderer.transport = (channel, payload) =>
  record('ipcMain.receive', { channel, payload });
createRequire(import.meta.url)(preload);

const bridge = (
  globalThis as { workbins?: { onEvent(listener: (event: unknown) => void): () => void } }
).workbins;
const stop = bridge?.onEvent((event) => {
  record('page.event', event);
  // The page's listener is removed after its first `unseen` event (to check that it can be).
  if ((event as { type?: string }).type === 'unseen') stop?.();
});
record('preload.loaded', { exposed: Object.keys(globalThis).includes('workbins') });
// A renderer lives until its window goes: here, until the test ends the process.
setInterval(() => {}, 60_000);
