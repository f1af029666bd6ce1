import { describe, expect, it } from 'vitest';
import { delineateBeats } from '../../../main/dsp/delineate.js';
import { measureRecording, sampleMaskFromWindows, type Measured } from '../../../main/dsp/measure.js';
import { assessLeadQuality } from '../../../main/dsp/quality.js';
import { detectQrs } from '../../../main/dsp/qrs.js';
import { resample } from '../../../main/dsp/resample.js';
import { SyntheticEcg } from '../../../main/dsp/synthetic.js';
import { deriveLeads, STANDARD_LEADS } from '../../../main/dsp/leads.js';
import { loadLudbFixture, ludbTwelveLeadsMicrovolts } from '../../fixtures/dsp-b/load.js';

function value(m: Measured): number {
  if (m.value === null) throw new Error(`withheld: ${m.reason}`);
  return m.value;
}

function measureFixture(record: string, sampleRateHz = 500, leadFilter?: string[]) {
  const fixture = loadLudbFixture(record);
  const { leads, names } = ludbTwelveLeadsMicrovolts(fixture);
  const keep = names
    .map((n, i) => (leadFilter === undefined || leadFilter.includes(n) ? i : -1))
    .filter((i) => i >= 0);
  const chosen = keep.map((i) => (sampleRateHz === 500 ? leads[i]! : resample(leads[i]!, 500, sampleRateHz)));
  const beats = Array.from(detectQrs(chosen, sampleRateHz));
  const m = measureRecording({
    leadsMicrovolts: chosen,
    leadNames: keep.map((i) => names[i]!),
    beatSamples: beats,
    sampleRateHz,
  });
  return { fixture, m };
}

describe('delineation and intervals on real 12-lead ECGs (LUDB cuts, detector end to end)', () => {
  // Tolerances per record: twice the IEC 60601-2-25 mean-difference limits quoted in the data README
  // (one record is one sample of the spread, not the mean over records).
  it.each(['2', '10'])('measures PR, QRS and QT of LUDB %s close to the cardiologists', (record) => {
    const { fixture, m } = measureFixture(record);
    expect(Math.abs(value(m.prMs) - fixture.reference.prMs!)).toBeLessThanOrEqual(20);
    expect(Math.abs(value(m.qrsMs) - fixture.reference.qrsMs)).toBeLessThanOrEqual(25);
    expect(Math.abs(value(m.qtMs) - fixture.reference.qtMs)).toBeLessThanOrEqual(40);
  });

  it('finds the wide QRS of a complete right bundle branch block', () => {
    const { m } = measureFixture('10');
    expect(value(m.qrsMs)).toBeGreaterThanOrEqual(130);
    expect(value(measureFixture('2').m.qrsMs)).toBeLessThan(120);
  });

  it('withholds PR in atrial fibrillation and does not call its early beats PACs', () => {
    const { fixture, m } = measureFixture('96');
    expect(m.prMs).toEqual({ value: null, reason: 'no-p-wave' });
    expect(m.beats.every((b) => b.beatClass === 'N')).toBe(true);
    expect(Math.abs(value(m.qrsMs) - fixture.reference.qrsMs)).toBeLessThanOrEqual(20);
  });

  it('still measures from lead II alone', () => {
    const { fixture, m } = measureFixture('2', 500, ['II']);
    expect(Math.abs(value(m.prMs) - fixture.reference.prMs!)).toBeLessThanOrEqual(25);
    expect(Math.abs(value(m.qrsMs) - fixture.reference.qrsMs)).toBeLessThanOrEqual(35);
    expect(Math.abs(value(m.qtMs) - fixture.reference.qtMs)).toBeLessThanOrEqual(40);
  });

  it.each([250, 128, 80])('measures at %s Hz (80 Hz: reported, not targeted)', (fs) => {
    const { fixture, m } = measureFixture('2', fs);
    const slack = fs === 80 ? 2 : 1;
    expect(Math.abs(value(m.prMs) - fixture.reference.prMs!)).toBeLessThanOrEqual(20 * slack);
    expect(Math.abs(value(m.qrsMs) - fixture.reference.qrsMs)).toBeLessThanOrEqual(25 * slack);
    expect(Math.abs(value(m.qtMs) - fixture.reference.qtMs)).toBeLessThanOrEqual(40 * slack);
  });

  it('ignores a flat (lead-off) lead', () => {
    const fixture = loadLudbFixture('2');
    const { leads, names } = ludbTwelveLeadsMicrovolts(fixture);
    const beats = Array.from(detectQrs(leads, 500));
    const intact = measureRecording({
      leadsMicrovolts: leads,
      leadNames: names,
      beatSamples: beats,
      sampleRateHz: 500,
    });
    leads[names.indexOf('V3')]!.fill(0);
    const flat = measureRecording({
      leadsMicrovolts: leads,
      leadNames: names,
      beatSamples: beats,
      sampleRateHz: 500,
    });
    expect(Math.abs(value(flat.qrsMs) - value(intact.qrsMs))).toBeLessThanOrEqual(10);
    expect(Math.abs(value(flat.qtMs) - value(intact.qtMs))).toBeLessThanOrEqual(20);
  });

  it('puts QRS onset before and offset after every synthetic R peak, and T end after the offset', () => {
    const block = new SyntheticEcg({ seed: 4 }).nextBlock(5000);
    const leads = deriveLeads(block.microvolts);
    const d = delineateBeats(
      leads,
      block.beats.map((b) => b.sampleIndex),
      { sampleRateHz: 500 },
    );
    for (const beat of d.slice(1, -1)) {
      expect(beat.qrsOnset!).toBeLessThan(beat.rSample);
      expect(beat.qrsOffset!).toBeGreaterThan(beat.rSample);
      expect(beat.pOnset!).toBeLessThan(beat.qrsOnset!);
      expect(beat.tEnd!).toBeGreaterThan(beat.qrsOffset! + 50);
      const qrsMs = (beat.qrsOffset! - beat.qrsOnset!) * 2;
      expect(qrsMs).toBeGreaterThan(60);
      expect(qrsMs).toBeLessThan(130);
    }
  });
});

