import { describe, expect, it } from 'vitest';
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
