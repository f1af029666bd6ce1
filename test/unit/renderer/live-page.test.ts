import { describe, expect, it } from 'vitest';
import type { EcgBatch } from '../../../renderer/src/api-types.js';
import { LEADS } from '../../../renderer/src/api-types.js';
import { AutoGainTracker, RAISE_AFTER_MS } from '../../../renderer/src/ecg/auto-gain-tracker.js';
import { EcgStream } from '../../../renderer/src/ecg/ecg-stream.js';
import { ERASE_GAP_MS, LivePageBuffer } from '../../../renderer/src/ecg/live-page.js';
import { SampleRing } from '../../../renderer/src/ecg/ring-buffer.js';
import {
  defaultDevicePxPerMm,
  effectiveDevicePxPerMm,
  loadCalibration,
  saveCalibration,
} from '../../../renderer/src/ecg/screen-calibration.js';

const RATE_HZ = 100;
const T0 = 1_700_000_000_000;

/** Samples whose value is their own timeline index (lead I), so positions can be checked. */
function indexBatch(first: number, n: number, beats: EcgBatch['beats'] = []): EcgBatch {
  return {
    deviceSerial: 'ECG-1',
    simulated: false,
    sampleRateHz: RATE_HZ,
    runStartMs: T0,
    firstSampleIndex: first,
    leads: [...LEADS],
    samplesUv: LEADS.map(() => Array.from({ length: n }, (_, j) => first + j)),
    beats,
  };
}

describe('live page (sweep over ring buffers)', () => {
  it('puts timeline sample i at page position i mod 10 s, the previous sweep right of the erase gap', () => {
    const stream = new EcgStream();
    stream.ingest(indexBatch(0, 1500)); // 15 s at 100 Hz
    const buffer = new LivePageBuffer(RATE_HZ);
    const page = buffer.fill(stream, 1499);
    const lane = page.samplesUv.I;
    if (lane === undefined) throw new Error('no lead I');
    expect(buffer.length).toBe(1000);
    expect(page.startMs).toBe(T0 + 10_000); // this sweep started at 10 s
    expect(lane[0]).toBe(1000);
    expect(lane[499]).toBe(1499); // the head
    const gap = Math.round((ERASE_GAP_MS * RATE_HZ) / 1000);
    for (let k = 500; k < 500 + gap; k++) expect(lane[k]).toBeNaN();
    expect(lane[500 + gap]).toBe(500 + gap); // previous sweep
    expect(lane[999]).toBe(999);
  });

  it('keeps each column a consecutive segment of one sweep once the sweep is past it', () => {
    const stream = new EcgStream();
    stream.ingest(indexBatch(0, 2000));
    const page = new LivePageBuffer(RATE_HZ).fill(stream, 1999);
    const lane = page.samplesUv.I;
    if (lane === undefined) throw new Error('no lead I');
    for (let column = 0; column < 4; column++)
      for (let k = column * 250; k < (column + 1) * 250 - 1; k++)
        expect(Number(lane[k + 1]) - Number(lane[k])).toBe(1);
  });

  it('shows never-received samples as gaps, and nothing before the first batch', () => {
    const stream = new EcgStream();
    const buffer = new LivePageBuffer(RATE_HZ);
    expect(buffer.fill(stream, -1).samplesUv.I?.[0]).toBeNaN();
    stream.ingest(indexBatch(0, 200));
    stream.ingest(indexBatch(300, 200)); // 2–3 s lost
    const lane = buffer.fill(stream, 499).samplesUv.V6;
    expect(lane?.[199]).toBe(199);
    expect(lane?.[250]).toBeNaN();
    expect(lane?.[300]).toBe(300);
  });

  it('refills only the strip asked for, leaving the rest as the last fill wrote it', () => {
    const stream = new EcgStream();
    stream.ingest(indexBatch(0, 400));
    const buffer = new LivePageBuffer(RATE_HZ);
    buffer.fill(stream, 300);
    stream.ring?.write(
      100,
      LEADS.map(() => [-1]),
    ); // changed in the ring, outside the strip
    stream.ingest(indexBatch(400, 100));
    const lane = buffer.fill(stream, 450, { from: 300, to: 460 }).samplesUv.I;
    expect(lane?.[450]).toBe(450);
    expect(lane?.[100]).toBe(100);
    expect(buffer.fill(stream, 450).samplesUv.I?.[100]).toBe(-1);
  });

  it('places beats at their offset in the page, wrapping the previous sweep', () => {
    const stream = new EcgStream();
    stream.ingest(
      indexBatch(0, 1500, [
        { tMs: T0 + 9_000, beatClass: 'V' },
        { tMs: T0 + 12_000, beatClass: 'N' },
      ]),
    );
    const page = new LivePageBuffer(RATE_HZ).fill(stream, 1499);
    expect([...page.beats].sort((a, b) => a.offsetMs - b.offsetMs)).toEqual([
      { offsetMs: 2000, beatClass: 'N' },
      { offsetMs: 9000, beatClass: 'V' },
    ]);
  });
});

