import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWfdbAnnotations, loadWfdbRecord } from '../../../main/devices/record-files.js';
import { WFDB_BEAT_SYMBOLS } from '../../../server-contract/formats/wfdb.js';
import { classifyRecordBeats } from '../../../main/dsp/beat-record.js';
import { atrialPrematurity } from '../../../main/dsp/beat-supraventricular.js';
import { fftMagnitude } from '../../../main/dsp/fft.js';
import { syntheticNoise } from '../../../main/dsp/synthetic-noise.js';
import { gaussian, loadDspFixture, seededRandom } from '../../fixtures/dsp/load.js';

/**
 * Atrial fibrillation built from a real record's QRS–T complexes (MIT-BIH 100): each complex
 * from 100 ms before R to 300 ms after it (no P wave), at independent random RR (0.5–1.0 s),
 * joined by a fibrillatory baseline (straight line plus ≈ 0.05 mV of noise).
 */
function fibrillation(beats: number, seed: number): { lead: Float64Array; r: number[] } {
  const f = loadDspFixture('mitdb-100-normal.json');
  const fs = f.sampleRateHz;
  const random = seededRandom(seed);
  const before = Math.round(0.1 * fs);
  const after = Math.round(0.3 * fs);
  const sources = f.beats.slice(1, -1).map((b) => b.sample);
  const r: number[] = [];
  let at = fs;
  for (let k = 0; k < beats; k++) {
    r.push(at);
    at += Math.round((0.5 + 0.5 * random()) * fs);
  }
  const lead = new Float64Array(at + fs);
  let filledTo = 0;
  let last = f.samples[sources[0]! - before]!;
  r.forEach((peak, k) => {
    const src = sources[k % sources.length]!;
    const start = peak - before;
    const first = f.samples[src - before]!;
    for (let i = filledTo; i < start; i++) {
      const t = (i - filledTo) / Math.max(1, start - filledTo);
      lead[i] = last + t * (first - last) + 10 * gaussian(random);
    }
    for (let j = -before; j < after; j++) lead[peak + j] = f.samples[src + j]!;
    filledTo = peak + after;
    last = f.samples[src + after - 1]!;
  });
  for (let i = filledTo; i < lead.length; i++) lead[i] = last;
  return { lead, r };
}

/**
 * A long sinus strip from the normal beats of MIT-BIH 100 (fixture beats 2–6, all N): the stretch
 * from 100 ms before the second beat to 100 ms before the seventh, repeated, so that every RR
 * (also across the joins) is one of the record's own sinus RRs.
 */
function sinusStrip(copies: number): { lead: Float64Array; r: number[]; fs: number } {
  const f = loadDspFixture('mitdb-100-normal.json');
  const marks = f.beats.slice(1, 7).map((b) => b.sample);
  const from = marks[0]! - 100;
  const length = marks[marks.length - 1]! - marks[0]!;
  const lead = new Float64Array(length * copies);
  const r: number[] = [];
  for (let c = 0; c < copies; c++) {
    lead.set(f.samples.slice(from, from + length), c * length);
    for (const m of marks.slice(0, -1)) r.push(c * length + m - from);
  }
  return { lead, r, fs: f.sampleRateHz };
}

