/**
 * Synthetic monomorphic ventricular tachycardia for the ECG-12 simulator, so that staff can see
 * the ventricular-run events and alarm without a patient in VT: one ventricular focus firing
 * regularly at 140–180/min (drawn from the seed, a cycle varying by about 2 %), each complex a
 * broad biphasic QRS of about 160 ms followed by a T wave of the opposite polarity (secondary
 * repolarisation), made of Gaussian terms as ECGSYN makes its waves (McSharry et al., IEEE TBME
 * 50(3):289–294, 2003). The focus is that of a left-bundle-branch-block-like VT of right-ventricular
 * origin: negative in V1–V3, positive in I, V5 and V6, small and negative in II. Deterministic from
 * the seed.
 */
import { SeededRandom } from './synthetic-prng.js';

/** Peak QRS deflection of each acquired channel (I, II, V1…V6), µV, signed. */
const FOCUS_MICROVOLTS = [900, -500, -1300, -1600, -900, 600, 1200, 1100] as const;
/** The QRS's two terms (centre, width) and the T wave's, seconds from the complex's onset. */
const QRS_UP = { at: 0.05, sigma: 0.028, gain: 1 };
const QRS_DOWN = { at: 0.12, sigma: 0.035, gain: -0.5 };
const T_WAVE = { at: 0.28, sigma: 0.06, gain: -0.35 };

/** The complex times (s from the start) of a VT of `durationS` seconds, from `seed`. */
export function syntheticVtBeats(durationS: number, seed: number): number[] {
  const rng = new SeededRandom(seed);
  const cycleS = 60 / (140 + 40 * rng.uniform());
  const out: number[] = [];
  for (let t = 0.05; t < durationS; t += cycleS * (1 + 0.02 * rng.gaussian())) out.push(t);
  return out;
}

/** Acquired channel `channel` (0–7: I, II, V1…V6) of a VT `length` samples long at `sampleRateHz`, µV. */
export function syntheticVtWave(
  length: number,
  sampleRateHz: number,
  seed: number,
  channel: number,
): Float64Array {
  const peak = FOCUS_MICROVOLTS[channel] ?? 0;
  const out = new Float64Array(length);
  for (const onsetS of syntheticVtBeats(length / sampleRateHz, seed)) {
    for (const term of [QRS_UP, QRS_DOWN, T_WAVE]) {
      const centre = (onsetS + term.at) * sampleRateHz;
      const sigma = term.sigma * sampleRateHz;
      const from = Math.max(0, Math.floor(centre - 4 * sigma));
      const to = Math.min(length - 1, Math.ceil(centre + 4 * sigma));
      for (let i = from; i <= to; i++) {
        const z = (i - centre) / sigma;
        out[i] = out[i]! + peak * term.gain * Math.exp(-0.5 * z * z);
      }
    }
  }
  return out;
}
