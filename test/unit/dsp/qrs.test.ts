import { describe, expect, it } from 'vitest';
import { detectQrs } from '../../../main/dsp/qrs.js';
import { QrsDetector } from '../../../main/dsp/qrs-detector.js';
import { convertSampleIndex, resample } from '../../../main/dsp/resample.js';
import { ppvPct, scoreBeats, sensitivityPct, medianAbsOffsetMs } from '../../../bench/_scoring.js';
import { loadDspFixture, seededRandom, syntheticEcg } from '../../fixtures/dsp/load.js';

const RATES = [80, 128, 250, 360, 500, 1000];

/** R peaks at exact sample indexes, RR varying 0.55–1.2 s (seeded). */
function beatTimes(sampleRateHz: number, seconds: number, seed: number): number[] {
  const random = seededRandom(seed);
  const beats: number[] = [];
  for (let t = 0.5; t < seconds - 0.6; t += 0.55 + 0.65 * random()) beats.push(Math.round(t * sampleRateHz));
  return beats;
}

function runLive(
  signal: ArrayLike<number>,
  sampleRateHz: number,
): { beats: number[]; reportedAt: number[]; detector: QrsDetector } {
  const beats: number[] = [];
  const reportedAt: number[] = [];
  const detector = new QrsDetector({ sampleRateHz }, (index) => {
    beats.push(index);
    reportedAt.push(detector.feature.sampleIndex);
  });
  for (let n = 0; n < signal.length; n++) detector.stepSample(signal[n]!);
  detector.flush(); // end of input: a beat in the last 0.25 s is not yet confirmed
  return { beats, reportedAt, detector };
}

describe('synthetic beats at known times', () => {
  it.each(RATES)('whole-record detector finds every beat on its exact sample at %d Hz', (fs) => {
    const truth = beatTimes(fs, 30, fs);
    const signal = syntheticEcg(fs, 30 * fs, truth, 15, 7);
    const found = Array.from(detectQrs([signal], fs));
    expect(found.length).toBe(truth.length);
    found.forEach((index, k) => expect(Math.abs(index - truth[k]!)).toBeLessThanOrEqual(1));
    const exact = found.filter((index, k) => index === truth[k]).length;
    expect(exact / truth.length).toBeGreaterThan(0.8);
  });

  it.each(RATES)('live detector finds every beat within 1 sample or 4 ms at %d Hz', (fs) => {
    const truth = beatTimes(fs, 30, fs + 1);
    const signal = syntheticEcg(fs, 30 * fs, truth, 15, 8);
    const { beats, reportedAt, detector } = runLive(signal, fs);
    expect(beats.length).toBe(truth.length);
    const tolerance = Math.max(1, Math.round(0.004 * fs));
    beats.forEach((index, k) => expect(Math.abs(index - truth[k]!)).toBeLessThanOrEqual(tolerance));
    // after the 4-s training period every beat is reported within the stated latency
    beats.forEach((index, k) => {
      if (index > 4.5 * fs) expect(reportedAt[k]! - index).toBeLessThanOrEqual(detector.latencyS * fs);
    });
  });
});

describe('pauses and amplitude changes', () => {
  const truthWithPause = (fs: number): number[] => {
    const truth: number[] = [];
    for (let t = 0.5; t < 20; t += 0.8) truth.push(Math.round(t * fs));
    for (let t = 26; t < 40; t += 0.8) truth.push(Math.round(t * fs)); // 6-s pause
    return truth;
  };

  it.each([250, 360, 500])('invents no beat in a 6-s pause with 30 µV noise at %d Hz', (fs) => {
    const truth = truthWithPause(fs);
    const found = Array.from(detectQrs([syntheticEcg(fs, 40 * fs, truth, 30, 5)], fs));
    expect(scoreBeats(truth, found, fs)).toMatchObject({ fn: 0, fp: 0 });
  });

  // below about a fifth, a complex after a pause is the size of a P wave, and is not followed
  // (qrs-levels.ts: SILENCE_FLOOR; qrs-standstill.test.ts)
  it.each([128, 360, 500])('recovers after the QRS amplitude drops to a third at %d Hz', (fs) => {
    const truth = truthWithPause(fs);
    const signal = syntheticEcg(fs, 40 * fs, truth, 10, 5).map((v, n) => (n > 30 * fs ? v / 3 : v));
    const found = Array.from(detectQrs([signal], fs));
    const lastSix = truth.slice(-6);
    expect(
      scoreBeats(
        lastSix,
        found.filter((i) => i > lastSix[0]! - 0.3 * fs),
        fs,
      ),
    ).toMatchObject({ fn: 0, fp: 0 });
  });
});

