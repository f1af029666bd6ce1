/**
 * Synthetic two-lead ECG (II and V1) of sinus rhythm with late-coupled PVCs and ventricular fusion
 * beats, with exact labels: N, V and F (AAMI EC57's fusion of ventricular and normal beat; MIT-BIH
 * records 208 and 213, which we do not hold, have hundreds).
 *
 * Physiology (Chou's *Electrocardiography in Clinical Practice*, ch. 20; Marriott's *Practical
 * Electrocardiography*, "Ventricular fusion"):
 * - a ventricular focus that fires late in the cycle (end-diastolic PVCs, or a parasystolic
 *   focus firing at its own rate) may fire just as the sinus impulse reaches the ventricles;
 *   each then activates part of them, and the QRS lies between the normal and the ventricular
 *   one — the more of the ventricular, the earlier the focus fired relative to the conducted
 *   activation;
 * - so a fusion beat comes at about the sinus time (not premature, or a few tens of ms early),
 *   preceded by the sinus P at a normal or slightly shortened PR, and the sinus rhythm goes on
 *   undisturbed after it;
 * - a focus firing earlier, before the sinus impulse arrives, captures the ventricles alone: a
 *   PVC (wide, no P of its own before it); the sinus P that follows it finds the ventricles
 *   refractory, and the next beat comes two sinus cycles after the one before the PVC.
 * Here each ectopic discharge comes 0–250 ms before the sinus QRS was due: under 70 ms before
 * it fuses, with a ventricular share from 20 % (at the due time) to 80 % (70 ms before).
 */
import { type Beat, render, sinusBeat, type StripOptions } from './synthetic-atrial-render.js';
import type { AtrialRhythm } from './synthetic-atrial.js';
import { SeededRandom } from './synthetic-prng.js';

/** A focus firing within this long before the conducted QRS was due fuses with it, s. */
export const FUSION_WINDOW_S = 0.07;

/** Builds one labelled strip of sinus rhythm with late PVCs (V) and fusion beats (F). */
export function fusionRhythm(options: StripOptions): AtrialRhythm {
  const fs = options.sampleRateHz ?? 360;
  const durationS = options.durationS ?? 300;
  const random = new SeededRandom(options.seed);
  const noise = options.noiseMicrovolts ?? 10 + 30 * random.uniform();
  const meanRrS = 60 / (65 + 25 * random.uniform());
  const beats: Beat[] = [];
  let t = 0.5;
  let sinceEctopic = 0;
  while (t < durationS - 2) {
    const rr = meanRrS * (1 + 0.04 * Math.sin(2 * Math.PI * 0.25 * t) + 0.01 * random.gaussian());
    const due = t + rr;
    if (sinceEctopic >= 2 && random.uniform() < 0.25) {
      sinceEctopic = 0;
      const earlyS = 0.25 * random.uniform();
      if (earlyS < FUSION_WINDOW_S) {
        // the conducted impulse and the focus share the ventricles; the sinus P precedes
        const share = 0.2 + (0.6 * earlyS) / FUSION_WINDOW_S;
        beats.push({
          ...sinusBeat(due),
          beatClass: 'F',
          fusion: { ventricularShare: share, shiftS: -earlyS },
        });
        t = due;
        continue;
      }
      beats.push({ ...sinusBeat(due - earlyS), beatClass: 'V', p: null, qrs: 'ventricular' });
      // the sinus P on time, not conducted; the next sinus beat one cycle later
      beats.push({ ...sinusBeat(due), conducted: false });
      t = due + rr;
      beats.push(sinusBeat(t));
      continue;
    }
    t = due;
    beats.push(sinusBeat(t));
    sinceEctopic++;
  }
  return render(beats, fs, durationS, random, noise);
}
