/**
 * AES-256-GCM for patient identifying details at rest on the server, in the format both sides
 * share (`server-contract/crypto/field-cipher.ts`: version byte 2, a fresh 96-bit nonce per value,
 * the patient id as associated data). The store's column is text, so a sealed value is stored as
 * `v2.<base64url of the sealed bytes>`.
 *
 * Values stored before the shared format (`v1.<iv>.<ciphertext>.<tag>`, base64url, the patient id
 * alone as associated data) still open; every new value is `v2.`.
 */
import { createDecipheriv } from 'node:crypto';
import {
  FieldCipher as SharedFieldCipher,
  FieldCipherError,
  FIELD_CIPHER_VERSION,
} from '../../server-contract/crypto/field-cipher.js';

export { FieldCipherError };

const PREFIX = `v${FIELD_CIPHER_VERSION}.`;
const LEGACY_PREFIX = 'v1.';

/** See the file comment. */
export class FieldCipher {
  private readonly shared: SharedFieldCipher;
  private readonly key: Buffer;

  /** `key`: 32 bytes. */
  constructor(key: Uint8Array) {
    this.shared = new SharedFieldCipher(key);
    this.key = Buffer.from(key);
  }

  /** Seals `plaintext` for the row `associatedData` (the patient id) as text. */
  seal(plaintext: string, associatedData: string): string {
    return PREFIX + Buffer.from(this.shared.seal(plaintext, associatedData)).toString('base64url');
  }

  /** Opens a value of either format; throws {@link FieldCipherError} when it does not open. */
  open(sealed: string, associatedData: string): string {
    if (sealed.startsWith(LEGACY_PREFIX)) return this.openLegacy(sealed, associatedData);
    if (!sealed.startsWith(PREFIX) || !/^[A-Za-z0-9_-]+$/.test(sealed.slice(PREFIX.length)))
      throw new FieldCipherError('unknown_format', 'not a sealed value');
    return this.shared.open(Buffer.from(sealed.slice(PREFIX.length), 'base64url'), associatedData);
  }

  private openLegacy(sealed: string, associatedData: string): string {
    const parts = sealed.split('.');
    if (parts.length !== 4) throw new FieldCipherError('unknown_format', 'not a sealed value');
    const tag = Buffer.from(parts[3]!, 'base64url');
    // GCM accepts tags down to 4 bytes, each checking only that many: insist on the full 16.
    if (tag.length !== 16)
      throw new FieldCipherError('does_not_open', 'sealed value does not open with this key');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(parts[1]!, 'base64url'), {
        authTagLength: 16,
      });
      decipher.setAAD(Buffer.from(associatedData, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(Buffer.from(parts[2]!, 'base64url')), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      throw new FieldCipherError('does_not_open', 'sealed value does not open with this key');
    }
  }
}
