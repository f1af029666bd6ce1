import { describe, expect, it } from 'vitest';
import { measurementObservations, NUMERIC_CODES } from '../../../server/export/fhir-codes.js';
import { numericEntriesText, numericTemplates } from '../../../server/export/fhir-numeric.js';
import type { MeasurementRow } from '../../../server/store/store.js';

const SUBJECT = 'urn:uuid:0190a0b0-0000-7000-8000-000000000001';
const DEVICE = 'urn:uuid:0190a0b0-0000-7000-8000-000000000002';
const TAG = { tag: [{ system: 'https://pulsewatch.example.org/fhir/CodeSystem/tags', code: 'simulated' }] };

function row(tMs: number, data: Record<string, unknown>): MeasurementRow {
  return { tMs, data };
}

/** What the export wrote before the templates: one JSON.stringify per Observation entry. */
function stringified(r: MeasurementRow, meta: typeof TAG | undefined, ids: string[]): string {
  return measurementObservations(r, SUBJECT, DEVICE)
    .map((o, i) => `,${JSON.stringify({ fullUrl: `urn:uuid:${ids[i]}`, resource: { ...o, meta } })}`)
    .join('');
}

describe('FHIR numeric Observations from templates', () => {
  const full = Object.fromEntries(NUMERIC_CODES.map((c, i) => [c.field, 40 + i * 37.25]));
  const rows = [
    row(Date.UTC(2026, 0, 5, 8, 0, 2), { windowMs: 10_000, ...full }),
    row(Date.UTC(2026, 0, 5, 8, 0, 4, 500), { ...full, heartRateBpm: -0, prMs: 1e21, qtMs: 0.1 + 0.2 }),
    row(Date.UTC(2026, 0, 5, 8, 0, 6), { windowMs: 'x', heartRateBpm: 71, qrsMs: null, sdnnMs: NaN }),
    row(Date.UTC(2026, 0, 5, 8, 0, 8), { windowMs: 5_000, prMs: Infinity }),
  ];
  for (const meta of [undefined, TAG]) {
    it(`writes the same JSON as stringifying each Observation (${meta ? 'simulated' : 'not simulated'})`, () => {
      const templates = numericTemplates(SUBJECT, DEVICE, meta);
      for (const r of rows) {
        const ids: string[] = [];
        let n = 0;
        const text = numericEntriesText(templates, r, () => {
          const id = `0190a0b0-0000-7000-8000-${String(++n).padStart(12, '0')}`;
          ids.push(id);
          return id;
        });
        expect(text).toBe(stringified(r, meta, ids));
      }
    });
  }
});
