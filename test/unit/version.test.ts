import { describe, expect, it } from 'vitest';
import { API_VERSION } from '../../server-contract/version.js';

describe('API version', () => {
  it('is a positive integer', () => {
    expect(Number.isInteger(API_VERSION) && API_VERSION > 0).toBe(true);
  });
});
