import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  CHUNK_FORMAT_VERSION,
  chunkSha256Hex,
  decodeChunk,
  encodeChunk,
  sampleRunIndex,
  RecordsChunkSchema,
  SampledChunkHeaderSchema,
  type SampledChunk,
} from '../../../server-contract/codec/index.js';
import { fixtureBytes, fixtureJson } from './chunk-bytes.js';
import { decodeWith, SAMPLE_DECODERS } from './decoders.js';

const SampledJsonSchema = z.object({ header: SampledChunkHeaderSchema, samples: z.array(z.array(z.int())) });

// Pinned: a change here is a change of the byte format and needs a new CHUNK_FORMAT_VERSION.
const ECG_SHA256 = '23490ba50ff41d711256ac0f9aef3d4463440feabcac5378bb887e2d10eec6dc';
const BEATS_SHA256 = '6c1a8c538a3a315e6478f263e609332db988821858470535a4b524bbd69cf750';

describe.each(SAMPLE_DECODERS)('golden chunks from LUDB record 1 (%s decoder)', (decoder) => {
  decodeWith(decoder);
  const ecgJson = SampledJsonSchema.parse(fixtureJson('ludb1-ecg.json'));
  const ecgChunk: SampledChunk = {
    header: ecgJson.header,
    samples: ecgJson.samples.map((s) => Int32Array.from(s)),
  };
  const beatsChunk = RecordsChunkSchema.parse(fixtureJson('ludb1-beats.json'));

  it('is format version 1', () => {
    expect(CHUNK_FORMAT_VERSION).toBe(1);
  });

  it('encodes the ECG fixture to the stored bytes and hash', () => {
    const bytes = encodeChunk(ecgChunk);
    expect(bytes).toEqual(fixtureBytes('ludb1-ecg.chunk'));
    expect(chunkSha256Hex(bytes)).toBe(ECG_SHA256);
  });

  it('decodes the stored ECG chunk to the fixture samples', () => {
    const decoded = decodeChunk(fixtureBytes('ludb1-ecg.chunk')) as SampledChunk;
    expect(decoded.header).toEqual(ecgJson.header);
    expect(decoded.samples.map((s) => Array.from(s))).toEqual(ecgJson.samples);
  });

  it('stores real ECG in well under 16 bits per sample', () => {
    const bits = (fixtureBytes('ludb1-ecg.chunk').length * 8) / (8 * 1000);
    expect(bits).toBeLessThan(6);
  });

  it('places the sample after the recorded gap 25 slots later', () => {
    expect(sampleRunIndex(ecgChunk.header, 599)).toBe(599);
    expect(sampleRunIndex(ecgChunk.header, 600)).toBe(625);
  });

  it('encodes and decodes the beats fixture', () => {
    const bytes = encodeChunk(beatsChunk);
    expect(bytes).toEqual(fixtureBytes('ludb1-beats.chunk'));
    expect(chunkSha256Hex(bytes)).toBe(BEATS_SHA256);
    expect(decodeChunk(bytes)).toEqual(beatsChunk);
  });
});
