import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

  it('builds a release with no source maps and no test switches', async () => {
    const outdir = mkdtempSync(join(tmpdir(), 'wbt-release-'));
    const rendererOut = mkdtempSync(join(tmpdir(), 'wbt-release-renderer-'));
    await buildShell({ release: true, outdir, rendererOut });
    expect(readdirSync(outdir).sort()).toEqual(['main.mjs', 'preload.cjs']);
    expect(readdirSync(rendererOut).filter((f) => f.endsWith('.map'))).toEqual([]);
    const main = readFileSync(join(outdir, 'main.mjs'), 'utf8');
    for (const name of ['WORKBIN_TRAY_TEST', 'WORKBIN_TRAY_USER_DATA', 'WORKBIN_TRAY_DEMO_SERVER'])
      expect(main).not.toContain(name);
    expect(main).not.toContain('sourceMappingURL');
  });
});
