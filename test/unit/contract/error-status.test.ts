import { describe, expect, it } from 'vitest';
import { ERROR_STATUS, ErrorCodeSchema } from '../../../server-contract/api/index.js';

describe('ERROR_STATUS', () => {
  it('names a status and a one-line meaning for every error code, and nothing else', () => {
    expect(Object.keys(ERROR_STATUS).sort()).toEqual([...ErrorCodeSchema.options].sort());
    for (const [code, { status, meaning }] of Object.entries(ERROR_STATUS)) {
      expect(Number.isInteger(status) && status >= 400 && status <= 599, code).toBe(true);
      expect(meaning, code).toMatch(/^[^\n]{10,100}$/);
    }
  });

  it('gives server faults a 5xx and client mistakes a 4xx', () => {
    expect(ERROR_STATUS.internal.status).toBe(500);
    expect(ERROR_STATUS.unavailable.status).toBe(503);
    const clientSide = ErrorCodeSchema.options.filter((c) => c !== 'internal' && c !== 'unavailable');
    for (const code of clientSide) expect(ERROR_STATUS[code].status, code).toBeLessThan(500);
  });
});
