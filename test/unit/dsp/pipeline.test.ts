import { describe, expect, it } from 'vitest';
import { LivePipeline } from '../../../main/dsp/pipeline.js';
import { LeadQuality } from '../../../main/dsp/quality.js';
import { suspectElectrodes } from '../../../main/dsp/quality-electrodes.js';
import { resample } from '../../../main/dsp/resample.js';
import { convertSampleIndex } from '../../../main/dsp/resample.js';
import { scoreBeats } from '../../../bench/_scoring.js';
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
});
