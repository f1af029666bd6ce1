import { describe, expect, it } from 'vitest';
import {
  EXPORT_LEAD_DIVISORS,
  LeadLayoutError,
  checkAcquiredLeads,
  deriveExportLeads,
} from '../../../server-contract/formats/ecg-leads.js';

describe('deriveExportLeads', () => {
  it('derives the 12 leads as integers whose scaled values are Einthoven and Goldberger exactly', () => {
    const acquired = [
      Int32Array.of(3, -7),
      Int32Array.of(10, 5),
      ...[0, 1, 2, 3, 4, 5].map((v) => Int32Array.of(v, -v)),
    ];
    const out = Array.from({ length: 12 }, () => new Int32Array(2));
    deriveExportLeads(acquired, 0, 2, out);
    for (let k = 0; k < 2; k++) {
      const i = acquired[0]![k]!;
      const ii = acquired[1]![k]!;
      const physical = out.map((lead, l) => lead[k]! / EXPORT_LEAD_DIVISORS[l]!);
      expect(physical.slice(0, 6)).toEqual([i, ii, ii - i, -(i + ii) / 2, i - ii / 2, ii - i / 2]);
      expect(physical.slice(6)).toEqual([0, 1, 2, 3, 4, 5].map((v) => (k === 0 ? v : 0 - v) || 0));
      expect(out.every((lead) => Number.isInteger(lead[k]))).toBe(true);
    }
  });

  it('refuses channels that are not the unit’s 8 in wire order', () => {
    expect(() => checkAcquiredLeads(['I', 'II', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'])).not.toThrow();
    expect(() => checkAcquiredLeads(['II', 'I', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'])).toThrow(
      LeadLayoutError,
    );
    expect(() => deriveExportLeads([Int32Array.of(1)], 0, 1, [])).toThrow(LeadLayoutError);
  });
});
