/**
 * Encryption at rest of a patient's identifying details and notes on the gateway, in the format
 * both sides share (`server-contract/crypto/field-cipher.ts`: AES-256-GCM, version byte 2, the
 * record id as associated data). Values this gateway stored before the shared format (version
 * byte 1: nonce (12) | tag (16) | ciphertext, the record id alone as associated data) still
 * open; every new value is version 2.
 *
 * The key is generated once. Given a {@link KeyProtector} (the desktop app passes Electron's
 * safeStorage, i.e. the OS keychain), only the protected key is written, to
 * `<dataDir>/field-key.protected`; a plain `field-key` left by an older build is protected and
 * deleted. Without one (edge mode), the key is `<dataDir>/field-key`, mode 0600, readable only by
 * the service user. Key files are written atomically (temp file, fsync, rename).
 */
import { createDecipheriv, randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
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

/** Wraps the field key for storage (e.g. with the OS keychain) and unwraps it again. */
export interface KeyProtector {
  /** Short name for logs and errors, e.g. `electron-safeStorage`. */
  readonly name: string;
  protect(key: Buffer): Promise<Buffer>;
  /** Rejects when the stored bytes cannot be unwrapped (another user, another machine). */
  unprotect(stored: Buffer): Promise<Buffer>;
}

/** Writes `bytes` to `file` (mode 0600) so that a crash leaves the old file or the new one, never half. */
export function writeFileAtomic(file: string, bytes: Buffer | string): void {
  const temp = `${file}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w', 0o600);
  try {
    writeSync(fd, typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
}

function checkKey(key: Buffer, file: string): Buffer {
  if (key.length !== FIELD_KEY_BYTES)
    throw new Error(`${file} does not hold a 256-bit key; restore it from the backup`);
  return key;
}

/** Reads the plain key file, narrowing a mode wider than 0600 first. */
function readPlainKey(file: string): Buffer {
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  return checkKey(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64'), file);
}

function loadPlainKey(dataDir: string): Buffer {
  const plainFile = join(dataDir, 'field-key');
  if (!existsSync(plainFile)) writeFileAtomic(plainFile, randomBytes(FIELD_KEY_BYTES).toString('base64'));
  return readPlainKey(plainFile);
}

async function loadProtectedKey(dataDir: string, protector: KeyProtector): Promise<Buffer> {
  const plainFile = join(dataDir, 'field-key');
  const protectedFile = join(dataDir, 'field-key.protected');
  if (!existsSync(protectedFile)) {
    const key = existsSync(plainFile) ? readPlainKey(plainFile) : randomBytes(FIELD_KEY_BYTES);
    writeFileAtomic(protectedFile, await protector.protect(key));
    if (existsSync(plainFile)) unlinkSync(plainFile);
    return key;
  }
  let key: Buffer;
  try {
    key = await protector.unprotect(readFileSync(protectedFile));
  } catch (error) {
    throw new Error(
      `${protectedFile} cannot be unlocked with ${protector.name} (${(error as Error).message}); ` +
        'it opens only for the user and machine that wrote it',
    );
  }
  return checkKey(key, protectedFile);
}

/** See the file comment. */
export class FieldCipher {
  private readonly shared: SharedFieldCipher;

  /** `key`: 32 bytes. Prefer {@link FieldCipher.forDataDir}. */
  constructor(private readonly key: Uint8Array) {
    this.shared = new SharedFieldCipher(key);
  }

  /** Loads the plain (0600) key file of a data folder, creating it on first use (edge mode). */
  static forDataDir(dataDir: string): FieldCipher {
    return new FieldCipher(loadPlainKey(dataDir));
  }

  /**
   * Loads the key of a data folder wrapped by `protector` (desktop: the OS keychain), creating
   * it on first use; a plain `field-key` of an older build is wrapped and deleted.
   */
  static async protectedInDataDir(dataDir: string, protector: KeyProtector): Promise<FieldCipher> {
    return new FieldCipher(await loadProtectedKey(dataDir, protector));
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
      const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(1, 13), {
        authTagLength: 16,
      });
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
