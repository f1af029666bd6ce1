/** fast-check arbitraries for chunks, shared by the codec tests. */
import fc from 'fast-check';
import type { ChunkRecord, Gap, RecordsChunk, SampledChunk } from '../../../server-contract/codec/index.js';

const INT24_MIN = -(2 ** 23);
const INT24_MAX = 2 ** 23 - 1;

export const recordingIdArb = fc
  .uint8Array({ minLength: 16, maxLength: 16 })
  .map((b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(''))
  .map((h) => `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`);

export const streamArb = fc.oneof(
  fc.constantFrom('ecg', 'accel', 'ppg', 'beats', 'measurements', 'events', 'hr', 'battery'),
  fc.stringMatching(/^[a-z][a-z0-9_]{0,31}$/),
);

const safeTimeArb = fc.bigInt(-(2n ** 50n), 2n ** 50n).map(Number);
const textArb = fc
  .string({ minLength: 1, maxLength: 16, unit: 'grapheme' })
  .filter((s) => new TextEncoder().encode(s).length <= 64);

/**
 * One channel's samples: smooth ECG-like walks, walks converted from a coarser unit
 * (round(k × scale), the lattice case), full 24-bit noise, full int32 values, or constants.
 */
function channelArb(n: number): fc.Arbitrary<Int32Array> {
  const walk = fc.array(fc.integer({ min: -300, max: 300 }), { minLength: n, maxLength: n }).map((steps) => {
    const x = new Int32Array(n);
    let v = 0;
    steps.forEach((s, i) => (x[i] = v = Math.max(INT24_MIN, Math.min(INT24_MAX, v + s))));
    return x;
  });
  const values = (min: number, max: number): fc.Arbitrary<Int32Array> =>
    fc.array(fc.integer({ min, max }), { minLength: n, maxLength: n }).map((a) => Int32Array.from(a));
  const constant = fc.integer().map((v) => new Int32Array(n).fill(v));
  const converted = fc
    .tuple(walk, fc.double({ min: 1.5, max: 40, noNaN: true }))
    .map(([k, scale]) => Int32Array.from(k, (v) => Math.round((v / 64) * scale)));
  return fc.oneof(
    walk,
    converted,
    values(INT24_MIN, INT24_MAX),
    values(-(2 ** 31), 2 ** 31 - 1),
    values(-3, 3),
    constant,
  );
}

function gapsArb(n: number): fc.Arbitrary<Gap[]> {
  return fc.uniqueArray(fc.integer({ min: 0, max: n }), { maxLength: 4 }).chain((offsets) =>
    fc.tuple(
      ...offsets
        .sort((a, b) => a - b)
        .map((atSample) =>
          fc.record({
            atSample: fc.constant(atSample),
            lengthSamples: fc.integer({ min: 1, max: 10_000_000 }),
            cause: fc.constantFrom('frames_lost', 'device_disconnected', 'gateway_down'),
          }),
        ),
    ),
  );
}

/** Sampled chunks of the given channel and sample counts. */
export function sampledChunkArbOf(
  size: fc.Arbitrary<{ channelCount: number; sampleCount: number }>,
): fc.Arbitrary<SampledChunk> {
  return size.chain(({ channelCount, sampleCount }) =>
    fc.record({
      header: fc.record({
        kind: fc.constant('sampled' as const),
        recordingId: recordingIdArb,
        stream: streamArb,
        chunkIndex: fc.nat(),
        anchorMs: safeTimeArb,
        firstSampleIndex: fc.maxSafeNat(),
        sampleRateHz: fc.oneof(
          fc.constantFrom(500, 1000, 12.5, 80, 25),
          fc.double({ min: 1e-3, max: 1e6, noNaN: true }),
        ),
        channels: fc.array(
          fc.record({
            name: textArb,
            scale: fc.record({
              unit: fc.constantFrom('nV', 'mg', 'count'),
              perCount: fc.constantFrom(476.84, 1, 0.5, -2),
            }),
          }),
          {
            minLength: channelCount,
            maxLength: channelCount,
          },
        ),
        sampleCount: fc.constant(sampleCount),
        gaps: gapsArb(sampleCount),
      }),
      samples: fc.array(channelArb(sampleCount), { minLength: channelCount, maxLength: channelCount }),
    }),
  );
}

/** Small chunks (≤ 12 × 600 samples: the 12-context path). */
export const sampledChunkArb = sampledChunkArbOf(
  fc.record({
    channelCount: fc.integer({ min: 1, max: 12 }),
    sampleCount: fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 600 })),
  }),
);

/** Chunks of at least SIGN_CONTEXT_MIN_SAMPLES samples (the sign-context path). */
export const largeSampledChunkArb = sampledChunkArbOf(
  fc.record({
    channelCount: fc.integer({ min: 4, max: 5 }),
    sampleCount: fc.integer({ min: 8192, max: 9000 }),
  }),
);

/** JSON-safe record fields (normalised through JSON so -0 and the like are already canonical). */
const fieldsArb = fc
  .dictionary(
    fc.string({ maxLength: 8 }).filter((k) => k !== 'tMs' && k !== '__proto__'),
    fc.jsonValue({ maxDepth: 3 }),
    { maxKeys: 4 },
  )
  .map((f) => JSON.parse(JSON.stringify(f)) as Record<string, unknown>);

export const recordsChunkArb: fc.Arbitrary<RecordsChunk> = fc
  .record({
    recordingId: recordingIdArb,
    stream: streamArb,
    chunkIndex: fc.nat(),
    anchorMs: safeTimeArb,
    records: fc.array(fc.tuple(safeTimeArb, fieldsArb), { maxLength: 30 }),
  })
  .map(({ records, ...rest }) => ({
    header: { kind: 'records' as const, ...rest, recordCount: records.length },
    records: records.map(([tMs, fields]): ChunkRecord => ({ ...fields, tMs })),
  }));

/** Plain-array view of a chunk, for deep equality. */
export function comparable(chunk: SampledChunk | RecordsChunk): unknown {
  return 'samples' in chunk
    ? { header: chunk.header, samples: chunk.samples.map((s) => Array.from(s)) }
    : chunk;
}
