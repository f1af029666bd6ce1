/**
 * Encryption at rest of a patient's identifying details and notes on the gateway: AES-256-GCM with
 * a random 96-bit nonce per value and the record id as associated data (a ciphertext moved to
 * another row does not decrypt). Layout of a sealed value: version byte 1 | nonce (12) | tag (16) |
 * ciphertext.
 *
 * The key is generated once. Given a {@link KeyProtector} (the desktop app passes Electron's
 * safeStorage, i.e. the OS keychain), only the protected key is written, to
 * `<dataDir>/field-key.protected`; a plain `field-key` left by an older build is protected and
 * deleted. Without one (edge mode), the key is `<dataDir>/field-key`, mode 0600, readable only by
 * the service user. Key files are written atomically (temp file, fsync, rename).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
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

const VERSION = 1;

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
  if (key.length !== 32) throw new Error(`${file} does not hold a 256-bit key; restore it from the backup`);
  return key;
}

/** Reads the plain key file, narrowing a mode wider than 0600 first. */
function readPlainKey(file: string): Buffer {
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  return checkKey(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64'), file);
}

function loadPlainKey(dataDir: string): Buffer {
  const plainFile = join(dataDir, 'field-key');
  if (!existsSync(plainFile)) writeFileAtomic(plainFile, randomBytes(32).toString('base64'));
  return readPlainKey(plainFile);
}

async function loadProtectedKey(dataDir: string, protector: KeyProtector): Promise<Buffer> {
  const plainFile = join(dataDir, 'field-key');
  const protectedFile = join(dataDir, 'field-key.protected');
  if (!existsSync(protectedFile)) {
    const key = existsSync(plainFile) ? readPlainKey(plainFile) : randomBytes(32);
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

export class FieldCipher {
  private constructor(private readonly key: Buffer) {}

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
    const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(1, 13), { authTagLength: 16 });
    decipher.setAAD(Buffer.from(recordId, 'utf8'));
    decipher.setAuthTag(bytes.subarray(13, 29));
    return Buffer.concat([decipher.update(bytes.subarray(29)), decipher.final()]).toString('utf8');
  }
}
