import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MitAnnotationWriter, mitCodeOf } from '../../../server-contract/formats/wfdb-annotations.js';
import {
  WFDB_INVALID_SAMPLE,
  WfdbError,
  decodeWfdbSignals,
  encodeFormat16,
  formatWfdbBaseTime,
  formatWfdbHeader,
  parseMitAnnotations,
  parseWfdbHeader,
  wfdbChecksum,
  wfdbChecksumUpdate,
} from '../../../server-contract/formats/wfdb.js';

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe('WFDB record writing', () => {
  it('reads back exactly what it wrote, block by block, invalid samples included', () => {
    const sample = fc.oneof(fc.integer({ min: -32767, max: 32767 }), fc.constant(WFDB_INVALID_SAMPLE));
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 5 }),
        fc.infiniteStream(sample),
        (signalCount, blockSizes, values) => {
          const it = values[Symbol.iterator]();
          const blocks = blockSizes.map((n) =>
            Array.from({ length: signalCount }, () =>
              Int32Array.from({ length: n }, () => it.next().value as number),
            ),
          );
          const checksums = Array<number>(signalCount).fill(0);
          for (const b of blocks) b.forEach((s, i) => (checksums[i] = wfdbChecksumUpdate(checksums[i]!, s)));
          const dat = concat(blocks.map((b) => encodeFormat16(b)));
          const frames = blockSizes.reduce((a, b) => a + b, 0);
          const whole = Array.from({ length: signalCount }, (_, s) =>
            Int32Array.from(blocks.flatMap((b) => [...b[s]!])),
          );
          const header = parseWfdbHeader(
            formatWfdbHeader({
              recordName: 'r',
              samplingFrequencyHz: 500,
              sampleCount: frames,
              startMs: Date.UTC(2026, 0, 5, 8, 0, 0, 250),
              signals: whole.map((s, i) => ({
                gain: 2097.152,
                baseline: 0,
                units: 'mV',
                description: `lead${i}`,
                initialValue: s[0]!,
                checksum: checksums[i]!,
              })),
            }),
          );
          const read = decodeWfdbSignals(header, () => dat);
          expect(read).toEqual(whole);
          expect(header.signals.map((s) => s.checksum)).toEqual(whole.map((s) => wfdbChecksum(s)));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('writes the base time and date in UTC as header(5) spells them', () => {
    expect(formatWfdbBaseTime(Date.UTC(2026, 0, 5, 8, 3, 9, 40))).toBe('08:03:09.040 05/01/2026');
    const text = formatWfdbHeader({
      recordName: 'recording',
      samplingFrequencyHz: 500,
      sampleCount: 10,
      startMs: Date.UTC(2026, 0, 5, 8, 3, 9, 40),
      signals: [],
    });
    expect(text.split('\n')[0]).toBe('recording 0 500 10 08:03:09.040 05/01/2026');
    expect(parseWfdbHeader(text)).toMatchObject({ recordName: 'recording', sampleCount: 10 });
  });
});

describe('MitAnnotationWriter', () => {
  it('round-trips through parseMitAnnotations, with SKIPs for long intervals and AUX text', () => {
    const input = [
      { sample: 0, symbol: 'N' },
      { sample: 1023, symbol: 'V' },
      { sample: 1024, symbol: 'S' },
      { sample: 5_000_000, symbol: 'Q', aux: '(AFIB' },
      { sample: 5_000_000, symbol: 'N' },
      { sample: 5_002_000, symbol: '+', aux: '(N' },
    ];
    const writer = new MitAnnotationWriter();
    const bytes = concat([writer.write(input.slice(0, 3)), writer.write(input.slice(3)), writer.end()]);
    const read = parseMitAnnotations(bytes);
    expect(read.map((a) => [a.sample, a.symbol, a.aux])).toEqual(
      input.map((a) => [a.sample, a.symbol, a.aux]),
    );
  });

  it.each([
    ['an unknown symbol', [{ sample: 1, symbol: 'Z' }]],
    [
      'an out-of-order sample',
      [
        { sample: 10, symbol: 'N' },
        { sample: 9, symbol: 'N' },
      ],
    ],
    ['a fractional sample', [{ sample: 1.5, symbol: 'N' }]],
    ['non-ASCII aux text', [{ sample: 1, symbol: 'N', aux: 'µV' }]],
  ])('refuses %s with a WfdbError', (_, annotations) => {
    expect(() => new MitAnnotationWriter().write(annotations)).toThrow(WfdbError);
  });

  it('knows the AAMI beat codes of ecgcodes.h', () => {
    expect(['N', 'V', 'S', 'Q', 'F'].map(mitCodeOf)).toEqual([1, 5, 9, 13, 6]);
  });
});
