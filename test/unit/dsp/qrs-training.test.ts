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
