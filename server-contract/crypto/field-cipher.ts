/**
 * The field cipher both sides use for patient identifying details at rest (name, phone,
 * address): one format, here, so the gateway and the server cannot drift apart.
 *
 * AES-256-GCM (NIST SP 800-38D) from `@noble/ciphers`, with a fresh random 96-bit nonce per value
 * (§8.2.2, the random IV construction; a key must seal fewer than 2^32 values, far beyond one
 * clinic's patients). A sealed value is bytes:
 *
 * ```
 * version (1 byte, = 2) | nonce (12) | ciphertext (as long as the UTF-8 plaintext) | tag (16)
 * ```
 *
 * The associated data is the version byte followed by the UTF-8 of the caller's string — the
 * record id — so a value copied onto another record, or re-labelled as another version, does not
 * open. Version 1 was each side's own earlier format; each side still reads its own (see
 * `main/recorder/field-cipher.ts`, `server/crypto/field-cipher.ts`) and writes this one.
 *
 * Pure and synchronous: no Node APIs (randomness from `crypto.getRandomValues` via `@noble/ciphers`).
 */
import { gcm } from '@noble/ciphers/aes.js';
import { bytesToUtf8, concatBytes, randomBytes, utf8ToBytes } from '@noble/ciphers/utils.js';

/** Format version written by {@link FieldCipher.seal} (the first byte of a sealed value). */
export const FIELD_CIPHER_VERSION = 2;
/** Key length, bytes (AES-256). */
export const FIELD_KEY_BYTES = 32;
/** Nonce length, bytes (96 bits, §8.2.2). */
export const FIELD_NONCE_BYTES = 12;
/** Authentication tag length, bytes (128 bits). */
export const FIELD_TAG_BYTES = 16;
/** Bytes a sealed value adds to its plaintext: version, nonce and tag. */
export const FIELD_CIPHER_OVERHEAD_BYTES = 1 + FIELD_NONCE_BYTES + FIELD_TAG_BYTES;

/** Stable codes of {@link FieldCipherError}. */
export type FieldCipherErrorCode = 'bad_key' | 'unknown_format' | 'does_not_open';

/** A key of the wrong size, or a sealed value that does not open (wrong key, altered, moved, unknown format). */
export class FieldCipherError extends Error {
  readonly code: FieldCipherErrorCode;
  constructor(code: FieldCipherErrorCode, message: string) {
    super(message);
    this.name = 'FieldCipherError';
    this.code = code;
  }
}

/** The version byte of a sealed value, or undefined for an empty one. */
export function sealedVersion(sealed: Uint8Array): number | undefined {
  return sealed[0];
}

/** See the file comment. One instance per key. */
export class FieldCipher {
  private readonly key: Uint8Array;

  /**
   * @param key {@link FIELD_KEY_BYTES} bytes (copied).
   * @param random source of the nonces (default `crypto.getRandomValues`; tests inject a fixed one).
   */
  constructor(
    key: Uint8Array,
    private readonly random: (byteLength: number) => Uint8Array = randomBytes,
  ) {
    if (key.length !== FIELD_KEY_BYTES)
      throw new FieldCipherError(
        'bad_key',
        `AES-256-GCM needs a ${FIELD_KEY_BYTES}-byte key, got ${key.length}`,
      );
    this.key = Uint8Array.from(key);
  }

  /** Encrypts `plaintext` bound to `associatedData` (the record id). */
  seal(plaintext: string, associatedData: string): Uint8Array {
    const nonce = this.random(FIELD_NONCE_BYTES);
    if (nonce.length !== FIELD_NONCE_BYTES)
      throw new RangeError('the nonce source returned the wrong length');
    const sealedBody = gcm(this.key, nonce, aad(associatedData)).encrypt(utf8ToBytes(plaintext));
    return concatBytes(Uint8Array.of(FIELD_CIPHER_VERSION), nonce, sealedBody);
  }

  /** Decrypts a value sealed by {@link seal} with the same key and `associatedData`. */
  open(sealed: Uint8Array, associatedData: string): string {
    if (sealed.length < FIELD_CIPHER_OVERHEAD_BYTES || sealed[0] !== FIELD_CIPHER_VERSION) {
      throw new FieldCipherError(
        'unknown_format',
        `not a version-${FIELD_CIPHER_VERSION} sealed value (${sealed.length} bytes, version byte ${sealed[0] ?? 'none'})`,
      );
    }
    const nonce = sealed.subarray(1, 1 + FIELD_NONCE_BYTES);
    let plaintext: Uint8Array;
    try {
      plaintext = gcm(this.key, nonce, aad(associatedData)).decrypt(sealed.subarray(1 + FIELD_NONCE_BYTES));
    } catch {
      throw new FieldCipherError(
        'does_not_open',
        'sealed value does not open with this key: altered, copied from another record, or sealed with another key',
      );
    }
    return bytesToUtf8(plaintext);
  }
}

function aad(associatedData: string): Uint8Array {
  return concatBytes(Uint8Array.of(FIELD_CIPHER_VERSION), utf8ToBytes(associatedData));
}
