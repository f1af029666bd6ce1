import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWfdbAnnotations, loadWfdbRecord } from '../../../main/devices/record-files.js';
import { detectQrs } from '../../../main/dsp/qrs.js';
import {
  angleDifference,
  LUDB_LEADS,
  reference,
  referenceAxisDegrees,
  waves,
} from '../../../bench/intervals.js';
import {
  axisBeatBounds,
  classifyAxis,
  medianBeatAxisDegrees,
  netAreaMicrovoltSeconds,
  onsetLevel,
} from '../../../main/dsp/axis.js';
import { qrsAxisDegrees } from '../../../main/dsp/axis.js';
import { fitLimbLeadGains } from '../../../main/dsp/axis-limb-gains.js';
import { deriveLeads, STANDARD_LEADS } from '../../../main/dsp/leads.js';
import { measureRecording } from '../../../main/dsp/measure.js';
import { SyntheticEcg } from '../../../main/dsp/synthetic.js';
import { SeededRandom } from '../../../main/dsp/synthetic-prng.js';

describe('frontal QRS axis', () => {
  // aVF = (√3/2)·Hy in the Einthoven model, so aVF = √3/2 with I = 1 is a 45° vector
  it.each([
    [1, 0, 0],
    [0, 1, 90],
    [1, Math.sqrt(3) / 2, 45],
    [1, -Math.sqrt(3) / 2, -45],
    [-1, 0, 180],
    [-1, -Math.sqrt(3) / 2, -135],
    [0.5, 0.75, 60],
  ])('I area %s, aVF area %s → %s°', (i, f, degrees) => {
    expect(qrsAxisDegrees(i, f)).toBeCloseTo(degrees, 9);
  });

  it('agrees with the Einthoven form atan2(2·II − I, √3·I)', () => {
    const h = { x: 0.3, y: -0.8 }; // a left-deviated heart vector
    const leadI = h.x;
    const leadII = h.x * 0.5 + h.y * (Math.sqrt(3) / 2);
    const avf = leadII - leadI / 2;
    const expected = (Math.atan2(2 * leadII - leadI, Math.sqrt(3) * leadI) * 180) / Math.PI;
    expect(qrsAxisDegrees(leadI, avf)).toBeCloseTo(expected, 9);
    expect(qrsAxisDegrees(leadI, avf)).toBeCloseTo((Math.atan2(h.y, h.x) * 180) / Math.PI, 9);
  });

  it('has no direction when both areas are zero', () => {
    expect(qrsAxisDegrees(0, 0)).toBeNull();
  });

  it.each([
    [-30, 'normal'],
    [90, 'normal'],
    [45, 'normal'],
    [-31, 'left'],
    [-90, 'left'],
    [91, 'right'],
    [180, 'right'],
    [-120, 'right'],
  ] as const)('classes %s° as %s', (degrees, cls) => {
    expect(classifyAxis(degrees)).toBe(cls);
  });

  it('integrates the net area against the reference level', () => {
    const lead = [0, 0, 100, 300, 100, -100, 0, 0];
    expect(netAreaMicrovoltSeconds(lead, 2, 6, 0, 1000)).toBeCloseTo(0.4, 12);
    expect(netAreaMicrovoltSeconds(lead, 2, 6, 50, 1000)).toBeCloseTo(0.2, 12);
  });

  it('refers each beat to the level at its QRS onset, so a DC offset or a step between beats does not move the axis', () => {
    // three beats of a 60° vector (aVF = (√3/2)·sin 60° = 0.75 × its magnitude, I = 0.5 ×), each on its own offset
    const fs = 1000;
    const leadI = new Float64Array(300);
    const avf = new Float64Array(300);
    [0, 100, 200].forEach((start, k) => {
      for (let i = start; i < start + 100; i++) {
        leadI[i] = 500 * k;
        avf[i] = -300 * k;
      }
      for (let i = start + 20; i < start + 30; i++) {
        leadI[i]! += 100;
        avf[i]! += 150;
      }
    });
    expect(onsetLevel(leadI, 115, fs)).toBe(500);
    const bounds: [number, number][] = [
      [15, 35],
      [115, 135],
      [215, 235],
    ];
    expect(medianBeatAxisDegrees(leadI, avf, bounds, fs)).toBeCloseTo(60, 9);
  });

  it("reads each lead's onset level over the 12 ms before the onset, so the noise of one sample does not tilt the axis", () => {
    // 15 beats of a 60° vector (aVF = 1.5 × I: atan2(2·aVF/√3, I) = 60°), 100-ms half-sine complexes,
    // white noise of 50 µV RMS on both leads (a noisy LUDB record's); over 20 seeds
    const fs = 500;
    const [beats, cycle] = [15, 250];
    let error = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const rng = new SeededRandom(seed);
      const leadI = new Float64Array(beats * cycle);
      const avf = new Float64Array(beats * cycle);
      const bounds: [number, number][] = [];
      for (let b = 0; b < beats; b++) {
        const on = b * cycle + 100;
        bounds.push([on, on + 50]);
        for (let i = on; i <= on + 50; i++) {
          leadI[i] = 300 * Math.sin((Math.PI * (i - on)) / 50);
          avf[i] = 1.5 * leadI[i]!;
        }
      }
      for (let i = 0; i < leadI.length; i++) {
        leadI[i]! += 50 * rng.gaussian();
        avf[i]! += 50 * rng.gaussian();
      }
      error += Math.abs(medianBeatAxisDegrees(leadI, avf, bounds, fs)! - 60) / 20;
    }
    // mean error 0.74°; 1.25° with the level over ±2 ms around the onset
    expect(error).toBeLessThan(1);
  });

  it('takes the median of the beats on the circle, so axes either side of 180° do not average to 0°', () => {
    const fs = 1000;
    const angles = [175, -175, 179, -178, 170];
    const leadI = new Float64Array(100 * angles.length);
    const avf = new Float64Array(100 * angles.length);
    angles.forEach((deg, k) => {
      const r = (deg * Math.PI) / 180;
      for (let i = k * 100 + 20; i < k * 100 + 30; i++) {
        leadI[i] = 100 * Math.cos(r);
        avf[i] = ((100 * Math.sqrt(3)) / 2) * Math.sin(r);
      }
    });
    const bounds = angles.map((_, k): [number, number] => [k * 100 + 15, k * 100 + 35]);
    const axis = medianBeatAxisDegrees(leadI, avf, bounds, fs)!;
    expect(Math.abs(axis)).toBeGreaterThan(175);
    expect(Math.abs(Math.abs(axis) - 179)).toBeLessThan(1e-6);
  });

  it('measures the synthetic ECG axis where its lead amplitudes put it (≈ 57°)', () => {
    // net R − S: lead I 0.6 − 0.1 − 0.05, aVF = II − I/2 → atan2(2·aVF/√3, I) ≈ 57° for the model's amplitudes
    const block = new SyntheticEcg({ seed: 8 }).nextBlock(5000);
    const m = measureRecording({
      leadsMicrovolts: deriveLeads(block.microvolts),
      leadNames: [...STANDARD_LEADS],
      beatSamples: block.beats.map((b) => b.sampleIndex),
      sampleRateHz: 500,
    });
    expect(m.axisDegrees.value).toBeGreaterThan(40);
    expect(m.axisDegrees.value).toBeLessThan(65);
    expect(m.axisClass).toBe('normal');
    expect(m.limbLeadCheck?.applied).toBe(false);
  });
});

