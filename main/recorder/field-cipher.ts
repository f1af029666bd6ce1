/**
 * Encryption at rest of a patient's identifying details on the gateway, in the format both sides
 * share (`server-contract/crypto/field-cipher.ts`: AES-256-GCM, version byte 2, the record id
 * as associated data), with the key generated once into `<dataDir>/field-key` (mode 0600).
 *
 * Values this gateway stored before the shared format (version byte 1: nonce (12) | tag (16) |
 * ciphertext, the record id alone as associated data) still open; every new value is version 2.
 */
import { createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  FieldCipher as SharedFieldCipher,
  FieldCipherError,
  FIELD_KEY_BYTES,
  sealedVersion,
} from '../../server-contract/crypto/field-cipher.js';

/** The gateway's own format before version 2. */
const LEGACY_VERSION = 1;
const LEGACY_HEADER_BYTES = 1 + 12 + 16;

export { FieldCipherError };

/** See the file comment. */
export class FieldCipher {
  private readonly shared: SharedFieldCipher;

  /** `key`: 32 bytes. Prefer {@link FieldCipher.forDataDir}. */
  constructor(private readonly key: Uint8Array) {
    this.shared = new SharedFieldCipher(key);
  }

  /** Loads the key of a data folder, creating it on first use. */
  static forDataDir(dataDir: string): FieldCipher {
    const file = join(dataDir, 'field-key');
    if (!existsSync(file))
      writeFileSync(file, randomBytes(FIELD_KEY_BYTES).toString('base64'), { mode: 0o600, flag: 'wx' });
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length !== FIELD_KEY_BYTES)
      throw new Error(`${file} does not hold a 256-bit key; restore it from the backup`);
    return new FieldCipher(key);
  }

  /** Seals `plaintext` for record `recordId` in the shared format (a Buffer, for a BLOB column). */
  seal(plaintext: string, recordId: string): Buffer {
    return Buffer.from(this.shared.seal(plaintext, recordId));
  }

  /**
   * Opens a sealed value of either format; throws {@link FieldCipherError} if it was altered,
   * moved to another record, sealed with another key, or is in no format this gateway wrote.
   */
  open(sealed: Uint8Array, recordId: string): string {
    return sealedVersion(sealed) === LEGACY_VERSION
      ? this.openLegacy(sealed, recordId)
      : this.shared.open(sealed, recordId);
  }

  private openLegacy(sealed: Uint8Array, recordId: string): string {
    if (sealed.length < LEGACY_HEADER_BYTES)
      throw new FieldCipherError('unknown_format', 'version-1 sealed value is truncated');
    const bytes = Buffer.from(sealed);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(1, 13));
      decipher.setAAD(Buffer.from(recordId, 'utf8'));
      decipher.setAuthTag(bytes.subarray(13, LEGACY_HEADER_BYTES));
      return Buffer.concat([decipher.update(bytes.subarray(LEGACY_HEADER_BYTES)), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      throw new FieldCipherError('does_not_open', 'version-1 sealed value does not open with this key');
    }
  }
}
