/**
 * Synthetic ECG of atrioventricular block on leads II and V1, and V2 and V5 (with II the leads the
 * live pipeline fuses for detection, pipeline.ts), with exact beat labels: P waves that are not
 * followed by a QRS, which a QRS detector must not count.
 *
 * Physiology (Chou's *Electrocardiography in Clinical Practice*, ch. 18; Marriott's *Practical
 * Electrocardiography*, "AV block"):
 * - `block-2to1`: second-degree block with 2:1 conduction — every other sinus P conducts, at a
 *   constant PR (0.16–0.24 s), the other is blocked; the ventricular rate is half the atrial rate.
 *   The conducted QRS is normal (block in the node) or has right-bundle-branch block (block below
 *   it, as in MIT-BIH 231, which we do not hold).
 * - `chb-junctional`, `chb-ventricular`: third-degree (complete) block — atria and ventricles beat
 *   independently (AV dissociation). The sinus P waves march through at 60–90/min and land
 *   anywhere, on the QRS and the T wave too; a regular escape rhythm drives the ventricles: from
 *   the AV junction with a narrow QRS at 40–55/min (AAMI N), or from the ventricles with a wide QRS
 *   at 25–40/min (ventricular escape, AAMI V).
 * P waves are 0.15–0.26 mV in lead II, 0.07–0.14 mV in V2 and V5 (atrial rate 60–90/min). Rendering,
 * noise and baseline wander as in synthetic-atrial-render.ts (`LIMB_PAIR`, `CHEST_PAIR`); NST-type noise on request (synthetic-noise.ts), its SNR taken
 * against the strip's own QRS complexes as the NST takes it.
 */
import {
  type Beat,
  CHEST_PAIR,
  chestRandom,
  type PShape,
  type QrsKind,
  render,
  SINUS_P,
  SINUS_P_CHEST,
  type StripOptions,
} from './synthetic-atrial-render.js';
import type { AtrialRhythm } from './synthetic-atrial.js';
import { addStressNoise, type StressNoise } from './synthetic-noise.js';
import { SeededRandom } from './synthetic-prng.js';
import { median } from './stats.js';

/** The AV block rhythms the generator builds. */
export const BLOCK_PATTERNS = ['block-2to1', 'chb-junctional', 'chb-ventricular'] as const;
export type BlockPattern = (typeof BLOCK_PATTERNS)[number];

/** A generated strip with the sample of every P wave (conducted or blocked). */
export interface BlockRhythm extends AtrialRhythm {
  readonly pWaves: readonly number[];
  /** Leads V2 and V5, µV: the same beats, with noise of their own. */
  readonly chest: [Float64Array, Float64Array];
}

/** Settings of one AV block strip. */
export interface BlockRhythmOptions extends StripOptions {
  readonly pattern: BlockPattern;
  /** Added NST-type noise, at its SNR against the strip's own QRS complexes (default: none). */
  readonly noise?: StressNoise;
}

/**
 * Builds one labelled strip of AV block: leads II and V1 and the chest leads V2 and V5 in µV,
 * every QRS and every P wave. Leads II and V1 do not depend on the chest leads (which draw from a
 * random stream of their own).
 */
export function avBlockRhythm(options: BlockRhythmOptions): BlockRhythm {
  const fs = options.sampleRateHz ?? 360;
  const durationS = options.durationS ?? 300;
  const random = new SeededRandom(options.seed);
  const noise = options.noiseMicrovolts ?? 10 + 20 * random.uniform();
  const pScale = 1 + 0.75 * random.uniform();
  const p: PShape = SINUS_P.map(([dt, s, mvII, mvV1]) => [dt, s, pScale * mvII, pScale * mvV1]);
  const atrialRrS = 60 / (60 + 30 * random.uniform());
  const blockedP = (tS: number): Beat => ({
    rS: tS,
    beatClass: 'N',
    p,
    prS: 0,
    conducted: false,
    retrograde: false,
  });
  const beats: Beat[] = [];
  const jitter = (): number => 1 + 0.02 * random.gaussian();
  if (options.pattern === 'block-2to1') {
    const prS = 0.16 + 0.08 * random.uniform();
    const qrs: QrsKind = random.uniform() < 0.5 ? 'normal' : 'rbbb';
    let k = 0;
    for (let t = 0.2 + atrialRrS * random.uniform(); t < durationS; t += atrialRrS * jitter(), k++) {
      beats.push(
        k % 2 === 0
          ? { rS: t + prS, beatClass: 'N', p, prS, conducted: true, retrograde: false, qrs }
          : blockedP(t),
      );
    }
  } else {
    const junctional = options.pattern === 'chb-junctional';
    const escapeRrS = 60 / (junctional ? 40 + 15 * random.uniform() : 25 + 15 * random.uniform());
    for (let t = 0.2 + atrialRrS * random.uniform(); t < durationS; t += atrialRrS * jitter())
      beats.push(blockedP(t));
    for (let r = 0.3 + escapeRrS * random.uniform(); r < durationS; r += escapeRrS * jitter()) {
      beats.push({
        rS: r,
        beatClass: junctional ? 'N' : 'V',
        p: null,
        prS: 0,
        conducted: true,
        retrograde: false,
        qrs: junctional ? 'normal' : 'ventricular',
      });
    }
    beats.sort((a, b) => a.rS - b.rS);
  }
  const pWaves = beats
    .filter((b) => b.p !== null && b.rS - b.prS < durationS)
    .map((b) => Math.round((b.rS - b.prS) * fs));
  const strip = render(beats, fs, durationS, random, noise);
  const pChest: PShape = SINUS_P_CHEST.map(([dt, s, v2, v5]) => [dt, s, pScale * v2, pScale * v5]);
  const chestBeats = beats.map((b) => (b.p === null ? b : { ...b, p: pChest }));
  const chest = render(chestBeats, fs, durationS, chestRandom(options.seed), noise, CHEST_PAIR).leads;
  if (options.noise !== undefined) {
    const leads = [...strip.leads, ...chest];
    addStressNoise(leads, options.noise, fs, options.seed, qrsPeakToPeak(leads, strip));
  }
  return { ...strip, pWaves, chest };
}

/** Half the window a QRS's peak-to-peak amplitude is measured in, around its R peak, s. */
const QRS_HALF_WINDOW_S = 0.06;

/** Each of `leads`' median QRS peak-to-peak amplitude over the strip's beats, µV (the SNR's signal). */
function qrsPeakToPeak(leads: readonly Float64Array[], strip: AtrialRhythm): number[] {
  const half = Math.round(QRS_HALF_WINDOW_S * strip.sampleRateHz);
  return leads.map((lead) =>
    median(
      strip.beats.map(({ sample }) => {
        let [lo, hi] = [Infinity, -Infinity];
        for (let i = Math.max(0, sample - half); i <= Math.min(lead.length - 1, sample + half); i++) {
          lo = Math.min(lo, lead[i]!);
          hi = Math.max(hi, lead[i]!);
        }
        return hi - lo;
      }),
    ),
  );
}
