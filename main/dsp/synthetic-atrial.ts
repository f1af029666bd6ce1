/**
 * Synthetic two-lead ECG (II and V1) of supraventricular ectopy with exact beat labels, for testing
 * the S (AAMI supraventricular ectopic) decision on rhythms our recorded data hold too few of.
 *
 * Waves (synthetic-atrial-render.ts) are ECGSYN's Gaussian terms; T lies at 0.3·√RR s after R
 * (Bazett-like), so an early beat's P falls on the previous T as in life.
 *
 * Physiology (Chou's *Electrocardiography in Clinical Practice*; Marriott's *Practical ECG*):
 * - the sinus node's cycle follows respiration (respiratory sinus arrhythmia, 0.2–0.3 Hz) and a slow
 *   drift; an ectopic atrial impulse enters and **resets** it, so the interval after an APC is about
 *   one sinus cycle (plus the conduction time into and out of the node: 1.0–1.15 ×), less than
 *   compensatory;
 * - an APC comes from a focus with its own P morphology (each patient has one to three foci; a
 *   high-right-atrial focus near the sinus node makes a P much like the sinus P); the AV node
 *   conducts an early impulse slowly (PR lengthens with prematurity); a junctional premature beat
 *   has no P before the QRS (a retrograde P may follow it); very early APCs may not conduct at all
 *   (a P with no QRS, and the pause that follows);
 * - supraventricular tachycardia comes in runs of 3–20 beats at 120–200 bpm; after a run the sinus
 *   node is overdrive-suppressed (a pause of 1.1–1.6 sinus cycles);
 * - atrial fibrillation: irregularly irregular RRs, no P, fibrillatory baseline (AAMI counts N);
 * - atrial flutter with variable AV block: synthetic-atrial-flutter.ts; AF with Ashman beats and
 *   PVCs: synthetic-atrial-ashman.ts (AAMI counts the beats of both N, the PVCs V); fusion
 *   beats: synthetic-atrial-fusion.ts.
 * Noise: white muscle noise and respiratory baseline wander.
 */
import { ashmanRhythm } from './synthetic-atrial-ashman.js';
import { atrialFlutterRhythm } from './synthetic-atrial-flutter.js';
import { fusionRhythm } from './synthetic-atrial-fusion.js';
import {
  type Beat,
  ECTOPIC_P,
  render,
  RETROGRADE_P,
  sinusBeat,
  type StripOptions,
} from './synthetic-atrial-render.js';
import { SeededRandom } from './synthetic-prng.js';

/** Rhythm patterns the generator builds. */
export type AtrialPattern =
  | 'isolated'
  | 'bigeminy'
  | 'trigeminy'
  | 'svt-runs'
  | 'frequent-slow'
  | 'junctional'
  | 'sinus-arrhythmia'
  | 'atrial-fibrillation'
  | 'paroxysmal-af'
  | 'aberrated'
  | 'junctional-retrograde'
  | 'pvc-dissociated'
  | 'atrial-flutter-variable'
  | 'af-ashman'
  | 'fusion';

/** The patterns with wide or nodal ectopy (planted by {@link plantEctopic}). */
const WIDE_OR_NODAL: ReadonlySet<AtrialPattern> = new Set([
  'aberrated',
  'junctional-retrograde',
  'pvc-dissociated',
]);
/**
 * Ashman's phenomenon (Gouaux & Ashman, Am Heart J 34:366–373, 1947): the right bundle's
 * refractory period follows the preceding cycle, so an APC coupled at under this share of the
 * cycle before it finds the bundle refractory and conducts with RBBB aberrancy.
 */
const ASHMAN_RATIO = 0.7;
/** Up to this share the bundle is partly refractory: incomplete RBBB (minor aberration). */
const INCOMPLETE_RATIO = 0.8;

/** Settings of one synthetic rhythm strip. */
export interface AtrialRhythmOptions extends StripOptions {
  readonly pattern: AtrialPattern;
  /** Mean sinus rate, bpm (default 72; frequent-slow 50). */
  readonly sinusRateBpm?: number;
  /** Respiratory sinus arrhythmia, peak fraction of the RR (default: drawn from 0.03–0.12). */
  readonly sinusArrhythmia?: number;
}

/** A labelled beat: R-peak sample and AAMI class. */
export interface LabelledBeat {
  readonly sample: number;
  readonly beatClass: 'N' | 'S' | 'V' | 'F';
}

/** A generated strip: leads II and V1 in µV, and every conducted beat. */
export interface AtrialRhythm {
  readonly sampleRateHz: number;
  readonly leads: [Float64Array, Float64Array];
  readonly beats: LabelledBeat[];
  /** Atrial flutter episodes, [first, last] sample (synthetic-atrial-flutter.ts). */
  readonly flutter?: readonly (readonly [number, number])[];
}