describe('beat classifier', () => {
  const mitdb = join(process.env.PULSEWATCH_DATA ?? '../shared/data', 'mitdb');
  it.skipIf(!existsSync(join(mitdb, '119.hea')))(
    'classes the PVCs of a real record with ventricular bigeminy (MIT-BIH 119, both leads) V, with Se and +P ≥ 95 %',
    () => {
      const record = loadWfdbRecord(mitdb, '119');
      const leads = record.signals.map((s) => Float64Array.from(s));
      const reference = loadWfdbAnnotations(mitdb, '119', 'atr').filter((a) =>
        WFDB_BEAT_SYMBOLS.has(a.symbol),
      );
      const classes = classifyRecordBeats(
        leads,
        reference.map((a) => a.sample),
        360,
      );
      const truth = reference.map((a) => (a.symbol === 'V' ? 'V' : 'N'));
      const vv = classes.filter((c, k) => c.beatClass === 'V' && truth[k] === 'V').length;
      const refV = truth.filter((t) => t === 'V').length;
      const saidV = classes.filter((c) => c.beatClass === 'V').length;
      expect(refV).toBeGreaterThan(400);
      expect(vv / refV).toBeGreaterThanOrEqual(0.95);
      expect(vv / saidV).toBeGreaterThanOrEqual(0.95);
    },
  );

  it.skipIf(!existsSync(join(mitdb, '118.hea')))(
    'classes the premature atrial beats of a real record (MIT-BIH 118, both leads) S, with Se ≥ 85 % and +P ≥ 90 %',
    () => {
      const record = loadWfdbRecord(mitdb, '118');
      const leads = record.signals.map((s) => Float64Array.from(s));
      const reference = loadWfdbAnnotations(mitdb, '118', 'atr').filter((a) =>
        WFDB_BEAT_SYMBOLS.has(a.symbol),
      );
      const classes = classifyRecordBeats(
        leads,
        reference.map((a) => a.sample),
        360,
      );
      const isS = reference.map((a) => 'AaJS'.includes(a.symbol));
      const ss = classes.filter((c, k) => c.beatClass === 'S' && isS[k]).length;
      const refS = isS.filter(Boolean).length;
      const saidS = classes.filter((c) => c.beatClass === 'S').length;
      expect(refS).toBeGreaterThan(90);
      expect(ss / refS).toBeGreaterThanOrEqual(0.85);
      expect(ss / saidS).toBeGreaterThanOrEqual(0.9);
    },
  );

  it('leaves beats drowned in noise unclassified rather than calling them ventricular', () => {
    const fs = 360;
    const f = loadDspFixture('mitdb-100-normal.json');
    const lead = Float64Array.from(f.samples);
    const noise = syntheticNoise('ma', lead.length, fs, 3);
    const from = f.beats[10]!.sample - 50;
    for (let i = from; i < lead.length; i++) lead[i] = lead[i]! + 150 * noise[i]!;
    const classes = classifyRecordBeats(
      [lead],
      f.beats.map((b) => b.sample),
      fs,
    );
    expect(classes.slice(11).filter((c) => c.beatClass === 'V')).toHaveLength(0);
  });
});

describe('beat classifier after a gap in the beats', () => {
  it('keeps the sinus beats after several beats went unreported normal (one long RR is not the rhythm)', () => {
    const { lead, r, fs } = sinusStrip(12);
    // a detector dropout: five beats in a row not reported, one RR of about 4 s
    const gapAt = 25;
    const reported = [...r.slice(0, gapAt), ...r.slice(gapAt + 5)];
    const classes = classifyRecordBeats([lead], reported, fs);
    expect(classes.map((c) => c.beatClass)).not.toContain('S');
  });
});

describe('beat classifier after an extra detection', () => {
  it('does not call the sinus beat right after a false detection supraventricular', () => {
    const { lead, r, fs } = sinusStrip(12);
    // from the 16th beat on, a false beat 200 ms before every fifth R (noise, a tall P wave)
    const marks = r.flatMap((m, k) => (k >= 15 && k % 5 === 2 ? [m - Math.round(0.2 * fs), m] : [m]));
    const classes = classifyRecordBeats([lead], marks, fs);
    const extra = marks
      .map((_, k) => k)
      .filter((k) => k + 1 < marks.length && marks[k + 1]! - marks[k]! < 0.3 * fs);
    expect(extra.length).toBe(9);
    expect(extra.map((k) => classes[k]!.beatClass)).not.toContain('N');
    expect(extra.map((k) => classes[k + 1]!.beatClass)).not.toContain('S');
  });
});

