/**
 * Atrial flutter told from a sinus rhythm between the beats, so that the conducted beats of
 * flutter with variable AV block are not taken for premature atrial beats (AAMI counts them N).
 *
 * In typical atrial flutter the atria are activated by one macro-re-entrant circuit at 240–340
 * cycles/min, very regularly; the ECG shows it as continuous flutter waves — in the inferior
 * leads a sawtooth without isoelectric baseline — and the AV node conducts every 2nd, 3rd or 4th
 * wave (Chou's *Electrocardiography in Clinical Practice*, ch. 17; Cosío, Arrhythm Electrophysiol
 * Rev 6(2):55–62, 2017). When the conduction ratio changes from 4:1 to 2:1 the RR halves
 * abruptly, which a premature-beat rule reads as an atrial premature beat; but the beat comes on
 * a flutter wave like every other, at the same FR interval, and RRs are whole numbers of flutter
 * cycles: nothing premature happened in the atria. A sinus rhythm leaves the interval between the
 * end of T and the next QRS flat but for one P wave; fibrillation fills it with irregular f-waves,
 * flutter with a wave that repeats itself every 170–300 ms, without an isoelectric baseline. So
 * the segment from the end of the previous beat's T to the next QRS onset is tested for a
 * repeating wave: its normalised autocorrelation (each lead's line removed, leads summed) at the
 * best lag in {@link MIN_CYCLE_S}–{@link MAX_CYCLE_S}, unless it holds an isoelectric baseline
 * ({@link ISOELECTRIC_SHARE}). The segment exists only at RRs long enough (a 3:1 or
 * 4:1 cycle, or a sinus beat); at 2:1 the T reaches the next QRS and the last verdict stands.
 * The same test also recognises coarse, regular fibrillation, whose beats AAMI counts N as well.
 */
import type { SampleReader } from './beat-windows.js';
import { median } from './stats.js';

/** Shortest flutter cycle looked for, s (350/min: faster re-entry is rare without drugs). */
export const MIN_CYCLE_S = 0.17;
/** Longest flutter cycle looked for, s (200/min: flutter slowed by antiarrhythmic drugs). */
export const MAX_CYCLE_S = 0.3;
/**
 * Score (autocorrelation at the cycle less that at half the cycle, halved; 0 for a segment with
 * an isoelectric baseline, {@link ISOELECTRIC_SHARE}) whose median over the last segments must
 * reach this for a repeating atrial wave. A sinus segment — a flat line with one P — scores low;
 * synthetic flutter 0.55–0.65 (median) with the earlier high-pass. A T wave and the P of an
 * ectopic atrial run 170–300 ms apart can mimic one cycle: at 0.5 a sinus bradycardia with
 * frequent ectopic atrial runs (test/unit/dsp/beat-atrial-runs.test.ts, like MIT-BIH 232) lost 5 %
 * of its S beats, at 0.55 none; the isoelectric test now keeps such segments out as well.
 */
export const REPEATING_WAVE = 0.55;
/**
 * Once flutter is recognised, it lasts while that median stays at least this. A flutter
 * segment's score wavers about the entry level — a T wave's remnant or noise lowers single
 * segments — and when the verdict dropped at a median of 0.52 the sinus P template went on
 * learning from the conducted beats, turned into a flutter wave, and no sinus P was missing
 * any more: flutter was not recognised again for the rest of the episode (synthetic flutter with
 * variable block, `npm run bench -- beats --synthetic`: 179 of 1,273 conducted beats called S
 * over 4 × 5 min; 40 with this level). A return to sinus rhythm (segments scoring low) brings the
 * median under it within three beats.
 */
export const STILL_REPEATING = 0.4;
/**
 * Half-span of the high-pass applied first, x − the mean of x over ± this: it passes 4–12 Hz
 * (flutter waves and their harmonics) at a gain of 0.8–1.2 and damps the slow remainder of the T
 * wave (≤ 2 Hz) to a quarter. It was x minus the mean of the two samples 60 ms either side,
 * whose gain rises from 1 at a 0.24-s cycle's fundamental to 2 at its second harmonic: the
 * filtered wave half-repeated at half the cycle, which the score subtracts, and a noise-free
 * sawtooth of that cycle scored 0.57–0.62 against 0.77–0.85 at 0.18 s (0.76–0.87 at both now).
 * Near the segment's ends the mean is taken over the part of the span read ({@link
 * SEGMENT_REACH_S} beyond each end).
 */
