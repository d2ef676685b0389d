import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildShell, SHELL_OUT } from './build-shell.js';

describe('buildShell', () => {
  it('bundles a self-contained sandboxed preload and an ESM main', async () => {
    await buildShell();
    const preload = readFileSync(`${SHELL_OUT}preload.cjs`, 'utf8');
    // A sandboxed preload may require only 'electron'.
    const required = [...preload.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
    expect(new Set(required)).toEqual(new Set(['electron']));
    expect(preload).toContain('exposeInMainWorld');
    const main = readFileSync(`${SHELL_OUT}main.mjs`, 'utf8');
    expect(main).toMatch(/from "electron"/);
    expect(main).not.toMatch(/require\("electron"\)/);
  });
});
