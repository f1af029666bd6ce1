import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FieldCipher } from '../../../server/crypto/field-cipher.js';
import { hashPassword, verifyPassword } from '../../../server/crypto/passwords.js';
import { RateLimiter } from '../../../server/http/rate-limit.js';
import { enrollmentCode } from '../../../server/auth/tokens.js';

const cheap = { n: 2 ** 10, r: 8, p: 1 };

describe('passwords', () => {
  it('verifies the right password and rejects a wrong or malformed hash', async () => {
    const hash = await hashPassword('a long enough password', cheap);
    expect(hash).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect(await verifyPassword('a long enough password', hash)).toBe(true);
    expect(await verifyPassword('a long enough passworD', hash)).toBe(false);
    expect(await verifyPassword('x', 'scrypt$1024$8$1$AAAA')).toBe(false);
    expect(await verifyPassword('x', 'plain')).toBe(false);
  });

  it('salts: the same password hashes differently', async () => {
    expect(await hashPassword('same password here', cheap)).not.toBe(
      await hashPassword('same password here', cheap),
    );
  });
});

describe('FieldCipher (AES-256-GCM)', () => {
  const cipher = new FieldCipher(randomBytes(32));

  it('round-trips and never shows the plaintext', () => {
    const sealed = cipher.seal('{"name":"Ann Example"}', 'patient-1');
    expect(sealed).not.toContain('Ann');
    expect(cipher.open(sealed, 'patient-1')).toBe('{"name":"Ann Example"}');
  });

  it('refuses a value moved to another row, tampered with, or opened with another key', () => {
    const sealed = cipher.seal('secret', 'patient-1');
    expect(() => cipher.open(sealed, 'patient-2')).toThrow(/does not open/);
    const parts = sealed.split('.');
    const body = Buffer.from(parts[2]!, 'base64url');
    body[0]! ^= 1;
    expect(() =>
      cipher.open([parts[0], parts[1], body.toString('base64url'), parts[3]].join('.'), 'patient-1'),
    ).toThrow();
    expect(() => new FieldCipher(randomBytes(32)).open(sealed, 'patient-1')).toThrow();
    expect(() => new FieldCipher(randomBytes(16))).toThrow(/32-byte/);
  });
});

describe('FieldCipher tag length', () => {
  it('refuses a value whose authentication tag was cut short (GCM would check only its first bytes)', () => {
    const cipher = new FieldCipher(randomBytes(32));
    const parts = cipher.seal('secret', 'patient-1').split('.');
    for (const bytes of [4, 8, 12, 15]) {
      const short = Buffer.from(parts[3]!, 'base64url').subarray(0, bytes).toString('base64url');
      expect(
        () => cipher.open([parts[0], parts[1], parts[2], short].join('.'), 'patient-1'),
        `${bytes}`,
      ).toThrow(/does not open/);
    }
  });
});

describe('RateLimiter', () => {
  it('allows a burst of perMinute, then refills continuously', () => {
    const clock = { nowMs: 0 };
    const limiter = new RateLimiter(() => clock.nowMs);
    for (let i = 0; i < 3; i++) limiter.take('k', 3);
    expect(() => limiter.take('k', 3)).toThrow(
      expect.objectContaining({ status: 429, code: 'rate_limited' }) as Error,
    );
    limiter.take('other', 3);
    clock.nowMs += 20_000;
    limiter.take('k', 3);
    expect(() => limiter.take('k', 3)).toThrow();
  });
});

describe('enrollment codes', () => {
  it('have the contract format and do not repeat', () => {
    const codes = new Set(Array.from({ length: 200 }, () => enrollmentCode()));
    expect(codes.size).toBe(200);
    for (const c of codes) expect(c).toMatch(/^[A-Z0-9]{4}(-[A-Z0-9]{4}){3}$/);
  });
});
