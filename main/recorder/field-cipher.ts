/**
 * Encryption at rest of a patient's identifying details on the gateway: AES-256-GCM with a
 * random 96-bit nonce per value, the record id as associated data (a ciphertext moved to another
 * row does not decrypt), and a key generated once into `<dataDir>/field-key` (mode 0600).
 * Layout of a sealed value: version byte 1 | nonce (12) | tag (16) | ciphertext.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const VERSION = 1;

export class FieldCipher {
  private constructor(private readonly key: Buffer) {}

  /** Loads the key of a data folder, creating it on first use. */
  static forDataDir(dataDir: string): FieldCipher {
    const file = join(dataDir, 'field-key');
    if (!existsSync(file))
      writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new Error(`${file} does not hold a 256-bit key; restore it from the backup`);
    return new FieldCipher(key);
  }

  seal(plaintext: string, recordId: string): Buffer {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce);
    cipher.setAAD(Buffer.from(recordId, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.of(VERSION), nonce, cipher.getAuthTag(), body]);
  }

  /** Opens a sealed value; throws if it was altered, moved to another record, or sealed with another key. */
  open(sealed: Uint8Array, recordId: string): string {
    const bytes = Buffer.from(sealed);
    if (bytes.length < 29 || bytes[0] !== VERSION) throw new Error('sealed value has an unknown format');
    const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(1, 13));
    decipher.setAAD(Buffer.from(recordId, 'utf8'));
    decipher.setAuthTag(bytes.subarray(13, 29));
    return Buffer.concat([decipher.update(bytes.subarray(29)), decipher.final()]).toString('utf8');
  }
}