describe('measurements withheld on bad signal quality', () => {
  const fixture = loadLudbFixture('2');
  const { leads, names } = ludbTwelveLeadsMicrovolts(fixture);
  const beats = Array.from(detectQrs(leads, 500));
  const n = leads[0]!.length;

  it('withholds every interval when all leads are marked unusable', () => {
    const mask = names.map(() => new Uint8Array(n));
    const m = measureRecording({
      leadsMicrovolts: leads,
      leadNames: names,
      beatSamples: beats,
      sampleRateHz: 500,
      qualityMask: mask,
    });
    for (const x of [m.prMs, m.qrsMs, m.qtMs, m.qtcMs.bazett, m.stMicrovolts.V2!]) {
      expect(x).toEqual({ value: null, reason: 'poor-signal-quality' });
    }
    expect(m.beats.every((b) => b.poorQuality && b.beatClass === 'Q')).toBe(true);
  });

  it('measures from the remaining leads when some are unusable', () => {
    const mask = names.map((name) => new Uint8Array(n).fill(name.startsWith('V') ? 0 : 1));
    const m = measureRecording({
      leadsMicrovolts: leads,
      leadNames: names,
      beatSamples: beats,
      sampleRateHz: 500,
      qualityMask: mask,
    });
    expect(Math.abs(value(m.qrsMs) - fixture.reference.qrsMs)).toBeLessThanOrEqual(30);
    expect(m.stMicrovolts.V2).toEqual({ value: null, reason: 'poor-signal-quality' });
    expect(m.stMicrovolts.II!.value).not.toBeNull();
  });

  it('takes the quality monitor’s verdict on a lead-off (flat) lead as its mask', () => {
    const flatLeads = leads.map((lead, l) =>
      names[l] === 'V4' ? new Float64Array(lead.length).fill(3) : lead,
    );
    const qualityMask = flatLeads.map((lead) => {
      const codes = assessLeadQuality(lead, { sampleRateHz: 500, microvoltsPerUnit: 1 });
      return sampleMaskFromWindows(codes, 500, lead.length);
    });
    expect(qualityMask[names.indexOf('V4')]!.every((v) => v === 0)).toBe(true);
    const m = measureRecording({
      leadsMicrovolts: flatLeads,
      leadNames: names,
      beatSamples: beats,
      sampleRateHz: 500,
      qualityMask,
    });
    expect(m.stMicrovolts.V4).toEqual({ value: null, reason: 'poor-signal-quality' });
    expect(Math.abs(value(m.qrsMs) - fixture.reference.qrsMs)).toBeLessThanOrEqual(25);
    expect(Math.abs(value(m.qtMs) - fixture.reference.qtMs)).toBeLessThanOrEqual(40);
  });

  it('leaves out only the beats inside a bad stretch', () => {
    const mask = names.map(() => new Uint8Array(n).fill(1));
    for (const m of mask) m.fill(0, 800, 1400);
    const m = measureRecording({
      leadsMicrovolts: leads,
      leadNames: names,
      beatSamples: beats,
      sampleRateHz: 500,
      qualityMask: mask,
    });
    const poor = m.beats.filter((b) => b.poorQuality).map((b) => b.delineation.rSample);
    expect(poor.length).toBeGreaterThan(0);
    // a beat's window runs from 0.45 s before to 0.75 s after it (P wave … T end)
    expect(poor.every((s) => s > 800 - 0.75 * 500 && s < 1400 + 0.45 * 500)).toBe(true);
    expect(value(m.qtMs)).toBeGreaterThan(0);
  });
});

it('lists the standard leads in the fixture loader order', () => {
  expect(ludbTwelveLeadsMicrovolts(loadLudbFixture('2')).names).toEqual([...STANDARD_LEADS]);
});

it('withholds everything, without throwing, when there are no beats', () => {
  const leads = [new Float64Array(2000), new Float64Array(2000)];
  const m = measureRecording({
    leadsMicrovolts: leads,
    leadNames: ['I', 'II'],
    beatSamples: [],
    sampleRateHz: 500,
  });
  expect(m.beats).toEqual([]);
  for (const x of [m.heartRateBpm, m.prMs, m.qrsMs, m.qtMs, m.axisDegrees]) expect(x.value).toBeNull();
  expect(m.hrv).toEqual({ withheld: 'too-few-nn-intervals', nnCount: 0 });
});
