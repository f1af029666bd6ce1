import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  WFDB_INVALID_SAMPLE,
  WfdbError,
  decodeFormat212,
  decodeWfdbSignals,
  encodeFormat16,
  formatWfdbHeader,
  parseMitAnnotations,
  parseWfdbHeader,
  wfdbChecksum,
} from '../../../server-contract/formats/wfdb.js';
import { loadWfdbAnnotations, loadWfdbRecord } from '../../../main/devices/record-files.js';

const fixtures = join(import.meta.dirname, '../../fixtures/wfdb');
const dataRoot = process.env.PULSEWATCH_DATA ?? join(import.meta.dirname, '../../../../shared/data');

describe('parseWfdbHeader', () => {
  it('reads a CRLF header with gains, baselines, units and comments', () => {
    const header = parseWfdbHeader(readFileSync(join(fixtures, '100s.hea'), 'latin1'));
    expect(header).toMatchObject({
      recordName: '100s',
      samplingFrequencyHz: 360,
      sampleCount: 720,
      comments: ['69 M 1085 1629 x1'],
    });
    expect(header.signals.map((s) => [s.format, s.gain, s.baseline, s.units, s.description])).toEqual([
      [212, 200, 1024, 'mV', 'MLII'],
      [212, 200, 1024, 'mV', 'V5'],
    ]);
  });

  it('reads LUDB-style gain(baseline)/units fields and defaults a zero gain to 200', () => {
    const header = parseWfdbHeader(
      '1 2 500 5000\n1.dat 16 1716(6)/mV 16 0 -120 -32198 0 i\n1.dat 16 0 16 0 25 12402 0 ii\n',
    );
    expect(header.signals.map((s) => [s.gain, s.baseline, s.units, s.initialValue, s.checksum])).toEqual([
      [1716, 6, 'mV', -120, -32198],
      [200, 0, 'mV', 25, 12402],
    ]);
  });

  it.each([
    ['an empty header', ''],
    ['a signal count that is not a number', 'rec x 360\n'],
    ['fewer signal lines than announced', 'rec 2 360 10\nrec.dat 16 200 16 0 0 0 0 I\n'],
    ['a bad format field', 'rec 1 360 10\nrec.dat sixteen 200\n'],
    ['a multi-segment record', 'rec/2 1 360 10\nrec.dat 16\n'],
  ])('rejects %s with WfdbError', (_what, text) => {
    expect(() => parseWfdbHeader(text)).toThrow(WfdbError);
  });
});

describe('signal formats', () => {
  it('decodes format 212 pairs, including negative values and the invalid marker', () => {
    // s0 = 0x123 = 291, s1 = -2 (0xFFE), s2 = -2048 (invalid), s3 = 2047
    const bytes = new Uint8Array([0x23, 0xf1, 0xfe, 0x00, 0x78, 0xff]);
    const [a, b] = decodeFormat212(bytes, 2);
    expect(Array.from(a!)).toEqual([291, WFDB_INVALID_SAMPLE]);
    expect(Array.from(b!)).toEqual([-2, 2047]);
  });

  it('round-trips format 16 and writes out-of-range values as invalid', () => {
    const channels = [
      [0, 32767, -32767, 40_000],
      [1, -1, 5, Number.NaN],
    ];
    const bytes = encodeFormat16(channels);
    const header = parseWfdbHeader(
      formatWfdbHeader({
        recordName: 'r',
        samplingFrequencyHz: 500,
        sampleCount: 4,
        signals: channels.map((c, i) => ({
          gain: 1,
          baseline: 0,
          units: 'uV',
          description: `s${i}`,
          initialValue: c[0]!,
          checksum: wfdbChecksum(c),
        })),
      }),
    );
    const decoded = decodeWfdbSignals(header, () => bytes);
    expect(Array.from(decoded[0]!)).toEqual([0, 32767, -32767, WFDB_INVALID_SAMPLE]);
    expect(Array.from(decoded[1]!)).toEqual([1, -1, 5, WFDB_INVALID_SAMPLE]);
    expect(header.signals[1]!.units).toBe('uV');
  });

  it('decodes the committed cut of MIT-BIH 100 to its known first samples', () => {
    const record = loadWfdbRecord(fixtures, '100s');
    expect(record.signals.map((s) => s.length)).toEqual([720, 720]);
    expect(record.signals[0]![0]).toBe(record.header.signals[0]!.initialValue);
    expect(record.signals[1]![0]).toBe(record.header.signals[1]!.initialValue);
  });
});

describe('parseMitAnnotations', () => {
  it('reads the beats of the committed cut with their times', () => {
    const annotations = loadWfdbAnnotations(fixtures, '100s', 'atr');
    expect(annotations[0]).toMatchObject({ sample: 18, symbol: '+', aux: '(N' });
    expect(annotations.filter((a) => a.symbol === 'N').map((a) => a.sample)).toEqual([77, 370, 662]);
  });

  it('applies SKIP, NUM, SUB, CHN and AUX words to the right annotation', () => {
    const words: number[] = [];
    const word = (code: number, field: number) => words.push((code << 10) | field);
    word(59, 0); // SKIP 100000 samples: high word then low word
    words.push(0x0001, 0x86a0);
    word(1, 5); // N at 100005
    word(60, 7); // NUM 7
    word(5, 10); // V at 100015
    word(61, 2); // SUB 2
    word(62, 1); // CHN 1
    word(63, 3); // AUX "abc" padded
    const bytes = new Uint8Array(words.length * 2 + 4 + 2);
    const view = new DataView(bytes.buffer);
    words.forEach((w, i) => view.setUint16(i * 2, w, true));
    bytes.set([0x61, 0x62, 0x63, 0], words.length * 2);
    const annotations = parseMitAnnotations(bytes);
    expect(annotations).toEqual([
      { sample: 100005, symbol: 'N', code: 1, subtype: 0, chan: 0, num: 7, aux: undefined },
      { sample: 100015, symbol: 'V', code: 5, subtype: 2, chan: 1, num: 7, aux: 'abc' },
    ]);
  });

  it('rejects an AUX that runs past the end and a modifier before any annotation', () => {
    expect(() => parseMitAnnotations(new Uint8Array([0x05, 0x04, 0x09, 0xfc]))).toThrow(WfdbError);
    expect(() => parseMitAnnotations(new Uint8Array([0x07, 0xf0]))).toThrow(WfdbError);
  });
});

describe.skipIf(!existsSync(join(dataRoot, 'mitdb')))('the reference records (../shared/data)', () => {
  it.each([
    ['mitdb', '100'],
    ['mitdb', '124'],
    ['svdb', '800'],
    ['ptbdb', 's0010_re'],
    ['ludb/data', '1'],
  ])('%s/%s decodes to the checksums and initial values its header states', (db, name) => {
    const record = loadWfdbRecord(join(dataRoot, db), name);
    record.signals.forEach((samples, i) => {
      const spec = record.header.signals[i]!;
      expect(samples.length).toBe(record.header.sampleCount);
      expect(wfdbChecksum(samples)).toBe(spec.checksum);
      expect(samples[0]).toBe(spec.initialValue);
    });
  });

  it('counts the 2273 beats of MIT-BIH 100', () => {
    const beats = loadWfdbAnnotations(join(dataRoot, 'mitdb'), '100', 'atr').filter((a) =>
      'NLRBAaJSVrFejnE/fQ?'.includes(a.symbol),
    );
    expect(beats.length).toBe(2273);
  });
});