describe('supraventricular timing and P-wave test', () => {
  const beat = { abrupt: true, pCorrelation: 0.9, pThreshold: 0.7 };
  it('calls an abrupt beat at under 75 % of the local normal RR premature whatever its P wave', () => {
    expect(atrialPrematurity({ ...beat, prematurity: 0.7 })).toBe(true);
    expect(atrialPrematurity({ ...beat, prematurity: 0.7, abrupt: false })).toBe(false);
  });
  it('needs a P wave unlike the sinus P at 75–85 %, and a clearly foreign one at 85–90 %', () => {
    expect(atrialPrematurity({ ...beat, prematurity: 0.8 })).toBe(false);
    expect(atrialPrematurity({ ...beat, prematurity: 0.8, pCorrelation: 0.6 })).toBe(true);
    expect(atrialPrematurity({ ...beat, prematurity: 0.87, pCorrelation: 0.6 })).toBe(false);
    expect(atrialPrematurity({ ...beat, prematurity: 0.87, pCorrelation: 0.2 })).toBe(true);
    expect(atrialPrematurity({ ...beat, prematurity: 0.92, pCorrelation: -0.5 })).toBe(false);
    expect(atrialPrematurity({ ...beat, prematurity: 0.8, pCorrelation: NaN })).toBe(false);
  });
});

describe('beat classifier in atrial fibrillation', () => {
  it('calls no beat supraventricular once the irregularly irregular rhythm is recognised', () => {
    const { lead, r } = fibrillation(300, 7);
    const classes = classifyRecordBeats([lead], r, 360);
    const later = classes.slice(80);
    expect(later.filter((c) => c.atrialFibrillation).length).toBeGreaterThan(0.95 * later.length);
    expect(later.filter((c) => c.beatClass === 'S')).toHaveLength(0);
    expect(later.filter((c) => c.beatClass === 'V')).toHaveLength(0);
  });
});

describe('synthetic NST noise', () => {
  const fs = 360;
  const share = (x: Float64Array, loHz: number, hiHz: number): number => {
    const amp = fftMagnitude(x);
    const binHz = fs / (2 * (amp.length - 1));
    let inside = 0;
    let total = 0;
    amp.forEach((a, k) => {
      const p = a * a;
      total += p;
      if (k * binHz >= loHz && k * binHz <= hiHz) inside += p;
    });
    return inside / total;
  };

  it('is unit power, deterministic, and has each type’s spectrum', () => {
    for (const kind of ['bw', 'ma', 'em'] as const) {
      const x = syntheticNoise(kind, fs * 60, fs, 1);
      const power = x.reduce((s, v) => s + v * v, 0) / x.length;
      expect(power).toBeCloseTo(1, 6);
      expect(syntheticNoise(kind, 1000, fs, 1)).toEqual(syntheticNoise(kind, 1000, fs, 1));
    }
    expect(share(syntheticNoise('bw', fs * 60, fs, 2), 0, 1)).toBeGreaterThan(0.9);
    expect(share(syntheticNoise('ma', fs * 60, fs, 2), 5, 100)).toBeGreaterThan(0.9);
    // electrode motion overlaps the QRS band (the reason it stresses detectors) but is mostly below 10 Hz
    const em = syntheticNoise('em', fs * 60, fs, 2);
    expect(share(em, 0.3, 10)).toBeGreaterThan(0.7);
    expect(share(em, 5, 15)).toBeGreaterThan(0.02);
  });

  it('gives slower rates the same muscle noise, as a unit sampling at that rate records it', () => {
    // made at 80 Hz and scaled to unit power there, all of it fell in 5–36 Hz, the QRS band:
    // about 5 dB more there than the same noise sampled at 80 Hz holds
    const powerOf = (x: Float64Array): number => x.reduce((s, v) => s + v * v, 0) / x.length;
    const below36 = share(syntheticNoise('ma', fs * 60, fs, 2), 0, 36);
    expect(below36).toBeGreaterThan(0.2);
    expect(below36).toBeLessThan(0.5);
    const at80 = syntheticNoise('ma', 80 * 60, 80, 2);
    expect(at80).toHaveLength(80 * 60);
    expect(powerOf(at80)).toBeGreaterThan(below36 - 0.08);
    expect(powerOf(at80)).toBeLessThan(below36 + 0.08);
    // from 222 Hz the whole band fits: unit power, as at 360
    expect(powerOf(syntheticNoise('ma', 250 * 60, 250, 2))).toBeCloseTo(1, 6);
  });
});
