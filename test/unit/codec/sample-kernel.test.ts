/**
 * The WebAssembly kernel against the JS reference (server-contract/codec/sample-kernel.ts,
 * sample-decoder.ts): the same samples or the same error code for random valid and corrupted
 * chunks, memory that grows for the largest chunk the codec accepts and is let go afterwards, a
 * kernel that keeps working after corrupt input, and the JS fallback where WebAssembly is missing.
 */
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ChunkDecodeError,
  decodeChunk,
  DecodeLimitsSchema,
  encodeChunk,
  SampleDecodeScratch,
  type SampledChunk,
} from '../../../server-contract/codec/index.js';
import { RETAINED_MEMORY_BYTES } from '../../../server-contract/codec/sample-kernel.js';
import { largeSampledChunkArb, sampledChunkArb } from './arbitraries.js';
import { fixtureBytes } from './chunk-bytes.js';
import { withDecoder, type SampleDecoderName } from './decoders.js';

/** What a decode gives: the samples, or the error's code. */
function outcome(bytes: Uint8Array, decoder: SampleDecoderName): unknown {
  try {
    const chunk = withDecoder(decoder, () => decodeChunk(bytes));
    return 'samples' in chunk ? chunk.samples.map((s) => Array.from(s)) : chunk.records;
  } catch (error) {
    if (!(error instanceof ChunkDecodeError)) throw error;
    return { code: error.code };
  }
}

/** ECG-like chunks (smooth waves plus noise, so the coded form is chosen), 1–8 leads. */
const smoothChunkArb: fc.Arbitrary<SampledChunk> = fc
  .record({
    leads: fc.integer({ min: 1, max: 8 }),
    n: fc.oneof(fc.integer({ min: 1, max: 700 }), fc.integer({ min: 4000, max: 9000 })),
    amplitude: fc.integer({ min: 1, max: 1 << 20 }),
    noise: fc.integer({ min: 0, max: 12 }),
    seed: fc.nat(),
  })
  .map(({ leads, n, amplitude, noise, seed }) => ({
    header: {
      kind: 'sampled',
      recordingId: '019a0000-0000-7000-8000-00000000c0de',
      stream: 'ecg',
      chunkIndex: seed,
      anchorMs: 0,
      firstSampleIndex: 0,
      sampleRateHz: 500,
      channels: Array.from({ length: leads }, (_, c) => ({
        name: `L${c}`,
        scale: { unit: 'nV', perCount: 1 },
      })),
      sampleCount: n,
      gaps: [],
    },
    samples: Array.from({ length: leads }, (_, c) =>
      Int32Array.from({ length: n }, (_, i) => {
        const jitter = (Math.imul(i * 31 + c + seed, 2654435761) >>> (32 - noise)) | 0;
        return Math.round(amplitude * Math.sin(i / (17 + 3 * c))) + (noise === 0 ? 0 : jitter);
      }),
    ),
  }));

const validBytesArb = fc.oneof(
  fc.constantFrom(fixtureBytes('ludb1-ecg.chunk')),
  smoothChunkArb.map(encodeChunk),
  sampledChunkArb.map(encodeChunk),
  largeSampledChunkArb.map(encodeChunk),
);

/** One byte edit at a fraction of the chunk's length. */
interface Edit {
  where: number;
  kind: 'xor' | 'cut' | 'insert' | 'drop';
  value: number;
}

/** Byte edits aimed at the payload (the last 90 % of the chunk, where the coded streams are). */
const corruptionArb: fc.Arbitrary<Edit[]> = fc.array(
  fc.record({
    where: fc.double({ min: 0.1, max: 1, maxExcluded: true, noNaN: true }),
    kind: fc.constantFrom('xor', 'cut', 'insert', 'drop'),
    value: fc.integer({ min: 1, max: 255 }),
  }),
  { minLength: 1, maxLength: 3 },
);

function corrupt(bytes: Uint8Array, edits: Edit[]): Uint8Array {
  let out = Array.from(bytes);
  for (const { where, kind, value } of edits) {
    const at = Math.floor(where * out.length);
    if (kind === 'xor') out[at] = (out[at] ?? 0) ^ value;
    else if (kind === 'cut') out = out.slice(0, at);
    else if (kind === 'insert') out.splice(at, 0, value);
    else out.splice(at, 1);
  }
  return Uint8Array.from(out);
}

