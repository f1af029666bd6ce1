/**
 * readHeader accepts a header that plainly meets ChunkHeaderSchema without running the schema
 * (`headerOk` in server-contract/codec/header.ts, a copy of the schema's rules for speed). These
 * properties keep that copy honest if either side changes: whatever readHeader accepts, the
 * schema accepts unchanged, and whatever the schema accepts, readHeader accepts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteReader, ByteWriter } from '../../../server-contract/codec/byte-io.js';
import { ChunkDecodeError } from '../../../server-contract/codec/errors.js';
import { readHeader, writeHeader } from '../../../server-contract/codec/header.js';
import { ChunkHeaderSchema, DecodeLimitsSchema, MAX_TIME_MS } from '../../../server-contract/codec/schema.js';
import type { ChunkHeader } from '../../../server-contract/codec/index.js';
import { recordingIdArb } from './arbitraries.js';

const LIMITS = DecodeLimitsSchema.parse({});

/** Mostly `valid`, now and then `edgy` (values at and across the schema's bounds). */
const mostly = <T>(valid: fc.Arbitrary<T>, edgy: fc.Arbitrary<T>): fc.Arbitrary<T> =>
  fc.oneof({ arbitrary: valid, weight: 12 }, { arbitrary: edgy, weight: 1 });

/** Integers at, and one across, each bound the schema names, and some far outside. */
const edgyInt = (bounds: number[]): fc.Arbitrary<number> =>
  fc.oneof(
    fc.constantFrom(...bounds.flatMap((b) => [b - 1, b, b + 1])),
    fc.bigInt(-(2n ** 52n), 2n ** 52n).map(Number),
  );

/** Texts: plain ASCII, multi-byte, a lone surrogate, empty, and right around 64 UTF-8 bytes. */
const textArb: fc.Arbitrary<string> = mostly(
  fc.constantFrom(
    'I',
    'nV',
    'frames_lost',
    '\u00b5V',
    'x'.repeat(64),
    'é'.repeat(32),
    '\u{1F600}'.repeat(16),
  ),
  fc.oneof(
    fc.constantFrom(
      '',
      'a\ud800b',
      '\udc00',
      'x'.repeat(65),
      'é'.repeat(33),
      '\u{1F600}'.repeat(17),
      '\u0007bell',
    ),
    fc.string({ maxLength: 70, unit: 'binary' }),
  ),
);

const positiveArb = mostly(
  fc.constantFrom(12.5, 80, 500, 1e9, 476.84, 1e-300),
  fc.oneof(fc.constantFrom(0, -1, 1e9 + 1, Number.NaN, Number.POSITIVE_INFINITY, -0), fc.double()),
);

const common = {
  recordingId: recordingIdArb,
  stream: mostly(
    fc.stringMatching(/^[a-z][a-z0-9_]{0,31}$/),
    fc.constantFrom('Ecg', '1ecg', 'e'.repeat(33), 'ecg-1', '', 'é'),
  ),
  chunkIndex: mostly(fc.integer({ min: 0, max: 2 ** 32 - 1 }), edgyInt([0, 2 ** 32 - 1])),
  anchorMs: mostly(
    fc.integer({ min: -(2 ** 31), max: 2 ** 31 }).map((v) => v * 2 ** 19),
    edgyInt([-MAX_TIME_MS, MAX_TIME_MS]),
  ),
};

const gapsArb = (sampleCount: number) =>
  mostly(
    fc
      .uniqueArray(fc.integer({ min: 0, max: sampleCount }), { maxLength: 3 })
      .map((at) => at.sort((a, b) => a - b)),
    fc.array(fc.integer({ min: 0, max: sampleCount + 2 }), { maxLength: 3 }),
  ).chain((offsets) =>
    fc.tuple(
      ...offsets.map((atSample) =>
        fc.record({
          atSample: fc.constant(atSample),
          lengthSamples: mostly(
            fc.integer({ min: 1, max: 10_000_000 }),
            edgyInt([1, Number.MAX_SAFE_INTEGER]),
          ),
          cause: textArb,
        }),
      ),
    ),
  );

const sampledArb: fc.Arbitrary<ChunkHeader> = fc.integer({ min: 0, max: 20 }).chain((sampleCount) =>
  fc.record({
    kind: fc.constant('sampled' as const),
    ...common,
    firstSampleIndex: mostly(fc.nat(), edgyInt([0, Number.MAX_SAFE_INTEGER])),
    sampleRateHz: positiveArb,
    channels: fc.array(
      fc.record({
        name: textArb,
        scale: fc.record({
          unit: textArb,
          perCount: fc.oneof(
            positiveArb,
            positiveArb.map((v) => -v),
          ),
        }),
      }),
      { minLength: 0, maxLength: 3 },
    ),
    sampleCount: fc.constant(sampleCount),
    gaps: gapsArb(sampleCount),
  }),
);

const recordsArb: fc.Arbitrary<ChunkHeader> = fc.record({
  kind: fc.constant('records' as const),
  ...common,
  recordCount: fc.integer({ min: 0, max: 50 }),
});

/**
 * The bytes of `header` as the encoder would write it, then zeros standing for the body (so a
 * count is never refused for want of bytes); null where the writer cannot (a negative varuint).
 */
function bytesOf(header: ChunkHeader): Uint8Array | null {
  const out = new ByteWriter();
  try {
    writeHeader(header, out);
  } catch {
    return null;
  }
  out.bytes(new Uint8Array(256));
  return out.finish();
}

function read(bytes: Uint8Array): ChunkHeader | ChunkDecodeError {
  try {
    return readHeader(new ByteReader(bytes), LIMITS);
  } catch (error) {
    if (error instanceof ChunkDecodeError) return error;
    throw error;
  }
}

describe('readHeader without the schema', () => {
  it.each([
    ['sampled', sampledArb],
    ['records', recordsArb],
  ])('accepts a %s header exactly when ChunkHeaderSchema does', (_, arb) => {
    let accepted = 0;
    let refused = 0;
    fc.assert(
      fc.property(arb, (header) => {
        const bytes = bytesOf(header);
        if (bytes === null) return;
        const result = read(bytes);
        if (result instanceof ChunkDecodeError) {
          refused++;
          // Refused: the schema refuses what was written too (a written header reads back as itself).
          expect(ChunkHeaderSchema.safeParse(header).success, result.message).toBe(false);
          return;
        }
        accepted++;
        const parsed = ChunkHeaderSchema.safeParse(result);
        expect(parsed.success).toBe(true);
        expect(parsed.data).toEqual(result);
      }),
      { numRuns: 4000, seed: 20261205 },
    );
    // Both answers were exercised, so neither side can pass by always saying the same thing.
    expect(accepted).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(100);
  });
});
