/**
 * The desktop app's field-key protector: Electron's safeStorage, which wraps the key with the OS
 * keychain (macOS Keychain, Windows DPAPI, libsecret/KWallet on Linux). Undefined when no real
 * keychain is available (Linux without a secret service falls back to `basic_text`, a fixed key,
 * which protects nothing): the core then keeps the key in a 0600 file, as in edge mode.
 * Call after `app.whenReady()`.
 */
import { safeStorage } from 'electron';
import type { KeyProtector } from '../api/gateway-core.js';

/** A {@link KeyProtector} over safeStorage, or undefined when the OS offers no keychain. */
export async function safeStorageKeyProtector(
  log: (line: string) => void = console.warn,
): Promise<KeyProtector | undefined> {
  const weak = process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text';
  if (!(await safeStorage.isAsyncEncryptionAvailable()) || weak) {
    log('PulseWatch: no OS keychain available; the field key stays in a 0600 file in the data folder');
    return undefined;
  }
  return {
    name: 'electron-safeStorage',
    protect: (key) => safeStorage.encryptStringAsync(key.toString('base64')),
    unprotect: async (stored) => {
      const { result } = await safeStorage.decryptStringAsync(stored);
      return Buffer.from(result, 'base64');
    },
  };
}