describe('the WebAssembly sample kernel', () => {
  it('gives the same samples as the JS reference for random valid chunks', () => {
    fc.assert(
      fc.property(validBytesArb, (bytes) => {
        const js = outcome(bytes, 'js');
        expect(js).not.toHaveProperty('code');
        expect(outcome(bytes, 'wasm')).toEqual(js);
      }),
      { numRuns: 60 },
    );
  });

  it('gives the same samples or the same error code as the JS reference for corrupted chunks', () => {
    fc.assert(
      fc.property(validBytesArb, corruptionArb, (bytes, edits) => {
        const bad = corrupt(bytes, edits);
        expect(outcome(bad, 'wasm')).toEqual(outcome(bad, 'js'));
      }),
      { numRuns: 400 },
    );
  });

  it('grows its memory for the largest chunk the codec accepts, then lets it go', () => {
    const { maxSamples } = DecodeLimitsSchema.parse({});
    const n = maxSamples;
    const samples = [
      Int32Array.from({ length: n }, (_, i) => Math.round(3000 * Math.sin(i / 40)) + ((i * 7919) % 5)),
    ];
    const chunk: SampledChunk = {
      header: { ...smoothHeader(1), sampleCount: n },
      samples,
    };
    const bytes = encodeChunk(chunk);
    const scratch = new SampleDecodeScratch();
    const decoded = withDecoder('wasm', () => decodeChunk(bytes, undefined, scratch));
    expect('samples' in decoded && decoded.samples[0]!.every((v, i) => v === samples[0]![i])).toBe(true);
    // Decoded in the kernel's memory (the samples are a view of it), grown for 12 bytes per sample.
    expect('samples' in decoded && decoded.samples[0]!.buffer.byteLength).toBeGreaterThan(12 * n);
    // 12 bytes per sample (residuals and output) is far past what a scratch keeps between chunks.
    expect(scratch.kernelMemoryBytes).toBe(0);
    const small = encodeChunk({ header: smoothHeader(2), samples: [samples[0]!.slice(0, 5000)] });
    const again = withDecoder('wasm', () => decodeChunk(small, undefined, scratch));
    expect('samples' in again && Array.from(again.samples[0]!)).toEqual(
      Array.from(samples[0]!.slice(0, 5000)),
    );
    expect(scratch.kernelMemoryBytes).toBeGreaterThan(0);
    expect(scratch.kernelMemoryBytes).toBeLessThanOrEqual(RETAINED_MEMORY_BYTES);
  });

  it('decodes correctly after every kind of corrupt input, through one scratch', () => {
    const scratch = new SampleDecodeScratch();
    const good = fc.sample(smoothChunkArb, { numRuns: 6, seed: 11 }).map(encodeChunk);
    fc.assert(
      fc.property(fc.constantFrom(...good), corruptionArb, fc.constantFrom(...good), (a, edits, b) => {
        const bad = corrupt(a, edits);
        withDecoder('wasm', () => {
          try {
            decodeChunk(bad, undefined, scratch);
          } catch (error) {
            expect(error).toBeInstanceOf(ChunkDecodeError);
          }
          const next = decodeChunk(b, undefined, scratch);
          expect('samples' in next && next.samples.map((s) => Array.from(s))).toEqual(outcome(b, 'js'));
        });
      }),
      { numRuns: 100 },
    );
  });

  it('falls back to the JS decoder in a process without WebAssembly', () => {
    const script = [
      "const codec = await import('./server-contract/codec/index.ts');",
      "const { readFileSync } = await import('node:fs');",
      "const bytes = readFileSync('test/fixtures/codec/ludb1-ecg.chunk');",
      'const chunk = codec.decodeChunk(new Uint8Array(bytes));',
      'const sum = chunk.samples.reduce((s, x) => s + x.reduce((a, v) => a + v, 0), 0);',
      'console.log(JSON.stringify({ wasm: typeof WebAssembly, decoder: codec.sampleDecoderInUse(), sum }));',
    ].join('\n');
    const out = execFileSync(
      process.execPath,
      ['--no-expose-wasm', '--import', 'tsx', '--input-type=module', '-e', script],
      { encoding: 'utf8' },
    );
    const decoded = decodeChunk(fixtureBytes('ludb1-ecg.chunk'));
    const sum =
      'samples' in decoded ? decoded.samples.reduce((s, x) => s + x.reduce((a, v) => a + v, 0), 0) : 0;
    expect(JSON.parse(out.trim())).toEqual({ wasm: 'undefined', decoder: 'js', sum });
  });
});

function smoothHeader(chunkIndex: number): SampledChunk['header'] {
  return {
    kind: 'sampled',
    recordingId: '019a0000-0000-7000-8000-00000000c0de',
    stream: 'ecg',
    chunkIndex,
    anchorMs: 0,
    firstSampleIndex: 0,
    sampleRateHz: 500,
    channels: [{ name: 'I', scale: { unit: 'nV', perCount: 1 } }],
    sampleCount: 5000,
    gaps: [],
  };
}
