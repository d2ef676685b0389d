/**
 * `npm run dist` offline: electron-builder packs a release build around a stub Electron (the
 * real one is a download this machine cannot make) whose fuse wire is Electron's default, and
 * the test reads back what packaging produced: the fuses flipped, app.asar holding only the
 * build and production dependencies, no source maps, no test hooks. The packed main.mjs then
 * runs under the double as a packaged app.
 */
import { execFile } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildShell } from '../../scripts/build-shell.js';
import type { GwsSimulator } from '../../sim/simulator.js';
import { ShellProcess } from '../electron-double/launch.js';
import { newHome, quitAll, ROOT, startShellSimulator, TOOLTIP, tooltip } from './fixtures.js';

const require = createRequire(import.meta.url);
const asar = require('@electron/asar') as {
  listPackage(path: string, options: object): string[];
  extractAll(archive: string, dest: string): void;
};
const fuses = require('@electron/fuses') as {
  getCurrentFuseWire(path: string): Promise<Record<string, number | string>>;
};

/** @electron/fuses' wire: the sentinel, version 1, 8 fuses as '0'/'1' (Electron 45's defaults). */
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const ELECTRON_DEFAULT_FUSES = '10110001';
const [OFF, ON] = [48, 49];

const project = mkdtempSync(join(tmpdir(), 'wbt-package-'));
const unpacked = join(project, 'release', 'linux-unpacked');
let entries: string[] = [];
let sim: GwsSimulator;

beforeAll(async () => {
  // A scratch project: the same config, assets and dependencies, a release build of its own.
  for (const file of ['package.json', 'package-lock.json', 'electron-builder.yml'])
    cpSync(join(ROOT, file), join(project, file));
  cpSync(join(ROOT, 'assets'), join(project, 'assets'), { recursive: true });
  // A real folder (hard links where the file system allows): through a symlink, npm lists
  // the dependencies as `file:` links and electron-builder packs only the direct ones.
  const copy = promisify(execFile);
  const modules = [join(ROOT, 'node_modules'), join(project, 'node_modules')];
  await copy('cp', ['-al', ...modules]).catch(() => copy('cp', ['-a', ...modules]));
  await buildShell({
    release: true,
    outdir: join(project, 'dist/electron'),
    rendererOut: join(project, 'dist/renderer'),
  });
  const stub = join(project, 'stub-electron');
  mkdirSync(join(stub, 'resources'), { recursive: true });
  writeFileSync(join(stub, 'LICENSE'), 'stub');
  writeFileSync(
    join(stub, 'electron'),
    Buffer.concat([
      Buffer.from('#!/bin/sh\necho "a stub Electron"\n'),
      Buffer.from(SENTINEL),
      Buffer.from([1, ELECTRON_DEFAULT_FUSES.length]),
      Buffer.from(ELECTRON_DEFAULT_FUSES),
    ]),
  );
  chmodSync(join(stub, 'electron'), 0o755);
  await promisify(execFile)(
    process.execPath,
    [
      join(ROOT, 'node_modules/electron-builder/cli.js'),
      '--linux',
      'dir',
      '--publish',
      'never',
      `-c.electronDist=${stub}`,
    ],
    { cwd: project, env: { ...process.env, CI: 'true' } },
  );
  entries = asar.listPackage(join(unpacked, 'resources', 'app.asar'), {});
  sim = await startShellSimulator();
}, 120_000);

afterAll(async () => {
  await quitAll();
  await sim?.stop();
  rmSync(project, { recursive: true, force: true });
});

describe('the packaged app', () => {
  it('has the fuses flipped as electron-builder.yml says', async () => {
    const wire = await fuses.getCurrentFuseWire(join(unpacked, 'workbin-tray'));
    expect(wire).toEqual({
      version: '1',
      0: OFF, // RunAsNode
      1: ON, // EnableCookieEncryption
      2: OFF, // EnableNodeOptionsEnvironmentVariable
      3: OFF, // EnableNodeCliInspectArguments
      4: ON, // EnableEmbeddedAsarIntegrityValidation
      5: ON, // OnlyLoadAppFromAsar
      6: OFF, // LoadBrowserProcessSpecificV8Snapshot (Electron's default, untouched)
      7: OFF, // GrantFileProtocolExtraPrivileges
    });
  });

  it('packs the build and production dependencies only, with no source maps or test hooks', () => {
    const own = entries.filter((e) => !e.startsWith('/node_modules/'));
    expect(own.filter((e) => /\.(mjs|cjs|js|html|css)$/.test(e)).sort()).toEqual([
      '/dist/electron/main.mjs',
      '/dist/electron/preload.cjs',
      '/dist/renderer/app.js',
      '/dist/renderer/index.html',
      '/dist/renderer/styles.css',
    ]);
    expect(
      entries.filter(
        (e) => !e.startsWith('/node_modules/') && (e.endsWith('.map') || e.endsWith('.ts')),
      ),
    ).toEqual([]);
    const packages = new Set(
      entries
        .filter((e) => e.startsWith('/node_modules/'))
        .map((e) => e.split('/')[2])
        .filter(isName),
    );
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    // Transitive ones too (tough-cookie needs tldts): a symlinked node_modules once lost them.
    expect(packages).toContain('tldts');
    for (const dependency of Object.keys(pkg.dependencies))
      expect(packages, dependency).toContain(dependency.split('/')[0]);
    for (const tool of Object.keys(pkg.devDependencies))
      expect(packages, tool).not.toContain(tool.split('/')[0]);

    const dir = mkdtempSync(join(tmpdir(), 'wbt-asar-'));
    asar.extractAll(join(unpacked, 'resources', 'app.asar'), dir);
    const main = readFileSync(join(dir, 'dist/electron/main.mjs'), 'utf8');
    expect(main).not.toContain('sourceMappingURL');
    for (const hook of [
      'WORKBIN_TRAY_TEST',
      'WORKBIN_TRAY_DEMO_SERVER',
      'WORKBIN_TRAY_USER_DATA',
      '__workbinTray',
    ])
      expect(main, hook).not.toContain(hook);
  });

  it('runs from its asar as a packaged app: no DevTools, and no demo sign-in whatever the environment says', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wbt-packed-'));
    asar.extractAll(join(unpacked, 'resources', 'app.asar'), dir);
    const app = ShellProcess.launch({
      appDir: dir,
      home: newHome(),
      env: { WBT_DOUBLE_PACKAGED: '1', WORKBIN_TRAY_DEMO_SERVER: sim.url, WORKBIN_TRAY_TEST: '1' },
    });
    await app.until('the window', () => app.last('BrowserWindow.loadURL'));
    const options = app.last('BrowserWindow.new')?.detail as {
      webPreferences: { devTools: boolean; sandbox: boolean };
    };
    expect(options.webPreferences).toMatchObject({ devTools: false, sandbox: true });
    const page = (await app.act({ type: 'fetch', url: 'app://workbin-tray/index.html' })) as {
      status: number;
    };
    expect(page.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(sim.subscribedUsers()).toEqual([]);
    expect(tooltip(app)).toBe(TOOLTIP('Offline'));
    expect(await app.quit()).toBe(0);
  });
});

function isName(name: string | undefined): name is string {
  return typeof name === 'string' && name.length > 0;
}
