/**
 * AES-256-GCM for patient identifying details at rest. A sealed value is
 * `v1.<iv>.<ciphertext>.<tag>` (base64url); a fresh 12-byte IV per value (NIST SP 800-38D
 * §8.2.2, random IV construction). The associated data binds a value to its row (the patient id),
 * so a sealed value copied onto another patient does not open.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** A sealed value that does not open: wrong key, tampered or copied to another row. */
export class FieldCipherError extends Error {
  readonly code = 'field_cipher_failed';
  constructor(message: string) {
    super(message);
    this.name = 'FieldCipherError';
  }
}

export class FieldCipher {
  private readonly key: Buffer;

  /** `key`: 32 bytes. */
  constructor(key: Uint8Array) {
    if (key.length !== 32) throw new FieldCipherError(`AES-256-GCM needs a 32-byte key, got ${key.length}`);
    this.key = Buffer.from(key);
  }

  seal(plaintext: string, associatedData: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [
      'v1',
      iv.toString('base64url'),
      body.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
    ].join('.');
  }

  open(sealed: string, associatedData: string): string {
    const parts = sealed.split('.');
    if (parts.length !== 4 || parts[0] !== 'v1') throw new FieldCipherError('not a sealed value');
    const tag = Buffer.from(parts[3]!, 'base64url');
    // GCM accepts tags down to 4 bytes, each checking only that many: insist on the full 16.
    if (tag.length !== 16) throw new FieldCipherError('sealed value does not open with this key');
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
      throw new FieldCipherError('sealed value does not open with this key');
    }
  }
}
