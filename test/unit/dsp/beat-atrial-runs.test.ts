import { describe, expect, it } from 'vitest';
import { notAbruptlyEarly } from '../../../main/dsp/beat-boot.js';
import { classifyRecordBeats } from '../../../main/dsp/beat-record.js';
import { ectopicRunBefore } from '../../../main/dsp/beat-supraventricular.js';
import { ECTOPIC_P, render, SINUS_P, type Beat } from '../../../main/dsp/synthetic-atrial-render.js';
import { SeededRandom } from '../../../main/dsp/synthetic-prng.js';

/**
 * Ten minutes (leads II and V1, 360 Hz) of a sinus bradycardia (RR 1.1–1.3 s, first-degree AV
 * block: PR 0.26 s) with frequent ectopic atrial runs: 1–4 sinus beats, then 3–15 beats at RR
 * 0.65–0.75 s from one low-atrial focus (inverted P in II, PR 0.28 s), then a pause of 1.4–3 s
 * (overdrive suppression of the sinus node). Ectopic beats outnumber sinus ones about 3:1, as in
 * the MIT-BIH Arrhythmia Database's record 232 (1,382 APCs, 397 sinus beats).
 */
function bradycardiaWithAtrialRuns(seed: number): {
  leads: Float64Array[];
  beats: { sample: number; isS: boolean }[];
} {
  const random = new SeededRandom(seed);
  const beats: Beat[] = [];
  const beat = (rS: number, ectopic: boolean): Beat => ({
    rS,
    beatClass: ectopic ? 'S' : 'N',
    p: ectopic ? ECTOPIC_P[0]! : SINUS_P,
    prS: ectopic ? 0.28 : 0.26,
    conducted: true,
    retrograde: false,
  });
  let t = 0.5;
  while (t < 598) {
    const sinusBeats = 1 + Math.floor(4 * random.uniform());
    for (let i = 0; i < sinusBeats; i++) {
      t += 1.1 + 0.2 * random.uniform();
      beats.push(beat(t, false));
    }
    const runBeats = 3 + Math.floor(13 * random.uniform());
    const runRrS = 0.65 + 0.1 * random.uniform();
    for (let i = 0; i < runBeats; i++) {
      t += runRrS * (1 + 0.02 * random.gaussian());
      beats.push(beat(t, true));
    }
    t += 0.2 + 1.6 * random.uniform();
  }
  const strip = render(beats, 360, 600, random, 20);
  return {
    leads: strip.leads,
    beats: strip.beats.map((b) => ({ sample: b.sample, isS: b.beatClass === 'S' })),
  };
}

describe('ectopic atrial runs', () => {
  it('leaves out of the boot rhythm the beats that continue a run begun abruptly early', () => {
    // three sinus beats, then a run at 0.7 s, then the pause after it
    expect(notAbruptlyEarly([NaN, 1.2, 1.1, 0.7, 0.7, 0.72, 0.7, 1.9])).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
      false,
      true,
    ]);
    // a bigeminy: each APC alone is left out
    expect(notAbruptlyEarly([NaN, 1, 0.6, 1.3, 0.6, 1.3])).toEqual([true, true, false, true, false, true]);
    // a sinus rhythm that quickened once: too few beats would be left, so only that beat is
    expect(notAbruptlyEarly([NaN, 1, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8])).toEqual([
      true,
      true,
      false,
      true,
      true,
      true,
      true,
      true,
    ]);
  });

  it('takes an early N before a beat with the same foreign P for a beat of its run, not a sinus acceleration', () => {
    const run = {
      previousRr: 0.7,
      reference: 1.15,
      pCorrelation: -0.4,
      pThreshold: 0.7,
      pWithPrevious: 0.95,
    };
    expect(ectopicRunBefore(run)).toBe(true);
    // the sinus P: a sinus rhythm that quickened
    expect(ectopicRunBefore({ ...run, pCorrelation: 0.9 })).toBe(false);
    // P windows unlike each other: fibrillation
    expect(ectopicRunBefore({ ...run, pWithPrevious: 0.2 })).toBe(false);
    // the beat before came on time
    expect(ectopicRunBefore({ ...run, previousRr: 1.1 })).toBe(false);
  });

  it('calls the runs of a sinus bradycardia with frequent ectopic atrial runs S (synthetic, 4 × 10 min)', () => {
    let ss = 0;
    let refS = 0;
    let falseS = 0;
    for (let seed = 1; seed <= 4; seed++) {
      const strip = bradycardiaWithAtrialRuns(seed);
      const classes = classifyRecordBeats(
        strip.leads,
        strip.beats.map((b) => b.sample),
        360,
      );
      strip.beats.forEach((b, k) => {
        const s = classes[k]!.beatClass === 'S';
        if (b.isS) refS++;
        if (b.isS && s) ss++;
        if (!b.isS && s) falseS++;
      });
    }
    // before the boot left the runs out and a run whose first beats were called N was continued:
    // 718 of the 2,036 ectopic beats called S (seeds 3 and 4 none: the boot took a run for the
    // sinus rhythm, and every later run its RR for the normal one); 2,013 after
    expect(refS).toBeGreaterThan(1500);
    expect(ss / refS).toBeGreaterThanOrEqual(0.95);
    expect(falseS).toBeLessThanOrEqual(5);
  }, 60_000);
});
