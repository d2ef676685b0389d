import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const root = new URL('../../', import.meta.url).pathname;

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

describe('electron-builder.yml', () => {
  it('passes electron-builder’s schema and targets every platform we ship', async () => {
    const config = await getConfig(root, null, null);
    await validateConfiguration(config, new DebugLogger(false));
    expect(config.appId).toBe('com.workbintray.app');
    expect(config.linux).toMatchObject({ target: ['AppImage', 'deb'] });
    expect(config.win).toMatchObject({ target: 'nsis' });
    expect(config.mac).toMatchObject({ target: 'dmg' });
  });

  it('points at files that exist, and at the main entry package.json names', () => {
    const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { main: string };
    expect(pkg.main).toBe('dist/electron/main.mjs');
    for (const icon of ['assets/icon.png', 'assets/tray-online.png', 'assets/tray-error@2x.png']) {
      expect(existsSync(`${root}${icon}`), icon).toBe(true);
    }
  });
});
