/**
 * The server's field cipher: writes the shared format as text (`v2.<base64url>`), and still opens
 * the values it stored before (`v1.<iv>.<ciphertext>.<tag>`).
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FieldCipher as SharedFieldCipher } from '../../../server-contract/crypto/field-cipher.js';
import { FieldCipher, FieldCipherError } from '../../../server/crypto/field-cipher.js';

const key = Uint8Array.from({ length: 32 }, (_, i) => i);
const patientId = '0192a3b4-c5d6-7e8f-8a0b-1c2d3e4f5a6c';
/**
 * Sealed by the server before the shared format, with `key` and `patientId`: the previous
 * server/crypto/field-cipher.ts (commit 36b238e), `new FieldCipher(key).seal('{"name":"Ann Example"}', patientId)`.
 */
const STORED_V1 = 'v1.HX4Ly6l9FKe4sCg7.Vdzq_dBUg2czBYo6K1XSJ4OG5Ld9CA.VpwRjvknGNmVMa2-iby3YQ';

function codeOf(work: () => unknown): string {
  try {
    work();
  } catch (error) {
    if (error instanceof FieldCipherError) return error.code;
    throw error;
  }
  throw new Error('nothing was thrown');
}

describe('server FieldCipher', () => {
  const cipher = new FieldCipher(key);

  it('writes the shared format as v2.<base64url> text that the shared cipher opens', () => {
    const sealed = cipher.seal('{"name":"Ann Example"}', patientId);
    expect(sealed).toMatch(/^v2\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain('Ann');
    const bytes = Buffer.from(sealed.slice(3), 'base64url');
    expect(new SharedFieldCipher(key).open(bytes, patientId)).toBe('{"name":"Ann Example"}');
    expect(cipher.open(sealed, patientId)).toBe('{"name":"Ann Example"}');
  });

  it('opens a value it stored in the old v1 format', () => {
    expect(cipher.open(STORED_V1, patientId)).toBe('{"name":"Ann Example"}');
  });

  it('refuses either format moved to another patient, altered, or under another key', () => {
    const sealed = cipher.seal('secret', patientId);
    const other = new FieldCipher(randomBytes(32));
    for (const value of [sealed, STORED_V1]) {
      expect(codeOf(() => cipher.open(value, 'patient-2'))).toBe('does_not_open');
      expect(codeOf(() => other.open(value, patientId))).toBe('does_not_open');
    }
    const bytes = Buffer.from(sealed.slice(3), 'base64url');
    bytes[20]! ^= 1;
    expect(codeOf(() => cipher.open(`v2.${bytes.toString('base64url')}`, patientId))).toBe('does_not_open');
    const parts = STORED_V1.split('.');
    const body = Buffer.from(parts[2]!, 'base64url');
    body[0]! ^= 1;
    const alteredV1 = [parts[0], parts[1], body.toString('base64url'), parts[3]].join('.');
    expect(codeOf(() => cipher.open(alteredV1, patientId))).toBe('does_not_open');
  });

  it.each(['', 'plain text', 'v3.AAAA', 'v2.', 'v2.not base64!', 'v1.only.three'])(
    'rejects %j as not a sealed value',
    (value) => {
      expect(codeOf(() => cipher.open(value, patientId))).toBe('unknown_format');
    },
  );

  it('refuses an old v1 value whose authentication tag was cut short (GCM would check only its first bytes)', () => {
    const parts = STORED_V1.split('.');
    for (const bytes of [4, 8, 12, 15]) {
      const short = Buffer.from(parts[3]!, 'base64url').subarray(0, bytes).toString('base64url');
      expect(
        codeOf(() => cipher.open([parts[0], parts[1], parts[2], short].join('.'), patientId)),
        `${bytes}`,
      ).toBe('does_not_open');
    }
  });

  it('rejects a key that is not 32 bytes', () => {
    expect(() => new FieldCipher(randomBytes(16))).toThrow(/32-byte/);
  });
});
