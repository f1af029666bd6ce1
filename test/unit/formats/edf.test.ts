import { describe, expect, it } from 'vitest';
import {
  EdfError,
  edfExactDigitalMax,
  edfNumber,
  encodeEdfAnnotationBlock,
  encodeEdfRecord,
  formatEdfHeader,
  formatEdfTal,
  type EdfAnnotation,
} from '../../../server-contract/formats/edf.js';

const text = (bytes: Uint8Array, from: number, length: number) =>
  String.fromCharCode(...bytes.subarray(from, from + length));

const signal = (label: string) => ({
  label,
  transducer: 'ECG electrode',
  physicalDimension: 'uV',
  physicalMin: -15497.3,
  physicalMax: 15497.3,
  digitalMin: -32500,
  digitalMax: 32500,
  prefiltering: 'HP:0.5Hz LP:40Hz',
  samplesPerRecord: 500,
});

describe('formatEdfHeader', () => {
  it('lays out the EDF+ header fields at their fixed offsets, with the annotation signal last', () => {
    const bytes = formatEdfHeader({
      patient: 'P001 X X X',
      recording: '0190-abc X ECG-12_fw1.2.0',
      startMs: Date.UTC(2026, 0, 5, 8, 3, 9, 400),
      recordCount: 86_400,
      recordDurationS: 1,
      signals: [signal('ECG I'), signal('ECG II')],
      annotationBytesPerRecord: 512,
      continuous: false,
    });
    expect(bytes.length).toBe(256 * 4);
    expect(text(bytes, 0, 8)).toBe('0       ');
    expect(text(bytes, 8, 80).trim()).toBe('P001 X X X');
    expect(text(bytes, 88, 80).trim()).toBe('Startdate 05-JAN-2026 0190-abc X ECG-12_fw1.2.0');
    expect(text(bytes, 168, 16)).toBe('05.01.2608.03.09');
    expect(text(bytes, 184, 8).trim()).toBe('1024');
    expect(text(bytes, 192, 5)).toBe('EDF+D');
    expect(text(bytes, 236, 8).trim()).toBe('86400');
    expect(text(bytes, 252, 4).trim()).toBe('3');
    expect(text(bytes, 256 + 32, 16).trim()).toBe('EDF Annotations');
    const samplesField = 256 + 3 * (16 + 80 + 8 * 5 + 80);
    expect([0, 1, 2].map((i) => text(bytes, samplesField + 8 * i, 8).trim())).toEqual(['500', '500', '256']);
  });

  it('refuses a field that does not fit instead of cutting it', () => {
    expect(() =>
      formatEdfHeader({
        patient: 'x'.repeat(81),
        recording: '',
        startMs: 0,
        recordCount: 1,
        recordDurationS: 1,
        signals: [],
        annotationBytesPerRecord: 64,
        continuous: true,
      }),
    ).toThrow(EdfError);
  });
});

describe('EDF numbers and ranges', () => {
  it.each([
    [15497.3, '15497.3'],
    [-15624.61628, '-15624.6'],
    [0.5, '0.5'],
    [1, '1'],
    [-1, '-1'],
  ])('writes %f in 8 characters as %s', (value, expected) => {
    expect(edfNumber(value)).toBe(expected);
  });

  it('picks a digital maximum whose physical value 8 characters hold exactly', () => {
    const d = edfExactDigitalMax(0.47684);
    expect(d).toBeGreaterThan(32_000);
    expect(Number(edfNumber(d * 0.47684))).toBeCloseTo(d * 0.47684, 9);
    expect(edfExactDigitalMax(0.23842)).toBeGreaterThan(32_000);
  });
});

describe('annotations and records', () => {
  it('formats time-keeping and annotation TALs as the EDF+ spec spells them', () => {
    expect(text(formatEdfTal(0.5, undefined, []), 0, 7)).toBe('+0.5\x14\x14\x00');
    expect(text(formatEdfTal(12, 3.9, ['gap']), 0, 14)).toBe('+12\x153.9\x14gap\x14\x00');
  });

  it('carries annotations that do not fit a record to the next one, in order', () => {
    const pending: EdfAnnotation[] = Array.from({ length: 10 }, (_, i) => ({
      onsetS: i,
      text: `event number ${i}`,
    }));
    const first = encodeEdfAnnotationBlock(0, pending, 64);
    expect(first.length).toBe(64);
    expect(text(first, 0, 64)).toContain('event number 0');
    expect(pending[0]!.text).not.toBe('event number 0');
    const left = pending.length;
    encodeEdfAnnotationBlock(1, pending, 64);
    expect(pending.length).toBeLessThan(left);
  });

  it('writes samples as int16 little-endian, signal after signal, then the annotations', () => {
    const bytes = encodeEdfRecord([Int32Array.of(1, -2), Int32Array.of(-32768, 40_000)], Uint8Array.of(9, 9));
    const view = new DataView(bytes.buffer);
    expect([0, 2, 4, 6].map((o) => view.getInt16(o, true))).toEqual([1, -2, -32768, 32767]);
    expect([...bytes.subarray(8)]).toEqual([9, 9]);
  });
});