export const SMOOTH_WAVE_S = 0.1;
/** How far beyond each end the segment is read for the high-pass, s (the QRS starts past it). */
const SEGMENT_REACH_S = 0.06;
/**
 * An isoelectric baseline: where the segment's local RMS (over ± {@link ISOELECTRIC_WINDOW_S},
 * leads summed) stays under {@link ISOELECTRIC_LEVEL} of its largest for at least
 * {@link ISOELECTRIC_SHARE} of the segment, the atrial activity is discrete waves on a baseline,
 * not flutter, and the segment scores 0. Typical flutter has no isoelectric baseline between its
 * waves, whereas an atrial tachycardia's P waves, and a sinus P, stand on one (Chou's
 * *Electrocardiography in Clinical Practice*, ch. 17; Marriott's *Practical Electrocardiography*,
 * "Atrial flutter"). It is what tells flutter from a T wave and an ectopic P 170–300 ms apart,
 * which repeat at one interval within an atrial run as flutter waves do (synthetic, `scoredist`
 * scratch listing: segments of flutter scoring ≥ 0.5 are 9–41 % near-flat sample by sample, those
 * of a bradycardia with ectopic atrial runs like MIT-BIH 232 34–48 %; the local RMS keeps a
 * continuous wave's own zero crossings from counting). With it and the high-pass above, the
 * conducted beats of synthetic flutter with variable block called S went 322 → 17 over 8 × 5 min
 * (`npm run bench -- beats --synthetic --seeds 8`), and the ectopic atrial runs kept 98.9 % of
 * their S calls. A noise-free sawtooth on one lead of a cycle of 0.24 s or more in a segment
 * shorter than about 0.5 s still reads isoelectric (its slow ramps cross zero for long), so slow
 * flutter seen on a single lead may go unrecognised.
 */
export const ISOELECTRIC_SHARE = 0.2;
/** Half-width (s) of the local RMS that {@link ISOELECTRIC_SHARE} reads. */
export const ISOELECTRIC_WINDOW_S = 0.05;
/** Share of the largest local RMS under which the segment is at its baseline. */
export const ISOELECTRIC_LEVEL = 1 / 3;
/** Rate (Hz) the segment is averaged down to before the test. */
const ANALYSIS_RATE_HZ = 150;
/** The segment ends this long before R (QRS onset, and the filter's spread of it). */
const BEFORE_QRS_S = 0.1;
/** Overlap (s) the autocorrelation needs beyond the lag. */
const MIN_OVERLAP_S = 0.12;
/** Measured segments whose median decides. */
const SEGMENTS = 5;

/**
 * Normalised autocorrelation of `x` (several equal-length leads, concatenated, each with its
 * least-squares line removed) at `lag`, over the overlapping parts of every lead.
 */
