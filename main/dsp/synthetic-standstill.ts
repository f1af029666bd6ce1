/**
 * Ventricular standstill pasted into a real record, for testing that the QRS detector counts no P
 * wave as a beat when the ventricles stop and the atria go on (complete AV block without an
 * escape rhythm, the Stokes–Adams attack), and that the asystole alarm then sounds.
 *
 * The record is kept as recorded up to the end of one beat's T wave (0.45 s after its R peak) and
 * from the P wave of a later beat on (0.25 s before its R peak). Between them each lead carries its
 * own diastole, the stretch from the T wave to the next P wave (0.45 s after the beat to 0.25 s
 * before the next), repeated, each copy stretched a little to fill the cycle; and, with `pWaves`,
 * its own P wave (0.25 s to 0.09 s before the next beat's R peak, short of the QRS onset) once per
 * cycle, where the sinus node goes on putting it. Each piece has its trend removed and its ends
 * tapered to zero, and sits on a line from the level where the record stops to the level where it
 * resumes, so the joins are continuous and the baseline drifts as slowly as the record's. Without
 * `pWaves` the pause is a sinus arrest: the diastole alone.
 *
 * The waves are the record's own, so the P waves have their real size relative to the record's QRS
 * complexes. That is the point: a detector that has learnt the QRS size must not take them for
 * small complexes once its thresholds have decayed in the pause.
 */

/** Where a standstill was pasted: the first and last replaced samples, and the beats it replaced. */
export interface StandstillSpan {
  readonly startSample: number;
  readonly endSample: number;
  /** Index (into `beats`) of the beat the standstill follows and of the one it ends with. */
  readonly beforeBeat: number;
  readonly afterBeat: number;
}

/** Options of {@link pasteStandstill}. */
export interface StandstillOptions {
  /** Least length of the standstill, seconds (it ends at the first beat's P wave after that). */
  readonly seconds: number;
  /** P waves go on at the sinus cycle (true), or the pause is a sinus arrest (false). */
  readonly pWaves: boolean;
}

const T_END_S = 0.45;
const P_START_S = 0.25;
const P_END_S = 0.09;

/** Share of each end of a piece brought smoothly to zero (a Tukey window's taper). */
const TAPER = 0.1;

/** `values` less the line through its first and last points, its ends tapered to zero. */
function detrended(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const out = new Float64Array(n);
  const first = values[0]!;
  const slope = n > 1 ? (values[n - 1]! - first) / (n - 1) : 0;
  const taper = Math.max(1, Math.round(TAPER * n));
  for (let i = 0; i < n; i++) {
    const edge = Math.min(i, n - 1 - i);
    const w = edge >= taper ? 1 : 0.5 - 0.5 * Math.cos((Math.PI * edge) / taper);
    out[i] = w * (values[i]! - (first + slope * i));
  }
  return out;
}

/**
 * Pastes a standstill into every lead of `leads` (modified in place) after beat `beforeBeat` of
 * `beats` (R peaks, ascending samples), using that beat's cycle (the interval to the next beat) and
 * the next beat's P wave. Returns the span, or undefined when the beat is unsuitable: its cycle
 * outside 0.6–1.5 s, a diastole shorter than 0.1 s, or no later beat to resume with.
 */
export function pasteStandstill(
  leads: readonly Float64Array[],
  beats: readonly number[],
  sampleRateHz: number,
  beforeBeat: number,
  options: StandstillOptions,
): StandstillSpan | undefined {
  const fs = sampleRateHz;
  const r = beats[beforeBeat];
  const next = beats[beforeBeat + 1];
  if (r === undefined || next === undefined) return undefined;
  const cycle = next - r;
  if (cycle < 0.6 * fs || cycle > 1.5 * fs) return undefined;
  const diastoleFrom = r + Math.round(T_END_S * fs);
  const diastoleTo = next - Math.round(P_START_S * fs);
  const pTo = next - Math.round(P_END_S * fs);
  if (diastoleTo - diastoleFrom < 0.1 * fs) return undefined;
  const startSample = diastoleFrom;
  let afterBeat = beforeBeat + 1;
  while (
    afterBeat < beats.length &&
    beats[afterBeat]! - Math.round(P_START_S * fs) - startSample < options.seconds * fs
  )
    afterBeat++;
  const length = leads[0]?.length ?? 0;
  if (afterBeat >= beats.length) return undefined;
  const endSample = beats[afterBeat]! - Math.round(P_START_S * fs) - 1;
  if (endSample + 1 >= length) return undefined;
  const span = endSample - startSample + 1;
  for (const lead of leads) {
    const diastole = detrended(lead.subarray(diastoleFrom, diastoleTo + 1));
    const p = detrended(lead.subarray(diastoleTo, pTo + 1));
    const from = lead[startSample - 1] ?? lead[startSample]!;
    const to = lead[endSample + 1]!;
    // each cycle, timed from the beat before: the P wave where the sinus node puts it (0.25 s to
    // 0.09 s before the next R), and from its end to the next P wave the diastole, repeated a whole
    // number of times (each copy stretched a little to fit, so that it meets the P wave at zero)
    const fill = options.pWaves ? cycle - p.length : cycle;
    const pEnd = cycle - Math.round(P_END_S * fs);
    const copies = Math.max(1, Math.round(fill / diastole.length));
    const copyLength = fill / copies;
    for (let i = 0; i < span; i++) {
      const inCycle = (((startSample + i - r - pEnd - 1) % cycle) + cycle) % cycle;
      let wave: number;
      if (inCycle >= fill) wave = p[inCycle - fill]!;
      else {
        const x = ((inCycle % copyLength) / copyLength) * (diastole.length - 1);
        const k = Math.floor(x);
        wave = diastole[k]! + (x - k) * ((diastole[k + 1] ?? diastole[k]!) - diastole[k]!);
      }
      lead[startSample + i] = from + ((to - from) * (i + 1)) / (span + 1) + wave;
    }
  }
  return { startSample, endSample, beforeBeat, afterBeat };
}
