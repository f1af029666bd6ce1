/**
 * hr chunks are expanded without zod when every record plainly fits HrRecordSchema
 * (`plainHrRows` in server/ingest/expand.ts, the schema's rules copied for speed). This property
 * keeps the copy honest if either side changes: the rows are the schema's exactly, and a chunk is
 * refused exactly when the schema refuses one of its records.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HrRecordSchema } from '../../../server-contract/api/index.js';
import type { RecordsChunk } from '../../../server-contract/codec/index.js';
import { expandChunk } from '../../../server/ingest/expand.js';

const mostly = <T>(valid: fc.Arbitrary<T>, edgy: fc.Arbitrary<T>): fc.Arbitrary<T> =>
  fc.oneof({ arbitrary: valid, weight: 30 }, { arbitrary: edgy, weight: 1 });

const oddValue = fc.oneof(
  fc.constantFrom(
    -1,
    0,
    1,
    100,
    101,
    249,
    250,
    1.5,
    -0,
    Number.NaN,
    2 ** 50,
    2 ** 50 + 2,
    2 ** 53,
    '80',
    null,
    true,
  ),
  fc.double(),
);

const recordArb: fc.Arbitrary<unknown> = mostly(
  fc.record({
    tMs: fc.integer({ min: 0, max: 2 ** 31 }).map((v) => v * 1000),
    bpm: fc.integer({ min: 1, max: 249 }),
    confidence: fc.integer({ min: 0, max: 100 }),
  }),
  fc.oneof(
    fc.record({ tMs: oddValue, bpm: oddValue, confidence: oddValue }),
    fc.record({ tMs: fc.nat(), bpm: fc.constant(60) }),
    fc.record({ tMs: fc.nat(), bpm: fc.constant(60), confidence: fc.constant(9), extra: fc.constant(1) }),
    fc.record({ tMs: fc.nat(), bpm: fc.constant(60), extra: fc.constant(9) }),
  ),
);

function hrChunk(records: unknown[]): RecordsChunk {
  return {
    header: {
      kind: 'records',
      recordingId: '01890000-0000-7000-8000-000000000000',
      stream: 'hr',
      chunkIndex: 0,
      anchorMs: 0,
      recordCount: records.length,
    },
    records: records as RecordsChunk['records'],
  };
}

describe('hr rows without the schema', () => {
  it('are the schema’s rows, and a chunk is refused exactly when the schema refuses a record', () => {
    let stored = 0;
    let refused = 0;
    fc.assert(
      fc.property(fc.array(recordArb, { minLength: 1, maxLength: 60 }), (records) => {
        const parsed = records.map((r) => HrRecordSchema.safeParse(r));
        let rows: unknown;
        try {
          rows = expandChunk('hr', hrChunk(records)).rows.hr;
        } catch (error) {
          refused++;
          expect(
            parsed.some((p) => !p.success),
            String(error),
          ).toBe(true);
          return;
        }
        stored++;
        expect(parsed.every((p) => p.success)).toBe(true);
        expect(rows).toEqual(parsed.map((p) => p.data));
      }),
      { numRuns: 3000, seed: 20261205 },
    );
    expect(stored).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(100);
  });
});