/** Builds one labelled strip. */
export function atrialRhythm(options: AtrialRhythmOptions): AtrialRhythm {
  if (options.pattern === 'atrial-flutter-variable') return atrialFlutterRhythm(options);
  if (options.pattern === 'af-ashman') return ashmanRhythm(options);
  if (options.pattern === 'fusion') return fusionRhythm(options);
  const fs = options.sampleRateHz ?? 360;
  const durationS = options.durationS ?? 300;
  const random = new SeededRandom(options.seed);
  const slow = options.pattern === 'frequent-slow';
  const meanRrS = 60 / (options.sinusRateBpm ?? (slow ? 50 : 72));
  const rsa = options.sinusArrhythmia ?? 0.03 + 0.09 * random.uniform();
  const noiseMicrovolts = options.noiseMicrovolts ?? 10 + 30 * random.uniform();
  const respHz = 0.2 + 0.1 * random.uniform();
  const respPhase = 2 * Math.PI * random.uniform();
  let drift = 0;
  const sinusRr = (tS: number): number => {
    drift = 0.97 * drift + 0.01 * random.gaussian();
    return meanRrS * (1 + rsa * Math.sin(2 * Math.PI * respHz * tS + respPhase) + drift);
  };
  const foci = ECTOPIC_P.slice(0, 1 + Math.floor(random.uniform() * ECTOPIC_P.length));
  const focusPr = foci.map(() => 0.12 + 0.06 * random.uniform());
  const beats: Beat[] = [];
  const sinus = sinusBeat;
  const ectopic = (rS: number, coupling: number): Beat => {
    const f = Math.floor(random.uniform() * foci.length);
    const decrement = 0.1 * Math.max(0, 0.8 - coupling);
    return {
      rS,
      beatClass: 'S',
      p: foci[f]!,
      prS: focusPr[f]! + decrement,
      conducted: true,
      retrograde: false,
    };
  };
  let t = 0.5;
  let sinceEctopic = 0;
  let epochEndS = 0;
  let inEpisode = false;
  while (t < durationS - 1) {
    const rr = sinusRr(t);
    // paroxysmal AF: 60–120-s episodes of fibrillation between 60–120 s of sinus rhythm
    if (options.pattern === 'paroxysmal-af' && t >= epochEndS) {
      inEpisode = !inEpisode && t > 1;
      epochEndS = t + 60 + 60 * random.uniform();
    }
    if (options.pattern === 'atrial-fibrillation' || (options.pattern === 'paroxysmal-af' && inEpisode)) {
      t += meanRrS * (0.55 + 0.9 * random.uniform());
      beats.push({ ...sinus(t), p: null, fibrillation: true });
      continue;
    }
    if (options.pattern === 'sinus-arrhythmia' || options.pattern === 'paroxysmal-af') {
      t += rr;
      beats.push(sinus(t));
      continue;
    }
    if (WIDE_OR_NODAL.has(options.pattern)) {
      if (sinceEctopic >= 2 && random.uniform() < 0.12) {
        t = plantEctopic(options.pattern, t, rr, { beats, random, sinusRr, sinus, ectopic });
        sinceEctopic = 1;
      } else {
        t += rr;
        beats.push(sinus(t));
        sinceEctopic++;
      }
      continue;
    }
    // bigeminy and trigeminy come in episodes of 20–60 s between sinus stretches
    if ((options.pattern === 'bigeminy' || options.pattern === 'trigeminy') && t >= epochEndS) {
      inEpisode = !inEpisode;
      epochEndS = t + 20 + 40 * random.uniform();
    }
    let ectopicNow = false;
    let runLength = 1;
    switch (options.pattern) {
      case 'isolated':
        ectopicNow = sinceEctopic >= 1 && random.uniform() < 0.12;
        break;
      case 'junctional':
        ectopicNow = sinceEctopic >= 1 && random.uniform() < 0.1;
        break;
      case 'bigeminy':
        ectopicNow = inEpisode && sinceEctopic >= 1;
        break;
      case 'trigeminy':
        ectopicNow = inEpisode && sinceEctopic >= 2;
        break;
      case 'svt-runs':
        ectopicNow = sinceEctopic >= 8 && random.uniform() < 0.12;
        runLength = ectopicNow ? 3 + Math.floor(18 * random.uniform()) : 1;
        break;
      case 'frequent-slow':
        ectopicNow = random.uniform() < 0.65;
        runLength = ectopicNow ? 1 + Math.floor(3 * random.uniform() ** 2) : 1;
        break;
    }
    if (!ectopicNow) {
      // the sinus node now and then pauses in the slow pattern (as MIT-BIH 232's long pauses)
      const pause = slow && random.uniform() < 0.05 ? 1.5 + 1.5 * random.uniform() : 1;
      t += rr * pause;
      beats.push(sinus(t));
      sinceEctopic++;
      continue;
    }
    sinceEctopic = 0;
    const coupling =
      options.pattern === 'svt-runs' ? 0.55 + 0.15 * random.uniform() : 0.55 + 0.3 * random.uniform();
    t += coupling * rr;
    if (options.pattern === 'junctional') {
      beats.push({ ...sinusBeat(t), beatClass: 'S', p: null, prS: 0, retrograde: random.uniform() < 0.5 });
    } else if (slow && coupling < 0.62 && random.uniform() < 0.3) {
      // a very early APC that finds the AV node refractory: its P only
      beats.push({ ...ectopic(t, coupling), conducted: false });
    } else beats.push(ectopic(t, coupling));
    const cycleS = options.pattern === 'svt-runs' ? 0.3 + 0.2 * random.uniform() : coupling * rr;
    for (let k = 1; k < runLength; k++) {
      t += cycleS * (1 + 0.03 * random.gaussian());
      beats.push(ectopic(t, cycleS / rr));
    }
    // reset of the sinus node: the next sinus beat about one cycle later (longer after a run)
    const reset = runLength >= 3 ? 1.1 + 0.5 * random.uniform() : 1 + 0.15 * random.uniform();
    t += reset * sinusRr(t);
    beats.push(sinus(t));
    sinceEctopic = 1;
  }
  return render(beats, fs, durationS, random, noiseMicrovolts);
}

