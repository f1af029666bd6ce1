import { describe, expect, it } from 'vitest';
import { ByteWriter } from '../../../server-contract/codec/byte-io.js';
import {
  ChunkDecodeError,
  decodeChunk,
  decodeChunkHeader,
  type ChunkDecodeErrorCode,
  type DecodeLimits,
} from '../../../server-contract/codec/index.js';
import { CONTEXT_COUNT } from '../../../server-contract/codec/rans-tables.js';
import { encodeCodedSamples } from '../../../server-contract/codec/sample-coder.js';
import { encodePackedSamples } from '../../../server-contract/codec/sample-packing.js';
import {
  ecgHeaderFields,
  f64,
  fixtureBytes,
  fixtureJson,
  join,
  recordsChunk,
  str,
  varint,
  varuint,
  type Bytes,
} from './chunk-bytes.js';
import { decodeWith, SAMPLE_DECODERS } from './decoders.js';

const ecg = fixtureBytes('ludb1-ecg.chunk');
const beats = fixtureBytes('ludb1-beats.chunk');
const headerLength = join(ecgHeaderFields()).length;
const payload = ecg.subarray(headerLength);
const ecgSamples = (fixtureJson('ludb1-ecg.json') as { samples: number[][] }).samples.map((s) =>
  Int32Array.from(s),
);

/** Positions of the coded payload's parts: tables, rANS stream, raw-bit stream. */
function codedLayout(p: Uint8Array): {
  ransLengthAt: number;
  ransAt: number;
  ransLength: number;
  rawLengthAt: number;
  rawAt: number;
  rawLength: number;
  tablesAt: number;
} {
  let at = 8 + 1; // eight lattice flags (none), the mode byte
  const readVaruint = (): number => {
    let value = 0;
    let scale = 1;
    for (;;) {
      const b = p[at++]!;
      value += (b & 127) * scale;
      scale *= 128;
      if (b < 128) return value;
    }
  };
  const tablesAt = at;
  for (let c = 0; c < CONTEXT_COUNT; c++) {
    const used = readVaruint();
    for (let s = 0; s < used; s++) readVaruint();
  }
  const ransLengthAt = at;
  const ransLength = readVaruint();
  const ransAt = at;
  at += ransLength;
  const rawLengthAt = at;
  const rawLength = readVaruint();
  return { tablesAt, ransLengthAt, ransAt, ransLength, rawLengthAt, rawAt: at, rawLength };
}

const layout = codedLayout(payload);

function withHeader(overrides: Record<string, Bytes>, rest: Bytes | Uint8Array = payload): Uint8Array {
  return join({ ...ecgHeaderFields(), ...overrides }, rest);
}

function patched(bytes: Uint8Array, at: number, change: (b: number) => number): Uint8Array {
  const copy = bytes.slice();
  copy[at] = change(copy[at]!);
  return copy;
}

/** A samples payload: `channels` lattice flags of 0 (none), the mode byte, then what `write` writes. */
function payloadWith(channels: number, mode: number, write: (w: ByteWriter) => void): Uint8Array {
  const w = new ByteWriter();
  for (let c = 0; c < channels; c++) w.u8(0);
  w.u8(mode);
  write(w);
  return w.finish();
}

function decodeError(bytes: Uint8Array, limits?: DecodeLimits): ChunkDecodeError {
  try {
    decodeChunk(bytes, limits);
  } catch (error) {
    if (error instanceof ChunkDecodeError) return error;
    throw new Error(`expected ChunkDecodeError, got ${String(error)}`);
  }
  throw new Error('expected decodeChunk to throw');
}

const noise = [Int32Array.from({ length: 400 }, (_, i) => (Math.imul(i + 1, 2654435761) >> 8) | 0)];
const noiseHeader = {
  channels: [1, ...str('x'), ...str('count'), ...f64(1)],
  sampleCount: varuint(400),
  gaps: varuint(0),
};

