/**
 * Wave shapes and rendering of the synthetic rhythm strips of synthetic-atrial.ts: P waves of the
 * sinus node and of ectopic atrial foci, normal, aberrant and ventricular QRS complexes with their
 * T waves, fibrillatory waves, muscle noise and baseline wander (ECGSYN's Gaussian terms, McSharry
 * et al., IEEE TBME 50(3):289–294, 2003, summed directly in time), on leads II and V1 or, for the
 * strips that draw them too, V2 and V5 ({@link LeadPair}).
 */
import type { AtrialRhythm } from './synthetic-atrial.js';
import { SeededRandom } from './synthetic-prng.js';

/** Settings of a strip: what every generator of these strips takes (flutter, Ashman, fusion too). */
export interface StripOptions {
  readonly seed: number;
  /** Default 360 (MIT-BIH). */
  readonly sampleRateHz?: number;
  /** Default 300. */
  readonly durationS?: number;
  /** RMS white (muscle) noise, µV (default: drawn from 10–40). */
  readonly noiseMicrovolts?: number;
}

/** A P wave: per lead (II, V1) a sum of one or two Gaussians (centre relative to P, s; σ, s; mV). */
export type PShape = readonly (readonly [number, number, number, number])[];

/** Sinus P: upright in II, biphasic (small positive then negative) in V1. */
export const SINUS_P: PShape = [
  [0, 0.022, 0.15, 0.06],
  [0.03, 0.018, 0, -0.05],
];
/** Ectopic atrial foci: low atrial (inverted in II), left atrial (dome in V1), high right (close to sinus). */
export const ECTOPIC_P: readonly PShape[] = [
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
/** Retrograde P (atria activated from the AV junction upwards): inverted in II. */
export const RETROGRADE_P: PShape = [[0, 0.018, -0.08, 0.05]];

/** A sinus beat with R at `rS` (s): the sinus P, PR 160 ms, a normal QRS. */
export function sinusBeat(rS: number): Beat {
  return { rS, beatClass: 'N', p: SINUS_P, prS: 0.16, conducted: true, retrograde: false };
}

/** One planned beat (or a P wave alone) of a strip. */
export interface Beat {
  rS: number;
  beatClass: 'N' | 'S' | 'V' | 'F';
  /** P wave before the QRS (null: none) and its start relative to R. */
  p: PShape | null;
  prS: number;
  conducted: boolean;
  retrograde: boolean;
  /** The atria fibrillate in the cycle that ends with this beat. */
  fibrillation?: boolean;
  /** QRS conduction (default normal): see {@link QrsKind}. */
  qrs?: QrsKind;
  /** Delay of the retrograde P after R, s (default 0.1). */
  retrogradeDelayS?: number;
  /**
   * A fusion beat: the ventricles activated partly by the conducted impulse (a normal QRS) and
   * partly by a ventricular focus (the `ventricular` QRS, this share of it, `shiftS` after R).
   */
  fusion?: { readonly ventricularShare: number; readonly shiftS: number };
}

/**
 * How the ventricles were activated: `normal` (narrow QRS: q, R, S in II; rS in V1);
 * `rbbb` (aberrant conduction with right-bundle-branch block, the usual form of Ashman's
 * phenomenon: the left bundle conducts, so the QRS starts as the normal one, then the right
 * ventricle activates late and slowly — a broad terminal S in II, an R' in V1, QRS ≈ 130 ms —
 * with the T opposite the terminal deflection); `incomplete-rbbb` (the right bundle only partly
 * refractory: the same sequence with a small, earlier R' and QRS ≈ 100 ms); `ventricular` (a PVC: activation from a
 * ventricular focus through the myocardium, no initial normal part, a broad monophasic complex
 * of ≈ 140 ms — upright in II, a deep QS in V1 as from a right-ventricular outflow focus — and
 * a T wave opposite to it). Chou's *Electrocardiography in Clinical Practice*, ch. 4 and 21.
 */
export type QrsKind = 'normal' | 'rbbb' | 'incomplete-rbbb' | 'ventricular';

/** QRS of each kind: Gaussians (centre relative to R, s; σ, s; mV in II; mV in V1). */
const QRS_T: Record<QrsKind, PShape> = {
  normal: [
    [-0.028, 0.009, -0.08, 0],
    [0, 0.01, 1.1, 0.25],
    [0.028, 0.009, -0.2, -0.9],
  ],
  rbbb: [
    [-0.028, 0.009, -0.08, 0],
    [0, 0.01, 1.1, 0.25],
    [0.028, 0.009, -0.15, -0.55],
    [0.075, 0.02, -0.35, 0.85],
  ],
  'incomplete-rbbb': [
    [-0.028, 0.009, -0.08, 0],
    [0, 0.01, 1.1, 0.25],
    [0.028, 0.009, -0.2, -0.8],
    [0.058, 0.012, -0.1, 0.32],
  ],
  ventricular: [
    [-0.03, 0.025, 0.35, -0.45],
    [0.01, 0.03, 1.2, -1.1],
  ],
};
/** T wave of each kind: σ, s; mV in II; mV in V1. */
const T_WAVE: Record<QrsKind, readonly [number, number, number]> = {
  normal: [0.05, 0.3, 0.08],
  rbbb: [0.05, 0.25, -0.2],
  'incomplete-rbbb': [0.05, 0.3, 0.04],
  ventricular: [0.06, -0.45, 0.35],
};

/**
 * The two leads a strip is drawn on and their waves: each QRS kind's complex and T wave, the
 * retrograde P, and the baseline wander's and fibrillatory waves' size on each lead relative to
 * lead II's. The waves' shapes in time are the same on every pair; only their sizes differ.
 */
export interface LeadPair {
  readonly qrs: Record<QrsKind, PShape>;
  readonly t: Record<QrsKind, readonly [number, number, number]>;
  readonly retrogradeP: PShape;
  readonly wander: readonly [number, number];
  readonly fibrillation: readonly [number, number];
}

/** Leads II and V1, every strip's pair; the shapes' amplitudes are (II, V1). */
export const LIMB_PAIR: LeadPair = {
  qrs: QRS_T,
  t: T_WAVE,
  retrogradeP: RETROGRADE_P,
  wander: [1, 0.6],
  fibrillation: [1, 1.5],
};

/**
 * Sinus P in V2 and V5 (the shapes' amplitudes are (V2, V5)): small and upright in both, V2's
 * with a small negative left-atrial part (Chou's *Electrocardiography in Clinical Practice*, ch. 1:
 * the P wave ≤ 0.1 mV or so in the precordial leads, biphasic in V1–V2).
 */
export const SINUS_P_CHEST: PShape = [
  [0, 0.022, 0.07, 0.08],
  [0.03, 0.018, -0.03, 0],
];

/**
 * Leads V2 and V5, the chest leads the live pipeline fuses with II (pipeline.ts), sizes as in
 * synthetic-waves.ts and Chou ch. 1–4, 21: the normal QRS an rS in V2 (r 0.5, S −1.3 mV) and a qR in
 * V5 (R 1.3 mV), T upright in both; right-bundle-branch block an rsR' in V2 and a broad terminal S
 * in V5, T opposite the terminal deflection; the ventricular complex from a right-ventricular
 * outflow focus (upright in II, QS in V1) a deep broad QS in V2 and a broad tall R in V5, its T
 * opposite. The wander is smaller on the chest leads than on II, the fibrillatory waves largest
 * in the right precordial leads.
 */
export const CHEST_PAIR: LeadPair = {
  qrs: {
    normal: [
      [-0.028, 0.009, 0, -0.08],
      [0, 0.01, 0.5, 1.3],
      [0.028, 0.009, -1.3, -0.25],
    ],
    rbbb: [
      [-0.028, 0.009, 0, -0.08],
      [0, 0.01, 0.45, 1.3],
      [0.028, 0.009, -0.8, -0.25],
      [0.075, 0.02, 0.65, -0.4],
    ],
    'incomplete-rbbb': [
      [-0.028, 0.009, 0, -0.08],
      [0, 0.01, 0.5, 1.3],
      [0.028, 0.009, -1.1, -0.25],
      [0.058, 0.012, 0.25, -0.15],
    ],
    ventricular: [
      [-0.03, 0.025, -0.4, 0.3],
      [0.01, 0.03, -1.3, 1.2],
    ],
  },
  t: {
    normal: [0.05, 0.4, 0.3],
    rbbb: [0.05, -0.15, 0.25],
    'incomplete-rbbb': [0.05, 0.3, 0.3],
    ventricular: [0.06, 0.45, -0.4],
  },
  retrogradeP: [[0, 0.018, 0.03, -0.04]],
  wander: [0.7, 0.5],
  fibrillation: [1.2, 0.6],
};

/** The chest leads' random stream is seeded with the strip's seed plus this. */
const CHEST_SEED_OFFSET = 1_000_003;

/**
 * The random stream a strip's chest leads draw from (their noise, a focus's sizes on them): one of
 * their own, so that leads II and V1 do not depend on them.
 */
export function chestRandom(seed: number): SeededRandom {
  return new SeededRandom(CHEST_SEED_OFFSET + seed);
}

function gauss(x: number, sigma: number): number {
  return Math.exp((-x * x) / (2 * sigma * sigma));
}

/**
 * Adds an ECGSYN-style Gaussian wave to two leads (II and V1, µV): centred at `centreS`, width
 * `sigmaS`, peak `mvII` and `mvV1` mV, over ±5 σ.
 */
export function waveAdder(
  ii: Float64Array,
  v1: Float64Array,
  fs: number,
): (centreS: number, sigmaS: number, mvII: number, mvV1: number) => void {
  return (centreS, sigmaS, mvII, mvV1) => {
    const from = Math.max(0, Math.floor((centreS - 5 * sigmaS) * fs));
    const to = Math.min(ii.length - 1, Math.ceil((centreS + 5 * sigmaS) * fs));
    for (let i = from; i <= to; i++) {
      const g = gauss(i / fs - centreS, sigmaS);
      ii[i] = ii[i]! + 1000 * mvII * g;
      v1[i] = v1[i]! + 1000 * mvV1 * g;
    }
  };
}

/** Beats whose R peak falls this close to the strip's end are left out, seconds. */
const END_MARGIN_S = 0.5;

/**
 * Draws `beats` on a pair of leads (default II and V1; the beats' P shapes must be that pair's),
 * with baseline wander and white noise of RMS `noise` µV from `random`.
 */
export function render(
  beats: Beat[],
  fs: number,
  durationS: number,
  random: SeededRandom,
  noise: number,
  pair: LeadPair = LIMB_PAIR,
): AtrialRhythm {
  const n = Math.round(durationS * fs);
  const ii = new Float64Array(n);
  const v1 = new Float64Array(n);
  const add = waveAdder(ii, v1, fs);
  let lastR = 0;
  for (const b of beats) {
    // a beat in the strip's last moments is neither drawn nor labelled (a detector would find
    // it, and the scoring would count it as a false beat)
    if (b.rS >= durationS - END_MARGIN_S) continue;
    if (b.p !== null) for (const [dt, s, a2, av1] of b.p) add(b.rS - b.prS + dt, s, a2, av1);
    const rr = Math.max(0.3, b.rS - lastR);
    if (!b.conducted) continue;
    lastR = b.rS;
    const parts: [QrsKind, number, number][] = b.fusion
      ? [
          ['normal', 1 - b.fusion.ventricularShare, 0],
          ['ventricular', b.fusion.ventricularShare, b.fusion.shiftS],
        ]
      : [[b.qrs ?? 'normal', 1, 0]];
    for (const [kind, k, shiftS] of parts) {
      for (const [dt, s, a2, av1] of pair.qrs[kind]) add(b.rS + shiftS + dt, s, k * a2, k * av1);
      const [s, a2, av1] = pair.t[kind];
      add(b.rS + 0.3 * Math.sqrt(rr), s, k * a2, k * av1);
    }
    const delayS = b.retrogradeDelayS ?? 0.1;
    if (b.retrograde) for (const [dt, w, p2, pv1] of pair.retrogradeP) add(b.rS + delayS + dt, w, p2, pv1);
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
    ii[i] = ii[i]! + pair.wander[0] * wander + pair.fibrillation[0] * fib + noise * random.gaussian();
    v1[i] = v1[i]! + pair.wander[1] * wander + pair.fibrillation[1] * fib + noise * random.gaussian();
  }
  const labelled = beats
    .filter((b) => b.conducted && b.rS < durationS - END_MARGIN_S)
    .map((b) => ({ sample: Math.round(b.rS * fs), beatClass: b.beatClass }));
  return { sampleRateHz: fs, leads: [ii, v1], beats: labelled };
}
