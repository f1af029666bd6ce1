/**
 * Synthetic ECG of wide QRS complexes on leads II and V1, and V2 and V5 (with II the leads the live
 * pipeline fuses for detection, pipeline.ts), with exact beat times, for testing QRS detection
 * where the 5–15 Hz Pan–Tompkins band under-weights the complexes: atrial fibrillation
 * conducted with bundle-branch block, atrial fibrillation with aberrant (Ashman) beats and
 * ventricular premature beats, and multiform ventricular ectopy (couplets, short salvos) — the
 * rhythms of MIT-BIH records such as 201, 203, 207, 214 and 221, which we do not hold.
 *
 * Physiology (Chou's *Electrocardiography in Clinical Practice*, ch. 4, 5, 17 and 21):
 * - atrial fibrillation: no P waves, a fibrillatory baseline (350–600 atrial impulses/min seen as
 *   irregular f waves of 4–8 Hz, 20–150 µV), and irregularly irregular ventricular cycles bounded
 *   below by the AV node's refractory period (RR ≥ ≈ 0.3 s);
 * - left bundle-branch block: the septum activates right-to-left and the left ventricle late
 *   through the myocardium: QRS 130–170 ms, a broad notched R in II, a deep broad QS in V1, the
 *   T wave opposite the main deflection; its energy lies mostly below 10 Hz;
 * - Ashman's phenomenon: a beat ending a long–short cycle finds the right bundle refractory and
 *   conducts with right-bundle-branch block (a broad terminal S in II, R' in V1);
 * - ventricular premature beats: each ectopic focus has its own morphology (multiform ectopy), a
 *   broad complex of 120–200 ms whose size in a given lead depends on the focus — from far larger
 *   than the normal QRS down to a fraction of it — and a T wave opposite to it; couplets and
 *   salvos of 3–5 beats at 0.3–0.45 s cycles; in sinus rhythm a compensatory pause follows.
 * The waves are ECGSYN-style Gaussians (McSharry et al. 2003, IEEE TBME 50:289). Noise: the NST
 * types of synthetic-noise.ts at a signal-to-noise ratio defined as in the MIT-BIH Noise Stress
 * Test (Moody, Muldrow & Mark 1984): signal power = (QRS peak-to-peak)² / 8.
 */
import { addStressNoise, type StressNoise } from './synthetic-noise.js';
import { SeededRandom } from './synthetic-prng.js';
import { CHEST_PAIR, chestRandom, LIMB_PAIR, waveAdder } from './synthetic-atrial-render.js';

/** Rhythm patterns of the QRS benchmarks (`qrs-wide`, `vf`). */
export const WIDE_PATTERNS = ['af-bbb', 'af-aberrant-pvc', 'multiform-pvc'] as const;
/**
 * Those and `vt-runs`: sinus rhythm with runs of monomorphic ventricular tachycardia, 3–20 beats
 * at 120–200/min (non-sustained VT), one focus per run (the run-by-run check of
 * `npm run bench -- beats --synthetic`).
 */
export type WidePattern = (typeof WIDE_PATTERNS)[number] | 'vt-runs';
/** The patterns in atrial fibrillation (the others are in sinus rhythm). */
const AF_PATTERNS: ReadonlySet<WidePattern> = new Set(['af-bbb', 'af-aberrant-pvc']);
/** Gaussian wave: centre relative to R (s), σ (s), mV in II, mV in V1 (or in V2, V5: {@link Chest}). */
type Wave = readonly [number, number, number, number];
/** A complex on the chest leads V2 and V5: its waves and its T wave (σ, s; mV in V2; mV in V5). */
interface Chest {
  readonly waves: readonly Wave[];
  readonly t: readonly [number, number, number];
}

/**
 * Normally conducted QRS and T (T centre filled in from the preceding cycle), as every synthetic
 * strip draws them (synthetic-atrial-render.ts `LIMB_PAIR`).
 */
const NORMAL: readonly Wave[] = LIMB_PAIR.qrs.normal;
const NORMAL_T = LIMB_PAIR.t.normal;
/** Left bundle-branch block: broad notched R in II, broad QS in V1 (QRS ≈ 150 ms). */
const LBBB: readonly Wave[] = [
  [-0.025, 0.02, 0.55, -0.3],
  [0.03, 0.022, 0.6, -1.1],
];
const LBBB_T: readonly [number, number, number] = [0.06, -0.3, 0.35];
/** Right bundle-branch block aberrancy (Ashman beat), likewise. */
const RBBB: readonly Wave[] = LIMB_PAIR.qrs.rbbb;
const RBBB_T = LIMB_PAIR.t.rbbb;
/**
 * The same on V2 and V5 (synthetic-atrial-render.ts `CHEST_PAIR` for the normal and RBBB
 * complexes). Left bundle-branch block: a deep broad QS in V2 and a broad notched monophasic R in
 * V5, the T waves opposite (Chou ch. 5).
 */