const cases: [string, Uint8Array, ChunkDecodeErrorCode, DecodeLimits?][] = [
  ['an empty input', new Uint8Array(0), 'truncated'],
  ['a wrong magic', withHeader({ magic: [0x50, 0x57, 0x43, 0x58] }), 'bad_magic'],
  ['a short input that is not a chunk', Uint8Array.of(0x7b, 0x22), 'bad_magic'],
  ['format version 0', withHeader({ version: [0] }), 'unsupported_version'],
  ['format version 2', withHeader({ version: [2] }), 'unsupported_version'],
  ['an unknown kind', withHeader({ kind: [3] }), 'invalid_header'],
  ['an upper-case stream name', withHeader({ stream: str('ECG') }), 'invalid_header'],
  ['an absurd stream-name length', withHeader({ stream: varuint(2 ** 40) }), 'too_large'],
  ['invalid UTF-8 in the stream name', withHeader({ stream: str([0x65, 0xff]) }), 'corrupt'],
  [
    'an over-long UTF-8 form in a channel name',
    withHeader({ channels: [1, ...str([0xc0, 0x80]), ...str('nV'), ...f64(1)] }),
    'corrupt',
  ],
  ['an over-long varint', withHeader({ chunkIndex: [0x81, 0x00] }), 'corrupt'],
  [
    'a varint beyond 2^53',
    withHeader({ chunkIndex: [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f] }),
    'corrupt',
  ],
  ['a chunk index beyond 2^32', withHeader({ chunkIndex: varuint(2 ** 32) }), 'invalid_header'],
  ['an anchor time beyond 2^50 ms', withHeader({ anchorMs: varint(2 ** 51) }), 'invalid_header'],
  ['zero channels', withHeader({ channels: [0] }), 'invalid_header'],
  ['a NaN sample rate', withHeader({ sampleRateHz: f64(NaN) }), 'invalid_header'],
  ['a negative sample rate', withHeader({ sampleRateHz: f64(-500) }), 'invalid_header'],
  [
    'an infinite channel scale',
    withHeader({ channels: [1, ...str('I'), ...str('nV'), ...f64(Infinity)] }),
    'invalid_header',
  ],
  ['an absurd sample count', withHeader({ sampleCount: varuint(2 ** 40) }), 'too_large'],
  ['more samples than the caller allows', ecg, 'too_large', { maxSamples: 7999 }],
  ['more bytes than the caller allows', ecg, 'too_large', { maxBytes: 1000 }],
  ['one sample more than the payload holds', withHeader({ sampleCount: varuint(1001) }), 'corrupt'],
  ['one sample fewer than the payload holds', withHeader({ sampleCount: varuint(999) }), 'corrupt'],
  ['more gaps than sample slots', withHeader({ gaps: varuint(1002) }), 'invalid_header'],
  ['a gap list longer than the input', withHeader({ gaps: varuint(1001) }, []), 'truncated'],
  [
    'unsorted gaps',
    withHeader({ gaps: [2, ...varuint(600), 1, ...str('x'), ...varuint(5), 1, ...str('x')] }),
    'invalid_header',
  ],
  ['a zero-length gap', withHeader({ gaps: [1, ...varuint(600), 0, ...str('x')] }), 'invalid_header'],
  [
    'a gap beyond the last sample',
    withHeader({ gaps: [1, ...varuint(1001), 1, ...str('x')] }),
    'invalid_header',
  ],
  ['trailing garbage', Uint8Array.from([...ecg, 0]), 'trailing_bytes'],
  [
    'an unknown sample coding mode',
    withHeader({}, [...payload.subarray(0, 8), 0, ...payload.subarray(9)]),
    'corrupt',
  ],
  ['an unknown lattice flag', withHeader({}, [2, ...payload.subarray(1)]), 'corrupt'],
  ['a lattice the samples do not have', withHeader({}, [1, ...f64(3.3), ...payload.subarray(1)]), 'corrupt'],
  [
    'a flipped bit in the frequency tables',
    patched(ecg, headerLength + layout.tablesAt + 1, (b) => b ^ 1),
    'corrupt',
  ],
  [
    'a flipped bit in the rANS stream',
    patched(ecg, headerLength + layout.ransAt + 100, (b) => b ^ 16),
    'corrupt',
  ],
  [
    'a rANS stream length beyond the input',
    withHeader({}, [...payload.subarray(0, layout.ransLengthAt), ...varuint(2 ** 40)]),
    'truncated',
  ],
  [
    'a raw-bit stream one byte short',
    withHeader({}, [
      ...payload.subarray(0, layout.rawLengthAt),
      ...varuint(layout.rawLength - 1),
      ...payload.subarray(layout.rawAt, -1),
    ]),
    'corrupt',
  ],
  [
    'a raw-bit stream with a spare byte',
    withHeader({}, [
      ...payload.subarray(0, layout.rawLengthAt),
      ...varuint(layout.rawLength + 1),
      ...payload.subarray(layout.rawAt),
      0,
    ]),
    'corrupt',
  ],
  [
    'packed samples where coding is smaller',
    withHeader(
      {},
      payloadWith(8, 2, (w) => encodePackedSamples(ecgSamples, 1000, w)),
    ),
    'corrupt',
  ],
  [
    'coded samples where packing is smaller',
    withHeader(
      noiseHeader,
      payloadWith(1, 1, (w) => encodeCodedSamples(noise, 400, w)),
    ),
    'corrupt',
  ],
  ['more records than the caller allows', recordsChunk({}), 'too_large', { maxRecords: 1 }],
  ['an absurd record count', recordsChunk({ recordCount: varuint(2 ** 40) }), 'too_large'],
  ['a record count beyond the input', recordsChunk({ recordCount: varuint(1000) }), 'truncated'],
  ['a record time beyond 2^50 ms', recordsChunk({ times: [2 ** 51, 2 ** 51] }), 'corrupt'],
  ['invalid UTF-8 in the records JSON', recordsChunk({ json: [0x5b, 0xff, 0x5d] }), 'corrupt'],
  ['records JSON that does not parse', recordsChunk({ json: '[{},{' }), 'corrupt'],
  ['records JSON with spaces', recordsChunk({ json: '[{}, {}]' }), 'corrupt'],
  ['records JSON that is not an array', recordsChunk({ json: '{"a":1}' }), 'corrupt'],
  ['records JSON with the wrong number of records', recordsChunk({ json: '[{}]' }), 'corrupt'],
  ['a record that repeats tMs among its fields', recordsChunk({ json: '[{"tMs":1},{}]' }), 'corrupt'],
  ['a non-canonical deflate stream', recordsChunk({ level: 0 }), 'corrupt'],
  ['a deflate stream that is garbage', recordsChunk({ deflated: [0xff, 0xff, 0xff] }), 'corrupt'],
  [
    'records JSON longer than declared',
    recordsChunk({ json: `[${'{},'.repeat(9999)}{}]`, jsonLength: 7, times: [] }),
    'corrupt',
  ],
  ['records JSON shorter than declared', recordsChunk({ jsonLength: 8 }), 'corrupt'],
  // An inflate bomb under the ratio limit, in one inflate step (≤ 4096 deflated bytes) and in several.
  [
    'records JSON inflating to 3 MB from a 3 kB stream, 7 bytes declared',
    recordsChunk({ json: `[${' '.repeat(3_000_000)}]`, jsonLength: 7 }),
    'corrupt',
  ],
  [
    'records JSON inflating to 9 MB from a 9 kB stream, 7 bytes declared',
    recordsChunk({ json: `[${' '.repeat(9_000_000)}]`, jsonLength: 7 }),
    'corrupt',
  ],
  ['records JSON above the caller limit', recordsChunk({}), 'too_large', { maxRecordsJsonBytes: 6 }],
  [
    'absurdly nested records JSON',
    recordsChunk({ json: `[${'['.repeat(200_000)}${']'.repeat(200_000)},{}]` }),
    'corrupt',
  ],
];

