/**
 * Synthetic two-lead ECG (II and V1) of supraventricular ectopy with exact beat labels, for testing
 * the S (AAMI supraventricular ectopic) decision on rhythms our recorded data hold too few of.
 *
 * Waves are the Gaussian P, Q, R, S, T terms of ECGSYN (McSharry et al., IEEE TBME 50(3):289–294,
 * 2003) summed directly in time (the model's integral without its slow relaxation); T lies at
 * 0.3·√RR s after R (Bazett-like), so an early beat's P falls on the previous T as in life.
 *
 * Physiology modelled (Chou's *Electrocardiography in Clinical Practice*; Marriott's *Practical
 * Electrocardiography*):
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
 * - atrial fibrillation: irregularly irregular RRs, no P, fibrillatory baseline (AAMI counts N).
 * Noise: white muscle noise and respiratory baseline wander.
 */
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
  | 'paroxysmal-af';

/** Settings of one synthetic rhythm strip. */
export interface AtrialRhythmOptions {
  readonly pattern: AtrialPattern;
  readonly seed: number;
  /** Default 360 (MIT-BIH). */
  readonly sampleRateHz?: number;
  /** Default 300. */
  readonly durationS?: number;
  /** Mean sinus rate, bpm (default 72; frequent-slow 50). */
  readonly sinusRateBpm?: number;
  /** Respiratory sinus arrhythmia, peak fraction of the RR (default: drawn from 0.03–0.12). */
  readonly sinusArrhythmia?: number;
  /** RMS white (muscle) noise, µV (default: drawn from 10–40). */
  readonly noiseMicrovolts?: number;
}

/** A labelled beat: R-peak sample and AAMI class. */
export interface LabelledBeat {
  readonly sample: number;
  readonly beatClass: 'N' | 'S';
}

/** A generated strip: leads II and V1 in µV, and every conducted beat. */
export interface AtrialRhythm {
  readonly sampleRateHz: number;
  readonly leads: [Float64Array, Float64Array];
  readonly beats: LabelledBeat[];
}

/** A P wave: per lead (II, V1) a sum of one or two Gaussians (centre relative to P, s; σ, s; mV). */
type PShape = readonly (readonly [number, number, number, number])[];

/** Sinus P: upright in II, biphasic (small positive then negative) in V1. */
const SINUS_P: PShape = [
  [0, 0.022, 0.15, 0.06],
  [0.03, 0.018, 0, -0.05],
];
/** Ectopic atrial foci: low atrial (inverted in II), left atrial (dome in V1), high right (close to sinus). */
const ECTOPIC_P: readonly PShape[] = [
  [[0, 0.02, -0.11, 0.07]],
  [
    [0, 0.02, 0.07, 0.1],
    [0.04, 0.015, 0.06, 0.02],
  ],
  [
    [0, 0.018, 0.12, -0.05],
    [0.03, 0.015, 0.02, 0.02],
  ],
];
const RETROGRADE_P: PShape = [[0, 0.018, -0.08, 0.05]];

interface Beat {
  rS: number;
  beatClass: 'N' | 'S';
  /** P wave before the QRS (null: none) and its start relative to R. */
  p: PShape | null;
  prS: number;
  conducted: boolean;
  retrograde: boolean;
  /** The atria fibrillate in the cycle that ends with this beat. */
  fibrillation?: boolean;
}

/** Builds one labelled strip. */
export function atrialRhythm(options: AtrialRhythmOptions): AtrialRhythm {
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
  const sinus = (rS: number): Beat => ({
    rS,
    beatClass: 'N',
    p: SINUS_P,
    prS: 0.16,
    conducted: true,
    retrograde: false,
  });
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
      beats.push({
        rS: t,
        beatClass: 'S',
        p: null,
        prS: 0,
        conducted: true,
        retrograde: random.uniform() < 0.5,
      });
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

function gauss(x: number, sigma: number): number {
  return Math.exp((-x * x) / (2 * sigma * sigma));
}

function render(
  beats: Beat[],
  fs: number,
  durationS: number,
  random: SeededRandom,
  noise: number,
): AtrialRhythm {
  const n = Math.round(durationS * fs);
  const ii = new Float64Array(n);
  const v1 = new Float64Array(n);
  const add = (centreS: number, sigmaS: number, mvII: number, mvV1: number): void => {
    const from = Math.max(0, Math.floor((centreS - 5 * sigmaS) * fs));
    const to = Math.min(n - 1, Math.ceil((centreS + 5 * sigmaS) * fs));
    for (let i = from; i <= to; i++) {
      const g = gauss(i / fs - centreS, sigmaS);
      ii[i] = ii[i]! + 1000 * mvII * g;
      v1[i] = v1[i]! + 1000 * mvV1 * g;
    }
  };
  let lastR = 0;
  for (const b of beats) {
    if (b.p !== null) for (const [dt, s, a2, av1] of b.p) add(b.rS - b.prS + dt, s, a2, av1);
    const rr = Math.max(0.3, b.rS - lastR);
    if (!b.conducted) continue;
    lastR = b.rS;
    add(b.rS - 0.028, 0.009, -0.08, 0);
    add(b.rS, 0.01, 1.1, 0.25);
    add(b.rS + 0.028, 0.009, -0.2, -0.9);
    add(b.rS + 0.3 * Math.sqrt(rr), 0.05, 0.3, 0.08);
    if (b.retrograde) for (const [dt, s, a2, av1] of RETROGRADE_P) add(b.rS + 0.1 + dt, s, a2, av1);
  }
  // fibrillatory waves (≈ 6 Hz, wandering phase) over the cycles of fibrillating beats
  const af = new Uint8Array(n);
  let prevR = 0;
  for (const b of beats) {
    if (b.fibrillation === true) af.fill(1, Math.round(prevR * fs), Math.min(n, Math.round(b.rS * fs)));
    prevR = b.rS;
  }
  const wanderHz = 0.2 + 0.1 * random.uniform();
  for (let i = 0; i < n; i++) {
    const tS = i / fs;
    const wander = 80 * Math.sin(2 * Math.PI * wanderHz * tS);
    const fib = af[i] === 1 ? 40 * Math.sin(2 * Math.PI * 6.3 * tS + 2 * Math.sin(0.7 * tS)) : 0;
    ii[i] = ii[i]! + wander + fib + noise * random.gaussian();
    v1[i] = v1[i]! + 0.6 * wander + 1.5 * fib + noise * random.gaussian();
  }
  const labelled = beats
    .filter((b) => b.conducted && b.rS < durationS - 0.5)
    .map((b) => ({ sample: Math.round(b.rS * fs), beatClass: b.beatClass }));
  return { sampleRateHz: fs, leads: [ii, v1], beats: labelled };
}
