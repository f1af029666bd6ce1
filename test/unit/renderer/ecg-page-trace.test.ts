import { describe, expect, it } from 'vitest';
import {
  autoGainForPeakUv,
  autoGainMmPerMv,
  headerItems,
  layoutEcgPage,
  peakAmplitudeUv,
  traceSegment,
  type EcgPageData,
  type PathSink,
} from '../../../renderer/src/ecg/page/index.js';

/** Collects the path a trace builds (the part of a canvas context traceSegment uses). */
class PathLog implements PathSink {
  readonly ops: { op: 'M' | 'L'; x: number; y: number }[] = [];
  moveTo(x: number, y: number): void {
    this.ops.push({ op: 'M', x, y });
  }
  lineTo(x: number, y: number): void {
    this.ops.push({ op: 'L', x, y });
  }
}

const PLACE = { x0: 100, pxPerSample: 1, baselineY: 50, pxPerUv: 0.01 };

describe('page trace', () => {
  it('places every sample at x0 + k × px per sample and µV upwards from the baseline', () => {
    const path = new PathLog();
    traceSegment(path, [0, 1000, -500], 0, 3, PLACE);
    expect(path.ops).toEqual([
      { op: 'M', x: 100, y: 50 },
      { op: 'L', x: 101, y: 40 },
      { op: 'L', x: 102, y: 55 },
    ]);
  });

  it('draws only the samples of its segment, from its own left edge', () => {
    const path = new PathLog();
    traceSegment(path, [1, 2, 3, 4, 5, 6], 2, 4, PLACE);
    expect(path.ops.map((o) => o.x)).toEqual([100, 101]);
  });

  it('breaks the line at a gap instead of joining across it', () => {
    const path = new PathLog();
    traceSegment(path, [0, 0, Number.NaN, Number.NaN, 0, 0], 0, 6, PLACE);
    expect(path.ops.map((o) => o.op)).toEqual(['M', 'L', 'M', 'L']);
    expect(path.ops[2]?.x).toBe(104);
  });

  it('keeps the QRS peak when many samples share a pixel column', () => {
    const samples = new Float32Array(1000);
    samples[503] = 1500; // one-sample spike
    const path = new PathLog();
    const points = traceSegment(path, samples, 0, 1000, { ...PLACE, pxPerSample: 0.1 });
    expect(points).toBe(100);
    expect(Math.min(...path.ops.map((o) => o.y))).toBeCloseTo(50 - 15, 9);
    expect(path.ops.length).toBeLessThan(400);
  });

  it('draws nothing for a span without signal', () => {
    const path = new PathLog();
    expect(traceSegment(path, new Float32Array(50).fill(Number.NaN), 0, 50, PLACE)).toBe(0);
    expect(path.ops).toEqual([]);
  });
});

function page(peakUv: number): EcgPageData {
  const wave = Float32Array.from({ length: 5000 }, (_, k) => (k % 500 === 0 ? peakUv : 0));
  return { startMs: 0, sampleRateHz: 500, samplesUv: { I: wave, II: new Float32Array(5000) }, beats: [] };
}

describe('auto gain', () => {
  it.each([
    [300, 20],
    [1000, 10],
    [2000, 5],
    [4000, 2.5],
    [9000, 2.5],
  ])('picks the largest gain that fits a %i µV peak into its row (%f mm/mV)', (peakUv, gain) => {
    expect(autoGainMmPerMv(page(peakUv))).toBe(gain);
  });

  it('keeps 10 mm/mV when there is no signal', () => {
    expect(autoGainForPeakUv(0)).toBe(10);
    const empty: EcgPageData = { startMs: 0, sampleRateHz: 500, samplesUv: { I: [NaN, NaN] }, beats: [] };
    expect(autoGainMmPerMv(empty)).toBe(10);
  });

  it('ignores leads left out (e.g. a lead that is off)', () => {
    const p = page(4000);
    expect(peakAmplitudeUv(p, ['II'])).toBe(0);
    expect(autoGainMmPerMv(p, ['II'])).toBe(10);
  });
});

describe('printed header', () => {
  it('prints speed, AUTO gain, filter band, notch, sample rate, patient and time', () => {
    const layout = layoutEcgPage({ pxPerMm: 4, gainMmPerMv: 5 });
    const items = headerItems(layout, page(1000), {
      pxPerMm: 4,
      gainMmPerMv: 5,
      gainAuto: true,
      annotations: {
        patientCode: 'P042',
        filter: { highPassHz: 0.5, lowPassHz: 40, notchHz: 50 },
        formatTime: () => '2026-12-04 17:45:00',
      },
    });
    expect(items.left).toEqual(['Patient P042', '2026-12-04 17:45:00']);
    expect(items.right).toEqual(['25 mm/s', 'AUTO 5 mm/mV', '0.5–40 Hz', 'notch 50 Hz', '500 samples/s']);
  });

  it('says when no notch is applied and prints the expanded lead at its doubled gain', () => {
    const options = {
      pxPerMm: 4,
      expandedLead: 'V2' as const,
      annotations: { filter: { highPassHz: 0.5, lowPassHz: 36, notchHz: null } },
    };
    const items = headerItems(layoutEcgPage(options), page(1000), options);
    expect(items.right).toContain('20 mm/mV');
    expect(items.right).toContain('notch off');
    expect(items.right).toContain('0.5–36 Hz');
  });
});
