import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWfdbRecord } from '../../../main/devices/record-files.js';
import { detectQrs } from '../../../main/dsp/qrs.js';
import { LivePipeline } from '../../../main/dsp/pipeline.js';
import { assessLeadQuality, LeadQuality } from '../../../main/dsp/quality.js';
import { suspectElectrodes } from '../../../main/dsp/quality-electrodes.js';
import { resample } from '../../../main/dsp/resample.js';
import { convertSampleIndex } from '../../../main/dsp/resample.js';
import { scoreBeats } from '../../../bench/_scoring.js';
import { loadScoredRecord } from '../../../bench/_records.js';
import { holterAsAcquired, playLive } from '../../../bench/_vf-live.js';
import { loadDspFixture } from '../../fixtures/dsp/load.js';

/** 8 acquired channels (µV) made from one real lead with per-channel gains. */
const GAINS = [0.5, 1, -0.3, 0.8, 1, 1.2, 1, 0.7];

function play(
  fs: number,
  lead: Float64Array,
  frameAt: (n: number, frame: Float64Array) => void,
): { pipeline: LivePipeline; beats: number[]; displays: Float64Array[] } {
  const beats: number[] = [];
  const pipeline = new LivePipeline({ sampleRateHz: fs, microvoltsPerUnit: 1, mainsHz: 60 }, (i) =>
    beats.push(i),
  );
  const frame = new Float64Array(8);
  const displays: Float64Array[] = [];
  for (let n = 0; n < lead.length; n++) {
    frameAt(n, frame);
    pipeline.push(frame);
    if (n % 97 === 0) displays.push(Float64Array.from(pipeline.display));
  }
  pipeline.flush();
  return { pipeline, beats, displays };
}

describe('live pipeline', () => {
  const fixture = loadDspFixture('mitdb-119-pvc.json');
  const fs = 500;
  const microvolts = Float64Array.from(
    fixture.samples,
    (v) => ((v - fixture.adcBaseline) * 1000) / fixture.adcGainPerMv,
  );
  const lead = resample(microvolts, fixture.sampleRateHz, fs);
  const reference = fixture.beats.map((b) => convertSampleIndex(b.sample, fixture.sampleRateHz, fs));

  it('derives and filters 12 leads, detects every beat and rates the leads good', () => {
    const { pipeline, beats, displays } = play(fs, lead, (n, frame) => {
      for (let c = 0; c < 8; c++) frame[c] = GAINS[c]! * lead[n]!;
    });
    expect(scoreBeats(reference, beats, fs)).toMatchObject({ fn: 0, fp: 0 });
    for (const d of displays) expect(d[0]! + d[2]!).toBeCloseTo(d[1]!, 6); // I + III = II after filtering
    expect(Array.from(pipeline.quality.status)).toEqual(new Array(8).fill(LeadQuality.good));
    expect(pipeline.displayLatencyMs).toBeGreaterThan(0);
    expect(pipeline.displayLatencyMs).toBeLessThan(15);
  });

  it('keeps detecting on the chest leads when the left-leg electrode comes off', () => {
    const { pipeline, beats } = play(fs, lead, (n, frame) => {
      for (let c = 0; c < 8; c++) frame[c] = GAINS[c]! * lead[n]!;
      if (n > 2 * fs) frame[1] = 0; // lead II flat: LL off
    });
    expect(pipeline.quality.status[1]).toBe(LeadQuality.flat);
    expect(suspectElectrodes(pipeline.quality.status)).toEqual(['LL']);
    expect(scoreBeats(reference, beats, fs)).toMatchObject({ fn: 0, fp: 0 });
  });

  const mitdb = join(process.env.PULSEWATCH_DATA ?? '../shared/data', 'mitdb');
  it.skipIf(!existsSync(join(mitdb, '104.hea')))(
    'keeps the beats of MIT-BIH 104 (110-145 s, both leads) while its leads are rated noisy now and then',
    () => {
      // the quality monitor rates a lead noisy over a 1-s window (quality.ts: > 40 µV RMS in the
      // 20–30 Hz band); turning it down to a fifth of its weight for that window moved the fused feature
      // in steps the detector's levels chased, and 2 of these beats were missed (pipeline.ts)
      const record = loadScoredRecord(mitdb, '104', [0, 1]);
      const fs = record.sampleRateHz;
      const [from, to] = [110 * fs, 145 * fs];
      const cut = record.signals.map((s) => s.slice(from, to));
      const rated = cut.map((s) =>
        assessLeadQuality(s, { sampleRateHz: fs, microvoltsPerUnit: 5, mainsHz: 60 }),
      );
      expect(rated.some((q) => q.includes(LeadQuality.noisy))).toBe(true);
      const { channels, detectionLeads } = holterAsAcquired(cut);
      const live = playLive(channels, fs, 1000 / record.gains[0]!, detectionLeads);
      const reference = record.reference.filter((r) => r >= from && r < to).map((r) => r - from);
      const score = scoreBeats(reference, live.beats, fs);
      expect(score.fn).toBe(0);
      expect(score.fp).toBeLessThanOrEqual(1);
    },
  );

  const ptbdb = join(process.env.PULSEWATCH_DATA ?? '../shared/data', 'ptbdb');
  it.skipIf(!existsSync(join(ptbdb, 's0010_re.hea')))(
    'at 1000 Hz on a real 12-lead ECG (PTB s0010_re) finds the beats the whole-record detector finds, within 5 ms',
    () => {
      const record = loadWfdbRecord(ptbdb, 's0010_re');
      const channel = (name: string): Int32Array =>
        record.signals[record.header.signals.findIndex((s) => s.description === name)]!;
      const acquired = ['i', 'ii', 'v1', 'v2', 'v3', 'v4', 'v5', 'v6'].map(channel);
      const whole = Array.from(detectQrs([channel('ii')], 1000));
      const live: number[] = [];
      const pipeline = new LivePipeline({ sampleRateHz: 1000, microvoltsPerUnit: 0.5 }, (i) => live.push(i));
      const frame = new Float64Array(8);
      for (let n = 0; n < acquired[0]!.length; n++) {
        for (let c = 0; c < 8; c++) frame[c] = acquired[c]![n]!;
        pipeline.push(frame);
      }
      pipeline.flush();
      expect(whole.length).toBeGreaterThan(40); // 38.4 s of sinus rhythm
      expect(live.length).toBe(whole.length);
      live.forEach((index, k) => expect(Math.abs(index - whole[k]!)).toBeLessThanOrEqual(5));
      expect(Array.from(pipeline.quality.status)).toEqual(new Array(8).fill(LeadQuality.good));
    },
  );
});
