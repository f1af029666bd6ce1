/**
 * The shared field cipher (server-contract/crypto/field-cipher.ts): layout, binding to the record,
 * and that it is standard AES-256-GCM — checked against Node's own implementation.
 */
import { createCipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  FIELD_CIPHER_OVERHEAD_BYTES,
  FieldCipher,
  FieldCipherError,
} from '../../../server-contract/crypto/field-cipher.js';

const key = Uint8Array.from({ length: 32 }, (_, i) => i);
const recordId = '0192a3b4-c5d6-7e8f-8a0b-1c2d3e4f5a6c';
const identity = '{"name":"Ann Example","phone":"+44 20 7946 0000"}';

function thrown(work: () => unknown): FieldCipherError {
  try {
    work();
  } catch (error) {
    if (error instanceof FieldCipherError) return error;
    throw error;
  }
  throw new Error('nothing was thrown');
}

describe('shared field cipher', () => {
  const cipher = new FieldCipher(key);

  it('round-trips text, including non-ASCII and the empty string, and never shows the plaintext', () => {
    for (const text of [identity, 'Zoë Ørsted, 東京', '']) {
      const sealed = cipher.seal(text, recordId);
      expect(new TextDecoder().decode(sealed)).not.toContain('Ann');
      expect(cipher.open(sealed, recordId)).toBe(text);
    }
  });

  it('writes version 2 | nonce (12) | ciphertext | tag (16), with a fresh nonce each time', () => {
    const a = cipher.seal(identity, recordId);
    const b = cipher.seal(identity, recordId);
    expect(a[0]).toBe(2);
    expect(a.length).toBe(FIELD_CIPHER_OVERHEAD_BYTES + new TextEncoder().encode(identity).length);
    expect(a.subarray(1, 13)).not.toEqual(b.subarray(1, 13));
  });

  it('is AES-256-GCM with the version byte and the record id as associated data (checked with node:crypto)', () => {
    const nonce = Uint8Array.from({ length: 12 }, (_, i) => 0xa0 + i);
    const sealed = new FieldCipher(key, () => nonce.slice()).seal(identity, recordId);
    const reference = createCipheriv('aes-256-gcm', key, nonce);
    reference.setAAD(Buffer.concat([Buffer.of(2), Buffer.from(recordId, 'utf8')]));
    const body = Buffer.concat([reference.update(identity, 'utf8'), reference.final()]);
    expect(Buffer.from(sealed)).toEqual(Buffer.concat([Buffer.of(2), nonce, body, reference.getAuthTag()]));
  });

  it('refuses a value moved to another record, altered anywhere, or opened with another key', () => {
    const sealed = cipher.seal(identity, recordId);
    expect(thrown(() => cipher.open(sealed, 'another-record')).code).toBe('does_not_open');
    for (const at of [1, 12, 13, sealed.length - 17, sealed.length - 1]) {
      const altered = sealed.slice();
      altered[at]! ^= 0x01;
      expect(thrown(() => cipher.open(altered, recordId)).code, `byte ${at}`).toBe('does_not_open');
    }
    expect(thrown(() => new FieldCipher(randomBytes(32)).open(sealed, recordId)).code).toBe('does_not_open');
  });

  it.each([
    ['empty', new Uint8Array(0)],
    ['too short for nonce and tag', Uint8Array.of(2, 1, 2, 3)],
    ['version 1', Uint8Array.of(1, ...new Uint8Array(40))],
    ['version 3', Uint8Array.of(3, ...new Uint8Array(40))],
  ])('rejects a sealed value that is %s as an unknown format', (_name, sealed) => {
    expect(thrown(() => cipher.open(sealed, recordId)).code).toBe('unknown_format');
  });

  it.each([0, 16, 31, 33])('rejects a %i-byte key', (length) => {
    const error = thrown(() => new FieldCipher(new Uint8Array(length)));
    expect(error.code).toBe('bad_key');
    expect(error.message).toMatch(/32-byte/);
  });

  it('keeps its own copy of the key', () => {
    const mutable = key.slice();
    const own = new FieldCipher(mutable);
    const sealed = own.seal(identity, recordId);
    mutable.fill(0);
    expect(own.open(sealed, recordId)).toBe(identity);
  });
});