describe('real records', () => {
  it.each([
    ['mitdb-119-pvc.json', 'PVCs (bigeminy)'],
    ['mitdb-107-paced.json', 'paced beats'],
    ['mitdb-100-normal.json', 'sinus rhythm'],
  ])('%s: every %s detected, no false beats, on the R peak', (file) => {
    const fixture = loadDspFixture(file);
    const fs = fixture.sampleRateHz;
    const reference = fixture.beats.map((b) => b.sample);
    const whole = scoreBeats(reference, detectQrs([fixture.samples], fs), fs);
    expect([whole.fn, whole.fp]).toEqual([0, 0]);
    expect(medianAbsOffsetMs(whole)).toBeLessThanOrEqual(10);
    const live = scoreBeats(reference, runLive(fixture.samples, fs).beats, fs);
    expect([live.fn, live.fp]).toEqual([0, 0]);
  });

  it('a low-amplitude lead (0.37 mV, LUDB 92 aVF): every annotated beat', () => {
    const fixture = loadDspFixture('ludb-92-avf-low.json');
    const fs = fixture.sampleRateHz;
    const reference = fixture.beats.map((b) => b.sample);
    // LUDB leaves the edge beats unannotated: score inside the annotated span only
    const inside = (i: number): boolean =>
      i > reference[0]! - 0.3 * fs && i < reference[reference.length - 1]! + 0.3 * fs;
    const found = Array.from(detectQrs([fixture.samples], fs)).filter(inside);
    const score = scoreBeats(reference, found, fs);
    expect([score.fn, score.fp]).toEqual([0, 0]);
  });

  it('a noisy stretch (mitdb 105, high-grade noise): Se and +P of at least 85 %', () => {
    const fixture = loadDspFixture('mitdb-105-noise.json');
    const fs = fixture.sampleRateHz;
    const score = scoreBeats(
      fixture.beats.map((b) => b.sample),
      detectQrs([fixture.samples], fs),
      fs,
    );
    expect(sensitivityPct(score)).toBeGreaterThanOrEqual(85);
    expect(ppvPct(score)).toBeGreaterThanOrEqual(85);
  });

  it.each(['mitdb-100-normal.json', 'mitdb-119-pvc.json'])(
    '%s resampled to 80 Hz: every beat, within one sample',
    (file) => {
      const fixture = loadDspFixture(file);
      const signal = resample(fixture.samples, fixture.sampleRateHz, 80);
      const reference = fixture.beats.map((b) => convertSampleIndex(b.sample, fixture.sampleRateHz, 80));
      const score = scoreBeats(reference, detectQrs([signal], 80), 80);
      expect([score.fn, score.fp]).toEqual([0, 0]);
      expect(medianAbsOffsetMs(score)).toBeLessThanOrEqual(12.5);
    },
  );

  it('lead-off: no beats on a flat line, detection resumes when the electrode is back', () => {
    const fixture = loadDspFixture('mitdb-100-normal.json');
    const fs = fixture.sampleRateHz;
    const signal = Float64Array.from(fixture.samples);
    signal.fill(signal[3 * fs]!, 3 * fs, 6 * fs);
    const found = Array.from(detectQrs([signal], fs));
    expect(found.filter((i) => i > 3.2 * fs && i < 6 * fs)).toEqual([]);
    const after = fixture.beats.map((b) => b.sample).filter((i) => i > 6.5 * fs);
    const score = scoreBeats(
      after,
      found.filter((i) => i > 6.5 * fs),
      fs,
    );
    expect([score.fn, score.fp]).toEqual([0, 0]);
  });
});

describe('bad samples', () => {
  it('a few NaN samples (dropped by the link) do not stop the live detector', () => {
    const fixture = loadDspFixture('mitdb-119-pvc.json');
    const fs = fixture.sampleRateHz;
    const signal = Float64Array.from(fixture.samples);
    for (const at of [500, 1500, 1501, 3000]) signal[at] = NaN;
    const { beats } = runLive(signal, fs);
    expect(
      scoreBeats(
        fixture.beats.map((b) => b.sample),
        beats,
        fs,
      ),
    ).toMatchObject({ fn: 0, fp: 0 });
  });
});

describe('multi-lead fusion', () => {
  it('marks fused beats on the primary (first) lead even when another lead is larger', () => {
    const fixture = loadDspFixture('mitdb-100-normal.json');
    const fs = fixture.sampleRateHz;
    const shift = Math.round(0.02 * fs);
    const primary = Float64Array.from(fixture.samples);
    const larger = Float64Array.from(primary, (_, n) => 3 * primary[Math.max(0, n - shift)]!);
    const alone = Array.from(detectQrs([primary], fs));
    const fused = Array.from(detectQrs([primary, larger], fs));
    expect(fused.length).toBe(alone.length);
    fused.forEach((index, k) => expect(Math.abs(index - alone[k]!)).toBeLessThanOrEqual(1));
  });

  it('ignores a noise-only lead given weight 0 and fuses two good leads', () => {
    const fixture = loadDspFixture('mitdb-119-pvc.json');
    const fs = fixture.sampleRateHz;
    const reference = fixture.beats.map((b) => b.sample);
    const random = seededRandom(3);
    const noise = Float64Array.from(fixture.samples, () => 400 * (random() - 0.5));
    const beats: number[] = [];
    const detector = new QrsDetector({ sampleRateHz: fs, leadCount: 2 }, (i) => beats.push(i));
    detector.feature.setLeadWeight(1, 0);
    fixture.samples.forEach((x, n) => detector.step([x, noise[n]!]));
    expect(scoreBeats(reference, beats, fs)).toMatchObject({ fn: 0, fp: 0 });
    const inverted = fixture.samples.map((x) => -0.5 * x);
    const fused = scoreBeats(reference, detectQrs([fixture.samples, inverted], fs), fs);
    expect([fused.fn, fused.fp]).toEqual([0, 0]);
  });
});