function lagCorrelation(x: readonly Float64Array[], lag: number): number {
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (const v of x) {
    for (let i = 0; i + lag < v.length; i++) {
      sxy += v[i]! * v[i + lag]!;
      sxx += v[i]! * v[i]!;
      syy += v[i + lag]! * v[i + lag]!;
    }
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0;
}

/** Removes the least-squares line from `v` in place. */
function detrend(v: Float64Array): void {
  const n = v.length;
  const mx = (n - 1) / 2;
  let my = 0;
  for (let i = 0; i < n; i++) my += v[i]!;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (i - mx) * (v[i]! - my);
    sxx += (i - mx) * (i - mx);
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  for (let i = 0; i < n; i++) v[i] = v[i]! - my - slope * (i - mx);
}

/**
 * The repeating-wave test of one segment (samples `from`…`to` of every lead): the best
 * autocorrelation over the flutter cycles and the cycle (samples), or null when the segment is
 * too short. `scratch` (two per lead and two more, grown as needed) saves allocating the segment every beat.
 */
export function repeatingWave(
  read: SampleReader,
  leadCount: number,
  from: number,
  to: number,
  sampleRateHz: number,
  scratch: Float64Array[] = [],
): { correlation: number; cycle: number } | null {
  // block means down to ≈ ANALYSIS_RATE_HZ: the atrial waves lie below 15 Hz, and the test runs every beat
  const k = Math.max(1, Math.floor(sampleRateHz / ANALYSIS_RATE_HZ));
  const rate = sampleRateHz / k;
  const n = Math.floor((to - from) / k);
  const minLag = Math.round(MIN_CYCLE_S * rate);
  const maxLag = Math.min(Math.round(MAX_CYCLE_S * rate), n - Math.round(MIN_OVERLAP_S * rate));
  if (maxLag < minLag) return null;
  // the segment is read this far beyond each end (not into the QRS), and the high-pass's mean is
  // taken over the part of its span that lies within
  const h = Math.max(1, Math.round(SEGMENT_REACH_S * rate));
  const span = Math.max(1, Math.round(SMOOTH_WAVE_S * rate));
  const slot = (index: number, length: number): Float64Array => {
    if ((scratch[index]?.length ?? 0) < length) scratch[index] = new Float64Array(2 * length);
    return scratch[index]!.subarray(0, length);
  };
  const leads = Array.from({ length: leadCount }, (_, l) => {
    // block means from h blocks before the segment to h after it, each sample read once
    const d = slot(2 * l, n + 2 * h);
    for (let i = 0; i < d.length; i++) {
      let sum = 0;
      for (let j = 0; j < k; j++) sum += read(l, from + (i - h) * k + j);
      d[i] = sum / k;
    }
    const v = slot(2 * l + 1, n);
    for (let i = 0; i < n; i++) {
      const a = Math.max(0, i + h - span);
      const b = Math.min(d.length - 1, i + h + span);
      let sum = 0;
      for (let j = a; j <= b; j++) sum += d[j]!;
      v[i] = d[i + h]! - sum / (b - a + 1);
    }
    detrend(v);
    return v;
  });
  const w = Math.max(1, Math.round(ISOELECTRIC_WINDOW_S * rate));
  const [power, local] = [slot(2 * leadCount, n + 1), slot(2 * leadCount + 1, n)];
  if (isoelectricShare(leads, n, w, power, local) >= ISOELECTRIC_SHARE) {
    return { correlation: 0, cycle: minLag * k };
  }
  let best = { correlation: -1, cycle: minLag * k };
  for (let lag = minLag; lag <= maxLag; lag++) {
    // a wave that repeats itself is opposite itself half a cycle on; a slow wave is not
    const c = (lagCorrelation(leads, lag) - lagCorrelation(leads, Math.round(lag / 2))) / 2;
    if (c > best.correlation) best = { correlation: c, cycle: lag * k };
  }
  return best;
}

/**
 * Share of the segment (`n` samples of the high-passed `leads`) whose local RMS over ± `w`
 * samples, leads summed, is under {@link ISOELECTRIC_LEVEL} of the largest; `power` (n + 1) and
 * `local` (n) are scratch.
 */
function isoelectricShare(
  leads: readonly Float64Array[],
  n: number,
  w: number,
  power: Float64Array,
  local: Float64Array,
): number {
  power[0] = 0;
  for (let i = 0; i < n; i++) {
    let e = 0;
    for (const v of leads) e += v[i]! * v[i]!;
    power[i + 1] = power[i]! + e;
  }
  let largest = 0;
  for (let i = 0; i < n; i++) {
    const a = Math.max(0, i - w);
    const b = Math.min(n, i + w + 1);
    local[i] = (power[b]! - power[a]!) / (b - a);
    largest = Math.max(largest, local[i]!);
  }
  // compared as mean powers: RMS under a third is power under a ninth
  let flat = 0;
  for (let i = 0; i < n; i++) if (local[i]! < ISOELECTRIC_LEVEL ** 2 * largest) flat++;
  return n === 0 ? 0 : flat / n;
}

/**
 * Start of the tested segment after an R, s, for the RR `rrS` that follows: three quarters of the
 * QT (≈ 0.42·√RR, Bazett), past the T's peak; the high-pass damps the rest of the T.
 */
export function tEndS(rrS: number): number {
  return 0.75 * 0.42 * Math.sqrt(rrS);
}

/** P-window correlations of the last beats whose median {@link FlutterWatch.observe} reads. */
const P_BEATS = 5;

/** The last segments' verdicts on a repeating atrial wave, beat by beat. */
export class FlutterWatch {
  private readonly recent: number[] = [];
  private lastCorrelation = NaN;
  private readonly pCorrelations: number[] = [];
  private readonly scratch: Float64Array[] = [];
  /** Flutter recognised, and its repeating wave seen since. */
  private latched = false;

  constructor(
    private readonly sampleRateHz: number,
    private readonly leadCount: number,
  ) {}

  /**
   * After the beat at `r` (RR before it `rr`, null for the first; P-window correlation with the
   * sinus P template `pCorrelation`, NaN unknown): tests the segment since the previous beat and
   * returns whether the atria are in flutter — a repeating wave between the beats
   * ({@link repeatingWaves}) and, when it begins, no sinus P before the beats (the median of the
   * last beats' P-window correlations under `pThreshold`, the patient's "not the sinus P"
   * threshold). The second condition keeps out a sinus rhythm whose T–U and P waves happen to
   * repeat at a flutter-like interval. Once recognised, flutter lasts while the wave repeats, to
   * the lower level {@link STILL_REPEATING} (the P template, learning from the conducted beats,
   * turns into a flutter wave — the caller stops that learning while flutter is recognised); it
   * is recognised from the recording's start only by {@link recognisedAtStart}.
   */
  observe(
    r: number,
    rr: number | null,
    read: SampleReader,
    pCorrelation: number,
    pThreshold: number,
  ): boolean {
    const fs = this.sampleRateHz;
    const w =
      rr === null
        ? null
        : repeatingWave(
            read,
            this.leadCount,
            r - rr + Math.round(tEndS(rr / fs) * fs),
            r - Math.round(BEFORE_QRS_S * fs),
            fs,
            this.scratch,
          );
    this.lastCorrelation = w === null ? NaN : w.correlation;
    if (w !== null) {
      this.recent.push(w.correlation);
      if (this.recent.length > SEGMENTS) this.recent.shift();
    }
    if (!Number.isNaN(pCorrelation)) this.pCorrelations.push(pCorrelation);
    if (this.pCorrelations.length > P_BEATS) this.pCorrelations.shift();
    const noSinusP = this.pCorrelations.length > 0 && median(this.pCorrelations) < pThreshold;
    this.latched = this.latched ? this.medianReaches(STILL_REPEATING) : this.repeatingWaves && noSinusP;
    return this.latched;
  }

  /**
   * At the end of the classifier's boot (the segments between its first beats observed): whether
   * the recording starts in flutter — a repeating wave in the median of those segments
   * ({@link REPEATING_WAVE}); if so, flutter is recognised from there without the P-wave test,
   * since the boot beats' P template would be a flutter wave (the caller then drops it). A sinus
   * start is not taken for flutter: its segments score low. Flutter whose boot segments are
   * mostly too short to measure (2:1 conduction) or score under that level is not recognised so.
   */
  recognisedAtStart(): boolean {
    if (this.repeatingWaves) this.latched = true;
    return this.latched;
  }

  /** The autocorrelation of the last beat's segment (NaN: too short). */
  get correlation(): number {
    return this.lastCorrelation;
  }

  /** Whether the median of the last measured segments holds a repeating wave. */
  get repeatingWaves(): boolean {
    return this.medianReaches(REPEATING_WAVE);
  }

  /**
   * Whether the segments between the last beats hold a repeating wave at the level that keeps a
   * recognised flutter going ({@link STILL_REPEATING}), recognised or not: continuous atrial waves,
   * against which a recurring P-like wave before a beat is one of them, not an ectopic focus's P.
   */
  get wavesBetweenBeats(): boolean {
    return this.medianReaches(STILL_REPEATING);
  }

  /** Whether at least three segments are measured and their median score reaches `level`. */
  private medianReaches(level: number): boolean {
    return this.recent.length >= 3 && median(this.recent) >= level;
  }
}
