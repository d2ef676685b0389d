import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findElectronBinary } from './electron-binary.js';

/** A fake electron package folder, with or without a downloaded binary. */
function fakePackage(binary: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'electron-pkg-'));
  if (binary) {
    writeFileSync(join(dir, 'path.txt'), 'electron');
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist', 'electron'), '#!/bin/sh\n');
    chmodSync(join(dir, 'dist', 'electron'), 0o755);
  }
  return dir;
}

describe('findElectronBinary', () => {
  it('takes ELECTRON_PATH when it exists, and says why when it does not', () => {
    expect(findElectronBinary({ ELECTRON_PATH: process.execPath })).toEqual({
      ok: true,
      value: process.execPath,
    });
    expect(findElectronBinary({ ELECTRON_PATH: '/nowhere/electron' })).toEqual({
      ok: false,
      error: 'ELECTRON_PATH=/nowhere/electron does not exist',
    });
  });

  it('reports a package whose binary was never downloaded, without starting a download', () => {
    expect(findElectronBinary({}, fakePackage(false))).toEqual({
      ok: false,
      error: 'no binary was downloaded (node_modules/electron/path.txt is absent)',
    });
    expect(findElectronBinary({}, null)).toEqual({
      ok: false,
      error: 'the electron package is not installed',
    });
  });

  it('finds the binary the package’s path.txt names, or an override folder', () => {
    const dir = fakePackage(true);
    expect(findElectronBinary({}, dir)).toEqual({ ok: true, value: join(dir, 'dist', 'electron') });
    const missing = findElectronBinary({ ELECTRON_OVERRIDE_DIST_PATH: '/nowhere' }, dir);
    expect(missing).toEqual({ ok: false, error: '/nowhere/electron does not exist' });
  });
});