describe('ring readInto', () => {
  it('copies across the wrap and reads NaN outside what is held', () => {
    const ring = new SampleRing(1, 10);
    ring.write(0, [Float32Array.from({ length: 15 }, (_, k) => k)]); // holds 5..14
    const out = new Float32Array(14);
    ring.readInto(0, 2, out, 0, 14); // 2..15
    expect([...out.slice(0, 3)]).toEqual([NaN, NaN, NaN]);
    expect([...out.slice(3, 13)]).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    expect(out[13]).toBeNaN();
  });
});

describe('auto gain over time', () => {
  it('lowers the gain at once when the signal grows, raises it only after it held', () => {
    const tracker = new AutoGainTracker(10);
    expect(tracker.update(5, 0)).toBe(5);
    expect(tracker.update(20, 100)).toBe(5);
    expect(tracker.update(20, 100 + RAISE_AFTER_MS - 1)).toBe(5);
    expect(tracker.update(20, 100 + RAISE_AFTER_MS)).toBe(20);
    expect(tracker.update(10, 100 + RAISE_AFTER_MS + 1)).toBe(10);
  });

  it('restarts the wait when the suggestion changes', () => {
    const tracker = new AutoGainTracker(5);
    tracker.update(10, 0);
    tracker.update(20, 2000);
    expect(tracker.update(20, RAISE_AFTER_MS + 100)).toBe(5);
    expect(tracker.update(20, 2000 + RAISE_AFTER_MS)).toBe(20);
  });
});

/** A Map-backed stand-in for this browser's localStorage (only the three calls used). */
class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

describe('screen calibration', () => {
  it('defaults to 96 dpi times the device pixel ratio', () => {
    expect(defaultDevicePxPerMm(1)).toBeCloseTo(3.7795, 4);
    expect(effectiveDevicePxPerMm(null, 2)).toBeCloseTo(7.559, 3);
  });

  it('keeps a saved scale and forgets it on reset', () => {
    const storage = new MemoryStorage();
    saveCalibration(storage, { devicePxPerMm: 4.5 });
    expect(loadCalibration(storage)).toEqual({ devicePxPerMm: 4.5 });
    expect(effectiveDevicePxPerMm(loadCalibration(storage), 1)).toBe(4.5);
    saveCalibration(storage, null);
    expect(loadCalibration(storage)).toBeNull();
  });

  it.each(['not json', '{"devicePxPerMm":0}', '{"devicePxPerMm":"4"}', '{"devicePxPerMm":4,"x":1}', 'null'])(
    'ignores a stored value %s that is not a plausible scale',
    (raw) => {
      const storage = new MemoryStorage();
      storage.setItem('pulsewatch.screenCalibration', raw);
      expect(loadCalibration(storage)).toBeNull();
    },
  );

  it('refuses to save an implausible scale, naming it', () => {
    expect(() => saveCalibration(new MemoryStorage(), { devicePxPerMm: 500 })).toThrow(/devicePxPerMm 500/);
  });
});
