import { describe, expect, it } from 'vitest';
import { encodeChunk, type SampledChunk } from '../../../server-contract/codec/index.js';
import { detectLatticeScale, fromLattice, toLattice } from '../../../server-contract/codec/lattice.js';

/** A smooth deterministic walk of ADC-like integers. */
function adcWalk(n: number, seed: number): Int32Array {
  let s = seed >>> 0;
  let v = 0;
  return Int32Array.from({ length: n }, (_, i) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    v += Math.round(40 * Math.sin(i / 25)) + ((s >>> 29) - 3);
    return v;
  });
}

function chunkOf(x: Int32Array): SampledChunk {
  return {
    header: {
      kind: 'sampled',
      recordingId: '019a0000-0000-7000-8000-000000000003',
      stream: 'ecg',
      chunkIndex: 0,
      anchorMs: 0,
      firstSampleIndex: 0,
      sampleRateHz: 360,
      channels: [{ name: 'MLII', scale: { unit: 'nV', perCount: 476.84 } }],
      sampleCount: x.length,
      gaps: [],
    },
    samples: [x],
  };
}

// MIT-BIH: 200 ADC units per mV replayed as ECG-12 counts of 476.84 nV.
const MITDB_COUNTS_PER_ADC = 1e6 / (200 * 476.84);

describe('lattice of converted samples', () => {
  const adc = adcWalk(20_000, 7);
  const counts = Int32Array.from(adc, (v) => Math.round(v * MITDB_COUNTS_PER_ADC));

  it('finds the conversion step and inverts it exactly', () => {
    const scale = detectLatticeScale(counts);
    expect(scale).toBeCloseTo(MITDB_COUNTS_PER_ADC, 3);
    expect(fromLattice(toLattice(counts, scale!), scale!)).toEqual(counts);
  });

  it('codes converted samples in about the size of the original units', () => {
    const converted = encodeChunk(chunkOf(counts)).length;
    const original = encodeChunk(chunkOf(adc)).length;
    expect(converted).toBeLessThanOrEqual(original + 9);
  });

  it('finds no lattice in native counts, in data with an offset, or in small steps', () => {
    expect(detectLatticeScale(adcWalk(20_000, 3))).toBeUndefined();
    expect(
      detectLatticeScale(Int32Array.from(adc, (v) => Math.round(v * MITDB_COUNTS_PER_ADC) + 1)),
    ).toBeUndefined();
    expect(detectLatticeScale(Int32Array.from(adc, (v) => Math.round(v * 1.3)))).toBeUndefined();
    expect(detectLatticeScale(new Int32Array(5000).fill(42))).toBeUndefined();
  });
});