describe.each(SAMPLE_DECODERS)('decodeChunk rejects malformed input (%s decoder)', (decoder) => {
  decodeWith(decoder);
  it('reads the documented header layout (the builder reproduces the fixture header)', () => {
    expect(ecg.subarray(0, headerLength)).toEqual(join(ecgHeaderFields()));
    expect(decodeChunk(withHeader({}))).toBeDefined();
    expect(decodeChunk(recordsChunk({}))).toMatchObject({
      records: [{ tMs: 1_767_225_600_010 }, { tMs: 1_767_225_600_020 }],
    });
  });

  it.each(cases)('rejects %s', (_name, bytes, code, limits) => {
    const error = decodeError(bytes, limits);
    if (process.env.SHOW_CODEC_ERRORS) console.log(`${_name}: ${error.message}`);
    expect(error.code).toBe(code);
  });

  it.each([
    ['ecg', ecg],
    ['beats', beats],
  ])('rejects the %s fixture truncated at every byte offset', (_name, bytes) => {
    for (let length = 0; length < bytes.length; length++) {
      expect(decodeError(bytes.subarray(0, length)).code, `length ${length}`).toBe('truncated');
    }
  });

  it('reads the header alone without touching the payload, with the same checks', () => {
    expect(decodeChunkHeader(withHeader({}, [0xff]))).toMatchObject({ kind: 'sampled', sampleCount: 1000 });
    expect(() => decodeChunkHeader(ecg.subarray(0, headerLength - 1))).toThrow(
      expect.objectContaining({ code: 'truncated' }),
    );
    expect(() => decodeChunkHeader(ecg, { maxSamples: 10 })).toThrow(
      expect.objectContaining({ code: 'too_large' }),
    );
  });
});
