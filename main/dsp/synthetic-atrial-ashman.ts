/**
 * Synthetic two-lead ECG (II and V1) of atrial fibrillation with Ashman beats and PVCs, with exact
 * labels: the aberrantly conducted beats are N (in atrial fibrillation ANSI/AAMI EC57 counts every
 * supraventricular beat N; MIT-BIH's "a" marks aberrated *premature atrial* beats only), the PVCs V.
 *
 * Physiology (Gouaux & Ashman, Am Heart J 34:366–373, 1947; Chou's *Electrocardiography in
 * Clinical Practice*, ch. 17 and 21; Marriott's *Practical Electrocardiography*, "Aberrant
 * ventricular conduction"):
 * - the refractory period of the right bundle follows the length of the preceding cycle, so a
 *   beat that ends a long–short sequence (a cycle under 70 % of a long one before it) finds it
 *   still refractory and conducts with right-bundle-branch block: the QRS starts as the normal one
 *   (the left bundle and septum conduct normally: the same initial vector), then a broad terminal
 *   S in II and R′ in V1; no pause follows it, the fibrillation goes on conducting at random;
 * - a PVC activates the ventricles from its focus, wide from its onset, at a fairly fixed coupling
 *   to the beat before; its concealed retrograde conduction into the AV node often lengthens the
 *   cycle after it (a "compensatory-like" pause, 1.0–1.5 mean cycles here);
 * - the fibrillation: irregularly irregular RRs (0.55–1.45 × the mean), no P waves, f-waves.
 */
import { type Beat, render, type StripOptions } from './synthetic-atrial-render.js';
import type { AtrialRhythm } from './synthetic-atrial.js';
import { SeededRandom } from './synthetic-prng.js';

/** A cycle under this share of the one before ends a long–short sequence (Ashman). */
export const ASHMAN_CYCLE_RATIO = 0.7;

/** Builds one labelled strip of atrial fibrillation with Ashman beats (N) and PVCs (V). */
export function ashmanRhythm(options: StripOptions): AtrialRhythm {
  const fs = options.sampleRateHz ?? 360;
  const durationS = options.durationS ?? 300;
  const random = new SeededRandom(options.seed);
  const noise = options.noiseMicrovolts ?? 10 + 30 * random.uniform();
  const meanRrS = 60 / (75 + 35 * random.uniform());
  const couplingS = 0.4 + 0.12 * random.uniform();
  const beats: Beat[] = [];
  const af = (rS: number, qrs: Beat['qrs']): Beat => ({
    rS,
    beatClass: 'N',
    p: null,
    prS: 0,
    conducted: true,
    retrograde: false,
    fibrillation: true,
    qrs,
  });
  let t = 0.5;
  let previousRrS = meanRrS;
  while (t < durationS - 2) {
    if (random.uniform() < 0.07) {
      t += couplingS * (1 + 0.05 * random.gaussian());
      beats.push({ ...af(t, 'ventricular'), beatClass: 'V', fibrillation: true });
      previousRrS = meanRrS * (1 + 0.5 * random.uniform());
      t += previousRrS;
      beats.push(af(t, 'normal'));
      continue;
    }
    const rrS = Math.max(0.33, meanRrS * (0.55 + 0.9 * random.uniform()));
    t += rrS;
    beats.push(af(t, rrS < ASHMAN_CYCLE_RATIO * previousRrS ? 'rbbb' : 'normal'));
    previousRrS = rrS;
  }
  return render(beats, fs, durationS, random, noise);
}
