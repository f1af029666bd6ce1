import { describe, expect, it } from 'vitest';
import { delineateBeats } from '../../../main/dsp/delineate.js';
import { deriveLeads } from '../../../main/dsp/leads.js';
import { detectQrs } from '../../../main/dsp/qrs.js';
import { classifyBeats } from '../../../main/dsp/rhythm.js';
import { SyntheticEcg } from '../../../main/dsp/synthetic.js';
import { loadMitdbFixture, mitdbMicrovolts } from '../../fixtures/dsp-b/load.js';

function classifyFixture(record: string) {
  const fixture = loadMitdbFixture(record);
  const leads = mitdbMicrovolts(fixture);
  const fs = fixture.sampleRateHz;
  const beats = Array.from(detectQrs(leads, fs));
  const d = delineateBeats(leads, beats, { sampleRateHz: fs });
  const widths = d.map((x) =>
    x.qrsOnset !== null && x.qrsOffset !== null ? ((x.qrsOffset - x.qrsOnset) * 1000) / fs : null,
  );
  const classes = classifyBeats(leads, beats, { sampleRateHz: fs, qrsDurationsMs: widths }).map(
    (f) => f.beatClass,
  );
  // pair every reference beat with the detection within 150 ms
  return fixture.beats.map((ref) => {
    const k = beats.findIndex((b) => Math.abs(b - ref.sample) <= 0.15 * fs);
    return { reference: ref.symbol, ours: k >= 0 ? classes[k]! : '-' };
  });
}

describe('beat classes on real arrhythmic stretches (MIT-BIH, detector end to end)', () => {
  it('labels the PVCs of a ventricular bigeminy (119) V and the sinus beats N', () => {
    const pairs = classifyFixture('119').slice(1); // the first beat has no RR before it to judge
    expect(pairs.filter((p) => p.reference === 'V').every((p) => p.ours === 'V')).toBe(true);
    expect(pairs.filter((p) => p.reference === 'N').every((p) => p.ours === 'N')).toBe(true);
  });

  it('labels the PVCs and couplets of 106 V and its sinus beats N', () => {
    const pairs = classifyFixture('106').slice(1);
    const v = pairs.filter((p) => p.reference === 'V');
    const n = pairs.filter((p) => p.reference === 'N');
    expect(v.length).toBe(7);
    expect(v.every((p) => p.ours === 'V')).toBe(true);
    expect(n.filter((p) => p.ours === 'N').length).toBeGreaterThanOrEqual(n.length - 1);
  });
});

describe('beat classes on synthetic ectopic beats', () => {
  it('finds inserted PVCs and PACs and leaves sinus beats normal', () => {
    const fs = 500;
    const block = new SyntheticEcg({
      seed: 21,
      sampleRateHz: fs,
      pvcProbability: 0.08,
      pacProbability: 0.08,
    }).nextBlock(fs * 240);
    const beats = block.beats.map((b) => b.sampleIndex);
    const leads = deriveLeads(block.microvolts);
    const d = delineateBeats(leads, beats, { sampleRateHz: fs });
    const widths = d.map((x) => (x.qrsOffset! - x.qrsOnset!) * 2);
    const ours = classifyBeats(leads, beats, { sampleRateHz: fs, qrsDurationsMs: widths }).map(
      (f) => f.beatClass,
    );
    const truth = block.beats.map((b) => b.beatClass);
    const agree = (c: string): number =>
      truth.filter((t, k) => t === c && ours[k] === c).length / truth.filter((t) => t === c).length;
    expect(truth.filter((t) => t === 'V').length).toBeGreaterThan(5);
    expect(truth.filter((t) => t === 'S').length).toBeGreaterThan(5);
    expect(agree('V')).toBe(1);
    expect(agree('S')).toBeGreaterThanOrEqual(0.9);
    expect(agree('N')).toBeGreaterThanOrEqual(0.97);
  });

  it('calls a beat with unusable signal Q', () => {
    const block = new SyntheticEcg({ seed: 1 }).nextBlock(5000);
    const beats = block.beats.map((b) => b.sampleIndex);
    const unusable = beats.map((_, k) => k === 3);
    const classes = classifyBeats(block.microvolts, beats, { sampleRateHz: 500, unusable }).map(
      (f) => f.beatClass,
    );
    expect(classes[3]).toBe('Q');
    expect(classes.filter((c) => c === 'N').length).toBe(beats.length - 1);
  });
});
