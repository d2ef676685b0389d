import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RENDERER_OUT } from './build-renderer.js';
import { SHELL_OUT } from './build-shell.js';

const require = createRequire(import.meta.url);
const root = new URL('../', import.meta.url).pathname;

// electron-builder's own loader and schema validator: the packaging configuration is checked
// here even though packaging itself needs a download this machine cannot make.
const { getConfig, validateConfiguration } =
  require('app-builder-lib/out/util/config/config.js') as {
    getConfig(dir: string, path: string | null, options: null): Promise<Record<string, unknown>>;
    validateConfiguration(config: Record<string, unknown>, logger: unknown): Promise<void>;
  };
const { DebugLogger } = require('builder-util/out/DebugLogger.js') as {
  DebugLogger: new (on: boolean) => unknown;
};

interface BuilderConfig {
  /** After loading, electron-builder holds `files` as filter sets. */
  files: Array<string | { filter: string[] }>;
  linux: { target: string[]; icon: string };
  win: { icon: string };
  mac: { icon: string };
}

describe('electron-builder.yml', () => {
  it('passes electron-builder’s schema', async () => {
    const config = await getConfig(root, null, null);
    await validateConfiguration(config, new DebugLogger(false));
  });

  it('packs what the build writes and package.json starts, and icons that exist', async () => {
    const config = (await getConfig(root, null, null)) as unknown as BuilderConfig;
    const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { main: string };
    // The packed app starts from package.json's main: it must be a file the shell build
    // writes (scripts/build-shell.ts) inside a folder the config packs.
    const shellOut = relative(root, SHELL_OUT);
    expect(dirname(pkg.main)).toBe(shellOut);
    const packed = config.files.flatMap((f) => (typeof f === 'string' ? [f] : f.filter));
    expect(packed).toContain(`${shellOut}/**`);
    expect(packed).toContain(`${relative(root, RENDERER_OUT)}/**`);
    for (const icon of [config.linux.icon, config.win.icon, config.mac.icon]) {
      expect(existsSync(`${root}${icon}`), icon).toBe(true);
    }
  });

  it('has what the deb target requires of package.json: a homepage and an author with an email', () => {
    const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as {
      homepage?: string;
      author?: { name?: string; email?: string };
    };
    expect(pkg.homepage).toMatch(/^https:\/\//);
    expect(pkg.author?.name).toBeTruthy();
    expect(pkg.author?.email).toMatch(/^[^@\s]+@[^@\s]+\.[a-z]+$/);
  });

  it('flips the fuses that keep the packaged app from being used as a general Node', async () => {
    const config = (await getConfig(root, null, null)) as unknown as {
      electronFuses: Record<string, boolean>;
    };
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });
});
