/**
 * The gateway's field cipher: the key file of a data folder, the shared format for new values,
 * and the values it stored before (version byte 1) still open.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FieldCipher as SharedFieldCipher } from '../../../server-contract/crypto/field-cipher.js';
import { FieldCipher, FieldCipherError } from '../../../main/recorder/field-cipher.js';

const key = Uint8Array.from({ length: 32 }, (_, i) => i);
const recordId = '0192a3b4-c5d6-7e8f-8a0b-1c2d3e4f5a6c';
/**
 * Sealed by the gateway before the shared format, with `key` and `recordId` (base64): the previous
 * main/recorder/field-cipher.ts (commit 36b238e), `FieldCipher.forDataDir(dir).seal('{"name":"Ann Example"}', recordId)`.
 */
const STORED_V1 = Buffer.from(
  'AQaZXd56unHL49q1keHDKFvGmf3/SPARgevcOAzIFNc0HTAu02rbHw+PPEqgdJMtcC7c',
  'base64',
);

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function dataDir(withKey?: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), 'pulsewatch-field-key-'));
  dirs.push(dir);
  if (withKey !== undefined) writeFileSync(join(dir, 'field-key'), Buffer.from(withKey).toString('base64'));
  return dir;
}

function codeOf(work: () => unknown): string {
  try {
    work();
  } catch (error) {
    if (error instanceof FieldCipherError) return error.code;
    throw error;
  }
  throw new Error('nothing was thrown');
}

describe('gateway FieldCipher', () => {
  it('creates a 256-bit key readable by the owner only, and reuses it', () => {
    const dir = dataDir();
    const sealed = FieldCipher.forDataDir(dir).seal('secret', recordId);
    const file = join(dir, 'field-key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(file, 'utf8'), 'base64')).toHaveLength(32);
    expect(FieldCipher.forDataDir(dir).open(sealed, recordId)).toBe('secret');
  });

  it('refuses a key file that does not hold 256 bits, naming it', () => {
    const dir = dataDir(new Uint8Array(16));
    expect(() => FieldCipher.forDataDir(dir)).toThrow(/field-key does not hold a 256-bit key/);
  });

  it('writes the shared version-2 format, which the shared cipher opens', () => {
    const sealed = FieldCipher.forDataDir(dataDir(key)).seal('{"name":"Ann Example"}', recordId);
    expect(Buffer.isBuffer(sealed)).toBe(true);
    expect(sealed[0]).toBe(2);
    expect(new SharedFieldCipher(key).open(sealed, recordId)).toBe('{"name":"Ann Example"}');
  });

  it('opens a value it stored in its old version-1 format', () => {
    expect(FieldCipher.forDataDir(dataDir(key)).open(STORED_V1, recordId)).toBe('{"name":"Ann Example"}');
  });

  it('refuses either format moved to another record, altered, or under another key', () => {
    const cipher = FieldCipher.forDataDir(dataDir(key));
    const other = FieldCipher.forDataDir(dataDir());
    for (const sealed of [cipher.seal('secret', recordId), STORED_V1]) {
      expect(codeOf(() => cipher.open(sealed, 'another-record'))).toBe('does_not_open');
      expect(codeOf(() => other.open(sealed, recordId))).toBe('does_not_open');
      const altered = Buffer.from(sealed);
      altered[altered.length - 1]! ^= 1;
      expect(codeOf(() => cipher.open(altered, recordId))).toBe('does_not_open');
    }
  });

  it.each([
    ['empty', Buffer.alloc(0)],
    ['a truncated version 1', STORED_V1.subarray(0, 20)],
    ['version 7', Buffer.concat([Buffer.of(7), STORED_V1.subarray(1)])],
  ])('rejects a sealed value that is %s as an unknown format', (_name, sealed) => {
    expect(codeOf(() => FieldCipher.forDataDir(dataDir(key)).open(sealed, recordId))).toBe('unknown_format');
  });
});
