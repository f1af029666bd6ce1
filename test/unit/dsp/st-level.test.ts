import { describe, expect, it } from 'vitest';
import { deriveLeads, STANDARD_LEADS } from '../../../main/dsp/leads.js';
import { measureRecording } from '../../../main/dsp/measure.js';
import { stLevelMicrovolts } from '../../../main/dsp/st-level.js';
import { SyntheticEcg } from '../../../main/dsp/synthetic.js';

describe('ST level at J + 60 ms', () => {
  it('is the level 60 ms after J relative to the PR segment', () => {
    const fs = 500;
    const lead = new Float64Array(500).fill(20); // PR level 20 µV
    for (let i = 100; i < 150; i++) lead[i] = 800; // QRS 100–149, J = 150
    for (let i = 150; i < 300; i++) lead[i] = 170; // ST 150 µV above PR
    expect(stLevelMicrovolts(lead, 100, 150, fs)).toBeCloseTo(150, 9);
    expect(stLevelMicrovolts(lead, 100, 150, fs, 80)).toBeCloseTo(150, 9);
  });

  it('is null when the measuring points fall outside the signal', () => {
    const lead = new Float64Array(100);
    expect(stLevelMicrovolts(lead, 5, 50, 500)).toBeNull();
    expect(stLevelMicrovolts(lead, 50, 90, 500)).toBeNull();
  });

  it('finds an ST elevation added to one lead of a synthetic ECG and not in the others', () => {
    const fs = 500;
    const block = new SyntheticEcg({ seed: 6 }).nextBlock(fs * 10);
    const leads = deriveLeads(block.microvolts);
    const beats = block.beats.map((b) => b.sampleIndex);
    const before = measureRecording({
      leadsMicrovolts: leads,
      leadNames: [...STANDARD_LEADS],
      beatSamples: beats,
      sampleRateHz: fs,
    });
    const v2 = leads[STANDARD_LEADS.indexOf('V2')]!;
    for (const b of before.beats) {
      const { qrsOffset: j, tEnd } = b.delineation;
      if (j === null || tEnd === null) continue;
      // a 200 µV plateau from J to 40 ms before T end, ramped in over 4 ms
      for (let i = j; i < tEnd - 20; i++) v2[i] = v2[i]! + 200 * Math.min(1, (i - j) / 2);
    }
    const after = measureRecording({
      leadsMicrovolts: leads,
      leadNames: [...STANDARD_LEADS],
      beatSamples: beats,
      sampleRateHz: fs,
    });
    expect(after.stMicrovolts.V2!.value! - before.stMicrovolts.V2!.value!).toBeGreaterThan(150);
    // the added edge moves the global J point a few ms later, which V5's rising ST-T segment feels a little
    expect(Math.abs(after.stMicrovolts.V5!.value! - before.stMicrovolts.V5!.value!)).toBeLessThan(50);
  });
});