/** What {@link plantEctopic} draws on: the strip's beats so far, its random source and its sinus node. */
interface Planter {
  readonly beats: Beat[];
  readonly random: SeededRandom;
  /** The sinus cycle at a time, s. */
  readonly sinusRr: (tS: number) => number;
  readonly sinus: (rS: number) => Beat;
  readonly ectopic: (rS: number, coupling: number) => Beat;
}

/**
 * Plants one ectopic beat after the sinus beat at `t` (sinus cycle `rr`) and the sinus beat
 * that follows it; returns the time of that sinus beat.
 * - `aberrated`: an APC (own P, PR lengthened by prematurity) closing a long-short sequence
 *   half the time (a sinus cycle 15–40 % longer first), with RBBB aberrancy when coupled under
 *   {@link ASHMAN_RATIO} of the cycle before it, incomplete RBBB under {@link INCOMPLETE_RATIO};
 *   it resets the sinus node (next sinus beat 1.0–1.15 cycles later). Label S.
 * - `junctional-retrograde`: a junctional premature beat nearly on time (75–95 % of the
 *   cycle), narrow, the atria activated retrogradely: an inverted P with a short PR
 *   (P–R 50–100 ms: PR under 120 ms), a P hidden in the QRS, or a P after it; the sinus node
 *   is reset. Label S.
 * - `pvc-dissociated`: a PVC (no P before it, wide QRS) at 50–75 % of the cycle. Mostly the
 *   sinus node goes on undisturbed (AV dissociation): its next P comes on schedule, finds the
 *   ventricles refractory and is not conducted, and the next beat is the sinus beat after it,
 *   a fully compensatory pause; in 30 % the PVC conducts back to the atria (a retrograde P
 *   140–220 ms after it) and resets the sinus node. Label V.
 * (Chou, ch. 21, and Marriott, as above, on aberrancy and on the pause after a PVC.)
 */
function plantEctopic(pattern: AtrialPattern, t: number, rr: number, g: Planter): number {
  const { beats, random } = g;
  if (pattern === 'pvc-dissociated') {
    const pvcS = t + (0.5 + 0.25 * random.uniform()) * rr;
    const retrograde = random.uniform() < 0.3;
    const delayS = 0.14 + 0.08 * random.uniform();
    beats.push({
      rS: pvcS,
      beatClass: 'V',
      p: null,
      prS: 0,
      conducted: true,
      retrograde,
      retrogradeDelayS: delayS,
      qrs: 'ventricular',
    });
    if (retrograde)
      return push(beats, g.sinus(pvcS + delayS + (1 + 0.1 * random.uniform()) * g.sinusRr(pvcS) + 0.16));
    const dueS = t + rr;
    beats.push({ ...g.sinus(dueS), conducted: false });
    return push(beats, g.sinus(dueS + g.sinusRr(dueS)));
  }
  let s = t;
  let before = rr;
  if (pattern === 'aberrated' && random.uniform() < 0.5) {
    before = rr * (1.15 + 0.25 * random.uniform());
    s = push(beats, g.sinus(s + before));
  }
  const cycle = g.sinusRr(s);
  if (pattern === 'aberrated') {
    const coupling = 0.5 + 0.3 * random.uniform();
    const apc = g.ectopic(s + coupling * cycle, coupling);
    const ratio = (coupling * cycle) / before;
    const qrs = ratio < ASHMAN_RATIO ? 'rbbb' : ratio < INCOMPLETE_RATIO ? 'incomplete-rbbb' : 'normal';
    beats.push({ ...apc, qrs });
    s = apc.rS;
  } else {
    s += (0.75 + 0.2 * random.uniform()) * cycle;
    const form = random.uniform();
    const nodal: Beat = { rS: s, beatClass: 'S', p: null, prS: 0, conducted: true, retrograde: false };
    if (form < 0.5) beats.push({ ...nodal, p: RETROGRADE_P, prS: 0.05 + 0.05 * random.uniform() });
    else if (form < 0.75) beats.push(nodal);
    else beats.push({ ...nodal, retrograde: true, retrogradeDelayS: 0.06 + 0.06 * random.uniform() });
  }
  return push(beats, g.sinus(s + (1 + 0.15 * random.uniform()) * g.sinusRr(s)));
}

/** Appends a beat, returns its R time. */
const push = (beats: Beat[], beat: Beat): number => beats.push(beat) && beat.rS;
