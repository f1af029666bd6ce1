import { describe, expect, it } from 'vitest';
import { atrialLooking } from '../../../main/dsp/beat-aberrancy.js';
import { classifyRecordBeats } from '../../../main/dsp/beat-record.js';
import { atrialRhythm, type AtrialPattern } from '../../../main/dsp/synthetic-atrial.js';

/** Reference class → called class counts over seeds 1-4 of a synthetic pattern. */
function calls(pattern: AtrialPattern): Record<string, number> {
  const out: Record<string, number> = {};
  for (const seed of [1, 2, 3, 4]) {
    const strip = atrialRhythm({ pattern, seed, durationS: 300 });
    const beats = strip.beats.map((b) => b.sample);
    const classes = classifyRecordBeats(strip.leads, beats, strip.sampleRateHz);
    strip.beats.forEach((b, k) => {
      const key = `${b.beatClass}>${classes[k]!.beatClass}`;
      out[key] = (out[key] ?? 0) + 1;
    });
  }
  return out;
}

describe('aberrantly conducted APCs told from PVCs one beat later', () => {
  it('calls S the wide APCs with a P on the T before them, or the normal QRS onset, and a non-compensatory pause after', () => {
    // before: 24 of the 134 aberrated APCs called S (107 V); 44 with the deformed T; 102 since
    // a QRS that starts as the normal one nominates the beat as well
    const c = calls('aberrated');
    expect(c['S>S']).toBeGreaterThanOrEqual(100);
    expect(c['N>S'] ?? 0).toBe(0);
  }, 60_000);

  it('nominates a wide premature beat by its normal onset or a deformed T, never a PVC unlike from the start', () => {
    // correlation with the normal QRS, T deformation, prematurity, onset correlation
    expect(atrialLooking(0.75, 1.2, 0.6, 0.98)).toBe(true);
    expect(atrialLooking(0.75, 3, 0.6, 0.5)).toBe(true);
    expect(atrialLooking(0.75, 1.2, 0.6, 0.9)).toBe(false);
    expect(atrialLooking(0.75, NaN, 0.6, NaN)).toBe(false);
    // late (the sinus P may be due) or unlike the normal QRS throughout: no
    expect(atrialLooking(0.75, 1.2, 0.85, 0.98)).toBe(false);
    expect(atrialLooking(0.3, 1.2, 0.6, 0.98)).toBe(false);
  });

  it('keeps the PVCs with a fully compensatory pause V', () => {
    // the PVCs come before the sinus P is due and leave the T before them as it was
    const c = calls('pvc-dissociated');
    expect(c['V>V']).toBe(150);
    expect(c['V>S'] ?? 0).toBe(0);
  }, 60_000);

  it('reports the revision on the beat after, and the whole-record classes carry it', () => {
    const strip = atrialRhythm({ pattern: 'aberrated', seed: 1, durationS: 300 });
    const beats = strip.beats.map((b) => b.sample);
    const classes = classifyRecordBeats(strip.leads, beats, strip.sampleRateHz);
    const revising = classes.map((c, k) => ({ c, k })).filter(({ c }) => c.revises !== undefined);
    expect(revising.length).toBeGreaterThan(0);
    for (const { c, k } of revising) {
      expect(c.revises!.sample).toBe(beats[k - 1]);
      expect(classes[k - 1]!.beatClass).toBe('S');
      expect(strip.beats[k - 1]!.beatClass).toBe('S');
    }
  }, 60_000);
});
