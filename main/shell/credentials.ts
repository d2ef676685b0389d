import { safeStorage } from 'electron';
import type { SecretBox } from '../bridge/app-session.js';

/**
 * Passwords are kept only encrypted by the OS (Keychain, DPAPI, libsecret/kwallet). Where
 * the only backend is Chromium's hard-coded key ("basic_text" on Linux without a keyring),
 * nothing is stored and the user signs in at each start.
 */
export function canStoreSecrets(): boolean {
  if (!safeStorage.isEncryptionAvailable()) return false;
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text')
    return false;
  return true;
}

export function encryptSecret(secret: string): string | null {
  return canStoreSecrets() ? safeStorage.encryptString(secret).toString('base64') : null;
}

export function decryptSecret(blob: string): string | null {
  try {
    return safeStorage.decryptString(Buffer.from(blob, 'base64'));
  } catch {
    return null;
  }
}

export const osSecrets: SecretBox = { encrypt: encryptSecret, decrypt: decryptSecret };
