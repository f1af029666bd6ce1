import { describe, expect, it } from 'vitest';
import { TrainingLevels } from '../../../main/dsp/qrs-training.js';

const FS = 100;

/**
 * Training levels from the feature peaks of each 1-s segment (values only; spread over the
 * second) and, when given, a feature of that median between them.
 */
function levels(segments: readonly (readonly number[])[], floor?: number): TrainingLevels {
  const training = new TrainingLevels(FS, segments.length * FS);
  if (floor !== undefined) for (let n = 0; n < segments.length * FS; n++) training.add(floor);
  segments.forEach((peaks, s) => {
    peaks.forEach((value, k) => training.peak(s * FS + Math.round(((k + 0.5) * FS) / peaks.length), value));
  });
  return training;
}

describe('initial signal level of the QRS detector', () => {
  it('segments that hold only f waves do not set it (a pause of atrial fibrillation at the start)', () => {
    const training = levels([
      [17, 5, 8, 12],
      [16, 6, 9],
      [300, 10, 15],
      [350, 12, 7],
    ]);
    expect(training.initialLevels().signal).toBe(150);
  });

  it('a segment whose largest peak is a muscle-noise burst, 3.2 times the feature between the complexes: no beat', () => {
    // the burst stands 3.2 times above the other small peaks too; it set the level (88), and
    // muscle noise was taken for beats until the levels had risen (synthetic atrial fibrillation
    // at 18 dB of muscle noise, first QRS at 1.8 s)
    const training = levels([[71, 67, 62, 49], [2419], [176, 55], [2852, 236, 2991]], 55);
    expect(training.initialLevels().signal).toBeCloseTo(1209.5, 6);
  });

  it('small beats with flat P and T waves and one large PVC: the small beats set it, not the PVC', () => {
    // most training peaks are beats; against the lower quartile of all peaks only the two PVC
    // segments stood out, and the level started at half a PVC's (200)
    const training = levels([[10], [400, 12], [420, 1], [14, 13]]);
    expect(training.initialLevels().signal).toBe(7);
  });

  it('two beats in every segment and no other peak: all segments count when fewer than half stand out', () => {
    // the peaks besides each segment's largest are beats too, so only the PVC stands out from
    // them; dropping the other segments would start the detector at half the PVC's level
    const training = levels([
      [10, 11],
      [12, 13],
      [400, 12],
      [11, 10],
    ]);
    expect(training.initialLevels().signal).toBe(5.5);
  });
});

/** Training levels from feature peaks given as [time s, value, half-height width s], over 4 s. */
function timed(peaks: readonly (readonly [number, number, number])[]): TrainingLevels {
  const training = new TrainingLevels(FS, 4 * FS);
  for (const [t, value, width] of peaks) training.peak(Math.round(t * FS), value, width);
  return training;
}

describe('initial QRS level in atrioventricular block', () => {
  /** A QRS (narrow), a P wave (broad, 1/20 of its energy) and a T wave. */
  const qrs = (t: number) => [t, 1000, 0.02] as const;
  const p = (t: number) => [t, 50, 0.045] as const;
  const tWave = (t: number) => [t, 10, 0.06] as const;

  it('2:1 block at 33/min: the segments that hold only a blocked P wave do not set it', () => {
    // segments: QRS, T + blocked P, QRS, T + blocked P (the conducted P waves merge with their QRS);
    // the lower third of the maxima was a P wave, and every P wave was counted
    const training = timed([qrs(0.9), tWave(1.2), p(1.8), qrs(2.7), tWave(3.0), p(3.6)]);
    expect(training.initialLevels().qrs).toBe(1000);
  });

  it('complete block: a QRS among P waves that march on around it without a pause does not make them beats', () => {
    // the QRS at 1.45 s lies nearer the P wave before it than the one after, as a PVC would, but the
    // two are one P-P interval apart (0.8 s), not a pause
    const training = timed([p(0.3), p(1.1), qrs(1.45), p(1.9), p(2.7), p(3.5)]);
    expect(training.initialLevels().qrs).toBe(1000);
  });

  it('complete block: a P wave beyond the next QRS is no neighbour of the QRS before it', () => {
    // the peaks of a synthetic strip (ventricular escape at 80 Hz): the QRS at 1.51 s has a P wave
    // before it and none after it before the next QRS (the P wave at 2.16 s is under half the lower
    // third); taking the one after that QRS (3.96 s) made it look early, with no interval between
    // small peaks to weigh a pause against, and the P waves were kept as beats
    const training = timed([
      [0.39, 2192, 0.045],
      [0.63, 300, 0.02],
      [0.96, 143, 0.02],
      [1.51, 19679, 0.075],
      [1.86, 576, 0.03],
      [2.16, 1010, 0.048],
      [2.54, 112, 0.02],
      [3.26, 20883, 0.072],
      [3.55, 566, 0.03],
      [3.96, 1342, 0.045],
    ]);
    expect(training.initialLevels().qrs).toBe(19679);
  });

  it('complete block: a QRS about midway between two P waves does not come early', () => {
    // the peaks of a synthetic strip (junctional escape, electrode-motion noise at 24 dB, II+V2+V5
    // fused, 250 Hz): the QRS at 2.99 s lies 0.34 s after the P wave before it and 0.37 s before
    // the one after; the other P waves are under half the lower third, so no interval between
    // small peaks weighs a pause, and "nearer the one before" alone kept the P waves as beats
    const training = timed([
      [0.28, 42, 0.05],
      [0.64, 113, 0.065],
      [1.12, 176, 0.05],
      [1.56, 21649, 0.024],
      [1.79, 180, 0.05],
      [2.01, 90, 0.05],
      [2.65, 222, 0.05],
      [2.99, 21113, 0.026],
      [3.36, 406, 0.101],
      [3.6, 53, 0.05],
      [3.98, 51, 0.05],
    ]);
    expect(training.initialLevels().qrs).toBe(21113);
  });

  it('narrow small peaks are beats whatever the large ones (small normal beats, large PVCs)', () => {
    const narrow = (t: number) => [t, 50, 0.02] as const;
    const training = timed([qrs(0.9), tWave(1.2), narrow(1.8), qrs(2.7), tWave(3.0), narrow(3.6)]);
    expect(training.initialLevels().qrs).toBe(50);
  });

  it('ventricular bigeminy with broad normal beats (bundle-branch block): the PVCs come early and a pause follows, so the normal beats set it', () => {
    // normal beats at 0.5, 2.1, 3.7 s, each followed by a PVC 0.45 s later (and its T wave): no
    // interval between normal beats without a PVC in it
    const training = timed([p(0.5), qrs(0.95), tWave(1.25), p(2.1), qrs(2.55), tWave(2.85), p(3.7)]);
    expect(training.initialLevels().qrs).toBe(50);
  });
});