const NORMAL_CHEST: Chest = { waves: CHEST_PAIR.qrs.normal, t: CHEST_PAIR.t.normal };
const RBBB_CHEST: Chest = { waves: CHEST_PAIR.qrs.rbbb, t: CHEST_PAIR.t.rbbb };
const LBBB_CHEST: Chest = {
  waves: [
    [-0.025, 0.02, -0.45, 0.75],
    [0.03, 0.022, -1.4, 0.85],
  ],
  t: [0.06, 0.45, -0.35],
};

/** A ventricular focus: its complex, T wave and coupling interval. */
interface Focus {
  readonly waves: readonly Wave[];
  readonly t: readonly [number, number, number];
  readonly chest: Chest;
  /** Re-entrant ectopy keeps a fixed coupling to the beat before it (± 40 ms), s. */
  readonly couplingS: number;
}

/**
 * A focus drawn at random: a broad main lobe (σ 25–45 ms) of either sign and size 0.35–1.8 mV,
 * coupled at 0.36–0.6 s (early "R-on-T" coupling under 0.36 s is rare). Its sizes on V2 and V5
 * come from `chestStream`, the chest leads' stream (0.4–1.8 mV, either sign), so that II and V1 do not
 * depend on them.
 */
function drawFocus(random: SeededRandom, chestStream: SeededRandom): Focus {
  const sigma = 0.025 + 0.02 * random.uniform();
  const sign = random.uniform() < 0.7 ? 1 : -1;
  const ampII = sign * (0.35 + 1.45 * random.uniform());
  const ampV1 = (random.uniform() < 0.5 ? -1 : 1) * (0.5 + 1 * random.uniform());
  const second = 0.25 + 0.4 * random.uniform();
  return {
    waves: [
      [0, sigma, ampII, ampV1],
      [1.6 * sigma, 0.8 * sigma, -second * ampII, -second * ampV1],
    ],
    t: [0.06 + 0.02 * random.uniform(), -0.4 * ampII, -0.4 * ampV1],
    chest: chestFocus(sigma, second, chestStream),
    couplingS: 0.36 + 0.24 * random.uniform(),
  };
}

/** A focus's complex on V2 and V5: the shape of its complex on II, its own sizes. */
function chestFocus(sigma: number, second: number, random: SeededRandom): Chest {
  const size = (): number => (random.uniform() < 0.5 ? -1 : 1) * (0.4 + 1.4 * random.uniform());
  const [v2, v5] = [size(), size()];
  return {
    waves: [
      [0, sigma, v2, v5],
      [1.6 * sigma, 0.8 * sigma, -second * v2, -second * v5],
    ],
    t: [0.06, -0.4 * v2, -0.4 * v5],
  };
}

/** Settings of one strip. */
export interface WideRhythmOptions {
  readonly pattern: WidePattern;
  readonly seed: number;
  /** Default 360 (MIT-BIH). */
  readonly sampleRateHz?: number;
  /** Default 300. */
  readonly durationS?: number;
  /** Added noise (default: 15 µV white noise only). */
  readonly noise?: StressNoise;
}

/** A labelled beat: R-time sample and AAMI class. */
export interface WideBeat {
  readonly sample: number;
  readonly beatClass: 'N' | 'V';
}

/** A generated strip: leads II and V1 in µV, the chest leads V2 and V5, and every beat. */
export interface WideRhythm {
  readonly sampleRateHz: number;
  readonly leads: [Float64Array, Float64Array];
  /** Leads V2 and V5, µV. */
  readonly chest: [Float64Array, Float64Array];
  readonly beats: WideBeat[];
}

interface Planned {
  rS: number;
  beatClass: 'N' | 'V';
  waves: readonly Wave[];
  t: readonly [number, number, number];
  chest: Chest;
}