describe('limb-lead consistency', () => {
  const block = new SyntheticEcg({
    seed: 8,
    noise: { baselineWanderMicrovolts: 0, mainsHz: 50, mainsMicrovolts: 0, emgMicrovolts: 10 },
  }).nextBlock(5000);
  const twelve = deriveLeads(block.microvolts);

  it('finds consistent leads consistent', () => {
    const fit = fitLimbLeadGains(twelve.slice(0, 6))!;
    expect(fit.relativeResidualBefore).toBeLessThan(1e-9);
    for (const g of fit.gains) expect(g).toBeCloseTo(1, 6);
  });

  it('recovers mis-stated lead scales and restores the axis', () => {
    const wrong = [1, 1.4, 0.7, 1.2, 0.6, 1.7];
    const scaled = twelve.map((lead, l) => (l < 6 ? lead.map((v) => v / wrong[l]!) : lead));
    const fit = fitLimbLeadGains(scaled.slice(0, 6))!;
    expect(fit.relativeResidualBefore).toBeGreaterThan(0.05);
    expect(fit.relativeResidualAfter).toBeLessThan(1e-6);
    fit.gains.forEach((g, l) => expect(g).toBeCloseTo(wrong[l]!, 6));
    const input = {
      leadNames: [...STANDARD_LEADS],
      beatSamples: block.beats.map((b) => b.sampleIndex),
      sampleRateHz: 500,
    };
    const truth = measureRecording({ ...input, leadsMicrovolts: twelve });
    const corrected = measureRecording({ ...input, leadsMicrovolts: scaled });
    expect(corrected.limbLeadCheck?.applied).toBe(true);
    expect(corrected.axisDegrees.value!).toBeCloseTo(truth.axisDegrees.value!, 0);
  });

  const ludb = join(process.env.PULSEWATCH_DATA ?? '../shared/data', 'ludb', 'data');
  /** A LUDB record measured as the product does, with the axis from the cardiologists' delineation. */
  const measureLudb = (name: string): { m: ReturnType<typeof measureRecording>; refAxis: number } => {
    const record = loadWfdbRecord(ludb, name);
    const fs = record.header.samplingFrequencyHz;
    const leads = record.signals.map((s, i) => {
      const spec = record.header.signals[i]!;
      return Float64Array.from(s, (v) => ((v - spec.baseline) / spec.gain) * 1000);
    });
    const leadNames = record.header.signals.map((s) => s.description);
    const m = measureRecording({
      leadsMicrovolts: leads,
      leadNames,
      beatSamples: Array.from(detectQrs(leads, fs)),
      sampleRateHz: fs,
    });
    // the cardiologists' axis from the raw counts (which obey Einthoven's relations)
    const ref = reference(
      LUDB_LEADS.map((l) => waves(loadWfdbAnnotations(ludb, name, l))),
      fs,
    );
    const at = (n: string): number => leadNames.findIndex((x) => x.toLowerCase() === n);
    const refAxis = referenceAxisDegrees(record.signals[at('i')]!, record.signals[at('avf')]!, ref.qrsBounds);
    return { m, refAxis };
  };
  it.skipIf(!existsSync(join(ludb, '90.hea')))(
    'fits the mis-stated header scales of real records exactly, as their raw counts imply (LUDB 77, 90)',
    () => {
      for (const name of ['77', '90']) {
        const { m, refAxis } = measureLudb(name);
        const check = m.limbLeadCheck!;
        expect(check.applied).toBe(true);
        // the raw counts obey Einthoven's relations: the scales leave nothing but quantisation
        expect(check.relativeResidualAfter).toBeLessThan(0.01);
        // the scale each lead needs is its header gain over lead I's (a median-filter baseline under
        // the fit left aVF 15 % off on LUDB 90)
        const gains = loadWfdbRecord(ludb, name).header.signals.map((s) => s.gain);
        check.gains.forEach((g, l) => expect(Math.abs(g / (gains[l]! / gains[0]!) - 1)).toBeLessThan(0.01));
        expect(Math.abs(angleDifference(m.axisDegrees.value!, refAxis))).toBeLessThan(5);
      }
    },
  );

  it.skipIf(!existsSync(join(ludb, '95.hea')))(
    'takes the axis over every complex, paced and intrinsic alike, as the delineation axis does (LUDB 95)',
    () => {
      const { m, refAxis } = measureLudb('95');
      // four paced complexes near −70°, five intrinsic ones near 0°: the median is an intrinsic one
      expect(m.beats.some((b) => b.beatClass !== 'N')).toBe(true);
      expect(Math.abs(angleDifference(m.axisDegrees.value!, refAxis))).toBeLessThan(10);
    },
  );

  it('reads the axis from every complete beat of any class, not the first or last of the recording', () => {
    const beat = (
      on: number | null,
      off: number | null,
    ): { qrsOnset: number | null; qrsOffset: number | null } => ({
      qrsOnset: on,
      qrsOffset: off,
    });
    expect(
      axisBeatBounds([beat(10, 50), beat(400, 450), beat(800, null), beat(1200, 1260), beat(1600, 1640)]),
    ).toEqual([
      [400, 450],
      [1200, 1260],
    ]);
  });
});
