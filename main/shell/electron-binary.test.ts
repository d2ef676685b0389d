import { afterEach, describe, expect, it } from 'vitest';
import { findElectronBinary } from './electron-binary.js';

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

describe('findElectronBinary', () => {
  it('takes ELECTRON_PATH when it exists, and says why when it does not', () => {
    process.env.ELECTRON_PATH = process.execPath;
    expect(findElectronBinary()).toEqual({ path: process.execPath });
    process.env.ELECTRON_PATH = '/nowhere/electron';
    expect(findElectronBinary()).toEqual({
      missing: 'ELECTRON_PATH=/nowhere/electron does not exist',
    });
  });

  it('reports the missing download without starting one', () => {
    delete process.env.ELECTRON_PATH;
    const result = findElectronBinary();
    // Here the binary is never downloaded; elsewhere it may be, and then it must exist.
    if ('path' in result) expect(result.path).toMatch(/electron/i);
    else expect(result.missing).toMatch(/path\.txt|does not exist/);
  });
});