/** Plans the beats of a strip. */
function plan(pattern: WidePattern, durationS: number, random: SeededRandom, chest: SeededRandom): Planned[] {
  const foci = [1, 2, 3].map(() => drawFocus(random, chest));
  const af = AF_PATTERNS.has(pattern);
  const vt = pattern === 'vt-runs';
  const meanRrS = af ? 0.6 + 0.25 * random.uniform() : 0.75 + 0.15 * random.uniform();
  const pvcShare = pattern === 'af-bbb' ? 0.08 : pattern === 'af-aberrant-pvc' ? 0.15 : vt ? 0.06 : 0.25;
  const beats: Planned[] = [];
  let t = 0.4 + 0.3 * random.uniform();
  let previousRrS = meanRrS;
  let sinceEctopic = 3;
  while (t < durationS - 1.5) {
    if (sinceEctopic >= 2 && random.uniform() < pvcShare) {
      const focus = foci[Math.floor(random.uniform() * foci.length)]!;
      const run = vt
        ? 3 + Math.floor(18 * random.uniform())
        : random.uniform() < 0.75
          ? 1
          : 2 + Math.floor(4 * random.uniform() ** 2);
      // a VT run is regular at one cycle, 0.3–0.5 s (200–120/min)
      const cycleS = vt ? 0.3 + 0.2 * random.uniform() : 0;
      const coupling = focus.couplingS + 0.04 * (2 * random.uniform() - 1);
      let at = t + Math.max(0.32, Math.min(coupling, 0.8 * previousRrS));
      for (let k = 0; k < run; k++) {
        // multiform: a salvo may change focus from beat to beat (a VT run keeps its focus)
        const f =
          !vt && k > 0 && random.uniform() < 0.4 ? foci[Math.floor(random.uniform() * foci.length)]! : focus;
        beats.push({ rS: at, beatClass: 'V', waves: f.waves, t: f.t, chest: f.chest });
        at += vt ? cycleS * (1 + 0.02 * random.gaussian()) : 0.32 + 0.13 * random.uniform();
      }
      const last = beats[beats.length - 1]!.rS;
      // sinus: compensatory pause (two cycles from the beat before); AF: a longer cycle after
      t = af ? last + meanRrS * (1 + 0.5 * random.uniform()) : Math.max(t + 2 * previousRrS, last + 0.6);
      sinceEctopic = 0;
    } else {
      const rrS = af ? Math.max(0.33, meanRrS * (0.55 + 0.9 * random.uniform())) : previousRrS;
      t += sinceEctopic === 0 ? 0 : rrS;
      const longShort = rrS < 0.75 * previousRrS && previousRrS > meanRrS;
      const [waves, tw, chest] =
        pattern === 'af-bbb'
          ? [LBBB, LBBB_T, LBBB_CHEST]
          : pattern === 'af-aberrant-pvc' && longShort
            ? [RBBB, RBBB_T, RBBB_CHEST]
            : [NORMAL, NORMAL_T, NORMAL_CHEST];
      beats.push({ rS: t, beatClass: 'N', waves, t: tw, chest });
      if (sinceEctopic > 0) previousRrS = af ? rrS : meanRrS * (1 + 0.03 * random.gaussian());
      sinceEctopic++;
    }
  }
  return beats;
}

/** The normal QRS's peak-to-peak amplitude on II, V1, V2 and V5, µV (the noise's SNR is against it). */
const NORMAL_PEAK_TO_PEAK_UV = [1300, 1150, 1800, 1550];

/** Builds one labelled strip. */
export function wideRhythm(options: WideRhythmOptions): WideRhythm {
  const fs = options.sampleRateHz ?? 360;
  const durationS = options.durationS ?? 300;
  const random = new SeededRandom(options.seed);
  const chestStream = chestRandom(options.seed);
  const beats = plan(options.pattern, durationS, random, chestStream);
  const n = Math.round(durationS * fs);
  const [ii, v1, v2, v5] = [0, 1, 2, 3].map(() => new Float64Array(n)) as [
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
  ];
  const add = waveAdder(ii, v1, fs);
  const addChest = waveAdder(v2, v5, fs);
  let lastR = beats[0]?.rS ?? 0;
  for (const b of beats) {
    const rr = Math.max(0.3, b.rS - lastR || 0.8);
    lastR = b.rS;
    for (const [dt, s, a2, av1] of b.waves) add(b.rS + dt, s, a2, av1);
    for (const [dt, s, a, b5] of b.chest.waves) addChest(b.rS + dt, s, a, b5);
    // QT follows the preceding cycle (Bazett): T at 0.3·√RR s after R
    add(b.rS + 0.3 * Math.sqrt(rr), b.t[0], b.t[1], b.t[2]);
    addChest(b.rS + 0.3 * Math.sqrt(rr), b.chest.t[0], b.chest.t[1], b.chest.t[2]);
  }
  const af = AF_PATTERNS.has(options.pattern);
  const fibUv = af ? 30 + 70 * random.uniform() : 0;
  const fibHz = 4.5 + 3 * random.uniform();
  for (let i = 0; i < n; i++) {
    const tS = i / fs;
    const fib = fibUv * Math.sin(2 * Math.PI * fibHz * tS + 2.5 * Math.sin(0.6 * tS) + Math.sin(1.7 * tS));
    ii[i] = ii[i]! + fib + 15 * random.gaussian();
    v1[i] = v1[i]! + 1.5 * fib + 15 * random.gaussian();
    v2[i] = v2[i]! + CHEST_PAIR.fibrillation[0] * fib + 15 * chestStream.gaussian();
    v5[i] = v5[i]! + CHEST_PAIR.fibrillation[1] * fib + 15 * chestStream.gaussian();
  }
  // the normal QRS is 1.3 mV peak to peak in II, 1.15 mV in V1, 1.8 in V2 and 1.55 in V5
  if (options.noise !== undefined)
    addStressNoise([ii, v1, v2, v5], options.noise, fs, options.seed, NORMAL_PEAK_TO_PEAK_UV);
  const labelled = beats
    .filter((b) => b.rS < durationS - 0.5)
    .map((b) => ({ sample: Math.round(b.rS * fs), beatClass: b.beatClass }));
  return { sampleRateHz: fs, leads: [ii, v1], chest: [v2, v5], beats: labelled };
}
