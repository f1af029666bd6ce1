/**
 * The timing and P-wave half of the supraventricular-ectopy (AAMI S) decision: whether a beat
 * with a normally conducted QRS came early enough, and with a P wave unlike enough the
 * patient's sinus P, to be an atrial or junctional premature beat rather than a sinus beat.
 *
 * The two kinds of evidence are weighed against each other rather than each held to one fixed
 * bar, because each alone is ambiguous over part of its range:
 * - **Prematurity** is the RR before the beat over the local normal RR (the mean of recent
 *   normal-to-normal intervals: de Chazal, O'Dwyer & Reilly, IEEE TBME 51(7):1196–1206, 2004,
 *   "pre-RR" over "local average RR"; Llamedo & Martínez, IEEE TBME 58(3):616–625, 2011, found
 *   these normalised RR features the strongest single S discriminators, and Mar et al., IEEE
 *   TBME 58(8):2168–2177, 2011, likewise). A sinus node does not fire much earlier than its
 *   own recent rhythm from one beat to the next: heart-rate-variability practice edits out as
 *   ectopic any RR more than 20 % shorter than the previous one (the "20 % filter", Kamath &
 *   Fallen 1995, in Malik & Camm, *Heart Rate Variability*). So a beat that comes abruptly at
 *   under {@link CLEARLY_PREMATURE_RATIO} of the local normal RR is ectopic whatever its P
 *   wave looks like (the P of an early APC is often buried in the previous T, and a junctional
 *   beat has none, so the P window is the least reliable feature exactly there).
 * - Between that and {@link PREMATURE_RATIO} a sinus beat can still come (respiratory sinus
 *   arrhythmia, a sigh), so the P wave must differ from the sinus P (the caller's threshold,
 *   scaled to how consistent the patient's own sinus P windows are).
 * - Up to {@link MODESTLY_PREMATURE_RATIO} (an APC from a focus near the sinus node, or a late
 *   one in a slow rhythm, comes only 10–15 % early) the P wave must be clearly foreign: its
 *   correlation under {@link FOREIGN_P_SHARE} of that threshold.
 * In every tier the beat must also come abruptly (the caller's test: shorter than the previous
 * RR by a margin, or continuing a run of S beats), which a gradual sinus acceleration does not.
 */
import type { BeatClass } from './hrv.js';
import { correlation, median } from './stats.js';

/** Prematurity under which an abrupt, normally conducted beat is S without a P-wave test. */
export const CLEARLY_PREMATURE_RATIO = 0.75;
/** Prematurity under which an abrupt beat with a P unlike the sinus P is S. */
export const PREMATURE_RATIO = 0.85;
/** Prematurity under which an abrupt beat with a clearly foreign P wave is S. */
export const MODESTLY_PREMATURE_RATIO = 0.9;
/** Share of the "unlike the sinus P" threshold under which a P window is clearly foreign. */
export const FOREIGN_P_SHARE = 2 / 3;

/**
 * Whether a P window's correlation with the sinus P template (`pCorrelation`) is clearly foreign:
 * under {@link FOREIGN_P_SHARE} of the "not the sinus P" threshold `pThreshold` (false while
 * either is unknown, NaN).
 */
export function clearlyForeignP(pCorrelation: number, pThreshold: number): boolean {
  return pCorrelation < FOREIGN_P_SHARE * pThreshold;
}

/** An RR at least this much shorter than the one before it changed abruptly, not gradually. */
export const ABRUPT_RATIO = 0.9;

/** Whether `rr` is abruptly shorter than `previousRr` (true when there is no previous RR). */
export function abruptlyShorter(rr: number | null, previousRr: number): boolean {
  return rr !== null && (previousRr <= 0 || rr < ABRUPT_RATIO * previousRr);
}

/**
 * Largest change of RR, as a share of the previous RR, with which a beat continues a run of S
 * beats: a supraventricular tachycardia is regular (re-entry, or one ectopic focus firing at its
 * own rate), whereas atrial fibrillation's "early" beats follow each other at random.
 */
export const RUN_RR_CHANGE = 0.15;

/** Whether `rr` continues a regular run whose last RR was `previousRr` (or shortens abruptly). */
export function continuesRun(rr: number | null, previousRr: number): boolean {
  return (
    rr !== null &&
    previousRr > 0 &&
    rr < (1 + RUN_RR_CHANGE) * previousRr &&
    rr > (1 - RUN_RR_CHANGE) * previousRr
  );
}

/** What {@link abruptOnset} reads of a beat and the one before it. */
export interface OnsetEvidence {
  readonly lastClass: BeatClass;
  readonly rr: number | null;
  readonly previousRr: number;
  /** RR from the last beat not called V (the atria run on under a PVC), and the one before. */
  readonly atrialRr: number | null;
  readonly previousAtrialRr: number;
  /** The beats called N before this one showed a sinus rhythm (beat-rhythm-before.ts). */
  readonly sinusPBefore: boolean;
  /** The beat before, called N, was itself a beat of an ectopic run ({@link ectopicRunBefore}). */
  readonly previousEctopicRun?: boolean;
  /** The beat carries the P wave of a known ectopic atrial focus ({@link EctopicAtrialFoci.carries}). */
  readonly knownFocusP?: boolean;
  /**
   * The RR before ended at the beat after a V: it holds the PVC's compensatory pause, not a
   * sinus cycle, and a shorter RR after it says nothing of ectopy.
   */
  readonly previousRrEndedPause?: boolean;
  /** The beat's P window is clearly foreign ({@link clearlyForeignP}). */
  readonly foreignP?: boolean;
}

/**
 * Correlation of a beat's P window with the previous beat's at or above which both carry the P
 * of one focus (sinus beats reach 0.9 and more with their own template).
 */
export const SAME_FOCUS_P = 0.8;

/** What {@link ectopicRunBefore} reads. */
export interface RunEvidence {
  /** RR before the previous beat, and the local normal RR (any one unit; ≤ 0: unknown). */
  readonly previousRr: number;
  readonly reference: number;
  /** This beat's P-window correlation with the sinus P template, and the "not sinus P" threshold. */
  readonly pCorrelation: number;
  readonly pThreshold: number;
  /** Correlation of this beat's P window with the previous beat's. */
  readonly pWithPrevious: number;
}

/**
 * Whether the beat before this one, though called N, was a beat of the ectopic atrial run this
 * one continues: it came early itself (RR under {@link PREMATURE_RATIO} of the local normal RR),
 * and this beat's P is not the sinus P but is the previous beat's (correlation ≥
 * {@link SAME_FOCUS_P}) — one ectopic focus drives a run, so its beats share a P wave unlike the
 * sinus one. The first beat of a run can be missed (its P hidden, its coupling modest, or the
 * run began while the classifier booted); every later beat of it then follows an N at the run's
 * own regular rate, not abruptly, and without this the whole run, and every run after it once
 * its RRs have become the local normal RR, would be N. A sinus acceleration shows the sinus P;
 * atrial fibrillation shows no two alike P windows (its "early" beats come irregularly besides,
 * which {@link abruptOnset} asks of the run too).
 */
export function ectopicRunBefore(e: RunEvidence): boolean {
  const early = e.previousRr > 0 && e.reference > 0 && e.previousRr < PREMATURE_RATIO * e.reference;
  return early && clearlyForeignP(e.pCorrelation, e.pThreshold) && e.pWithPrevious >= SAME_FOCUS_P;
}

/**
 * Whether a beat's timing changed abruptly, as an ectopic beat's does: it continues a run of S
 * beats (regularly, {@link continuesRun}, or shortening further), or regularly a run whose beats
 * so far were called N ({@link ectopicRunBefore}), or it interrupts a rhythm that showed sinus P
 * waves by an RR abruptly shorter than the one before (after a V, the atrial RRs), or by the P
 * wave of a known ectopic focus ({@link EctopicAtrialFoci}) — an atrial beat that is not the
 * sinus node's, whose earliness {@link atrialPrematurity} then reads against the local normal RR
 * however short the RR before it was. When the RR before held a PVC's compensatory pause (the
 * beat before this one followed a V), an RR shorter than that pause is the sinus rhythm
 * resuming, not a change of it (the RRs of heart-rate turbulence after a PVC are the rhythm's
 * own: Schmidt et al., Lancet 353:1390–1396, 1999), and only a clearly foreign P shows an ectopic
 * beat there. On MIT-BIH 106 played at 128 Hz, the RR test taken across such pauses started
 * false runs of S (11 false S; 1 with this rule, `npm run bench -- beats`).
 */
export function abruptOnset(e: OnsetEvidence): boolean {
  if (e.lastClass === 'S' && (continuesRun(e.rr, e.previousRr) || abruptlyShorter(e.rr, e.previousRr))) {
    return true;
  }
  // a run whose first beats were called N continues at its own regular rate
  if (e.lastClass === 'N' && e.previousEctopicRun === true && continuesRun(e.rr, e.previousRr)) return true;
  if (!e.sinusPBefore) return false;
  if (e.knownFocusP === true) return true;
  if (e.lastClass === 'V') return abruptlyShorter(e.atrialRr, e.previousAtrialRr);
  // after a PVC's pause only the P wave can show that the rhythm changed
  if (e.previousRrEndedPause === true) return e.foreignP === true;
  return abruptlyShorter(e.rr, e.previousRr);
}

/** Correlation with the normal template at or above which a QRS has the normally conducted shape. */
export const NORMAL_SHAPE = 0.9;
/** Width (over the normal QRS's) under which a normally shaped QRS is normally conducted. */
export const NORMAL_WIDTH_RATIO = 1.2;
/** Correlation at or above which the QRS is the normal one even where the width reads wider. */
export const SAME_SHAPE = 0.95;
/** Width under which a QRS of the same shape ({@link SAME_SHAPE}) is still supraventricular. */
export const MINOR_ABERRANCY_WIDTH_RATIO = 1.5;

/**
 * How a QRS (correlation `correlation` with the normal template, spread `widthRatio` times the
 * normal one's) was conducted: `normal` (the normal shape and width: down the normal pathway, as
 * an atrial or junctional beat's is); `minor-aberrancy` (the very same shape, r ≥
 * {@link SAME_SHAPE}, up to {@link MINOR_ABERRANCY_WIDTH_RATIO} wide); else null. An early beat
 * conducts while parts of the bundle branches are still relatively refractory, so its QRS may
 * widen a little while keeping the normal activation sequence — minor or incomplete aberration,
 * the mild end of the Ashman phenomenon (Gouaux & Ashman, Am Heart J 34:366–373, 1947; Chou's
 * *Electrocardiography in Clinical Practice*, ch. 21) — and the window of an early beat reaches
 * back onto the previous T wave, whose slope the width measure counts. A ventricular beat,
 * activated from elsewhere through the myocardium, does not keep the normal shape at r ≥ 0.95;
 * but as the width then says less, the caller asks a minor-aberrancy beat for the P-wave
 * evidence of an ectopic atrial focus as well ({@link atrialPrematurity}'s `foreignPOnly`).
 */
export function supraventricularQrs(
  correlation: number,
  widthRatio: number,
): 'normal' | 'minor-aberrancy' | null {
  if (correlation >= NORMAL_SHAPE && widthRatio < NORMAL_WIDTH_RATIO) return 'normal';
  return correlation >= SAME_SHAPE && widthRatio < MINOR_ABERRANCY_WIDTH_RATIO ? 'minor-aberrancy' : null;
}

/** What the timing and P-wave test reads of one beat. */
export interface AtrialEvidence {
  /** RR before the beat over the local normal RR; null when unknown. */
  readonly prematurity: number | null;
  /** The RR shortened abruptly (or the beat continues a run of S beats). */
  readonly abrupt: boolean;
  /** Correlation of the beat's P window with the sinus P template (NaN unknown). */
  readonly pCorrelation: number;
  /** Correlation under which a P window is taken for not the sinus P. */
  readonly pThreshold: number;
  /** Ask for a clearly foreign P wave ({@link FOREIGN_P_SHARE}) at any prematurity. */
  readonly foreignPOnly?: boolean;
}

/**
 * Whether the beat's timing and P wave make it a supraventricular premature beat (the QRS
 * shape, the rhythm — never S in atrial fibrillation — and ventricular tests are the caller's).
 */
export function atrialPrematurity(beat: AtrialEvidence): boolean {
  const { prematurity, pCorrelation, pThreshold } = beat;
  if (prematurity === null || !beat.abrupt) return false;
  if (beat.foreignPOnly === true)
    return prematurity < MODESTLY_PREMATURE_RATIO && clearlyForeignP(pCorrelation, pThreshold);
  if (prematurity < CLEARLY_PREMATURE_RATIO) return true;
  // NaN (no P template yet) fails both comparisons: no S on timing this modest without a P test
  if (prematurity < PREMATURE_RATIO) return pCorrelation < pThreshold;
  if (prematurity < MODESTLY_PREMATURE_RATIO) return clearlyForeignP(pCorrelation, pThreshold);
  return false;
}

/**
 * P-window correlation with the sinus beats' at or above which the beat's P wave is taken for the
 * sinus P (on-time sinus beats: median 0.92; an ectopic atrial focus or a P hidden in the
 * previous T changes the window's shape, and a junctional beat has none).
 */
export const SINUS_P_CORRELATION = 0.7;
/**
 * Where the patient's own sinus beats correlate less with their P template (a small or noisy P,
 * a coarse sample rate), "unlike the sinus P" means below this share of their median.
 */
export const SINUS_P_SHARE = 0.75;
/**
 * Median P-window consistency of the sinus beats under which the atrial activity is taken for
 * disorganised (fibrillation: mostly 0.1–0.2 on synthetic AF, but its fairly regular 6-Hz
 * f-waves reach 0.31–0.33 for stretches, where 0.3 let S calls through; sinus rhythm on MIT-BIH
 * 100–124: 0.73–0.99, svdb 800 0.75, dipping to 0.2–0.4 in noise or a junctional rhythm: at
 * 0.35 no S beat of those records is lost). Coarse, organised f-waves (flutter-like) correlate
 * best with a template; real fibrillation is usually finer and less regular.
 */
export const ORGANISED_P_CONSISTENCY = 0.35;
/**
 * Median sinus-P consistency at or above which an irregular RR series is not taken for atrial
 * fibrillation (sinus rhythm on MIT-BIH 100–124: 5th percentile 0.72–0.94 outside the paced
 * records and noise; fibrillation 0.1–0.2).
 */
export const SINUS_P_KEEPS_AF_OUT = 0.6;
/** Sinus beats whose P-window correlation gives that median. */
const SINUS_P_BEATS = 32;
/** Sinus beats needed before their own consistency sets the threshold. */
const SINUS_P_MIN_BEATS = 8;

/** How consistently the patient's sinus beats match their own P template, and what follows. */
export class SinusPConsistency {
  private readonly recent: number[] = [];

  /** Records the P-window correlation of one sinus beat. */
  push(pCorrelation: number): void {
    if (Number.isNaN(pCorrelation)) return;
    this.recent.push(pCorrelation);
    if (this.recent.length > SINUS_P_BEATS) this.recent.shift();
  }

  /** Median P-window correlation of the recent sinus beats with their template (NaN while too few). */
  consistency(): number {
    return this.recent.length < SINUS_P_MIN_BEATS ? NaN : median(this.recent);
  }

  /**
   * Whether the atria show an organised rhythm: the sinus beats' P windows match their template
   * (median ≥ {@link ORGANISED_P_CONSISTENCY}). In atrial fibrillation the window holds only
   * fibrillatory waves, unlike from beat to beat; there no beat can be told premature for the atria.
   */
  organised(): boolean {
    const c = this.consistency();
    return !(c < ORGANISED_P_CONSISTENCY);
  }

  /**
   * Whether the atria keep a sinus rhythm against which a beat can be premature, given the RR
   * irregularity's verdict `irregular` (rr-irregularity.ts). Atrial fibrillation is an irregular
   * ventricular rhythm *without* P waves: where the sinus beats keep matching their P template
   * (≥ {@link SINUS_P_KEEPS_AF_OUT}) the irregularity is the sinus node's pauses and the ectopy's,
   * not fibrillation; where the P windows are unlike each other the atria are not in sinus rhythm
   * whatever the RRs do.
   */
  atrialRhythmKnown(irregular: boolean): boolean {
    if (!this.organised()) return false;
    return !irregular || this.consistency() >= SINUS_P_KEEPS_AF_OUT;
  }

  /** P-window correlation under which a beat's P is not the sinus P (see {@link SINUS_P_SHARE}). */
  threshold(): number {
    if (this.recent.length < SINUS_P_MIN_BEATS) return SINUS_P_CORRELATION;
    return Math.min(SINUS_P_CORRELATION, SINUS_P_SHARE * median(this.recent));
  }
}

/**
 * Median sinus-P consistency ({@link SinusPConsistency.consistency}) at or above which the
 * patient's P waves read clearly enough for a P wave alone to tell an ectopic focus (sinus
 * rhythm on MIT-BIH 100–124: 0.73–0.99, lower in noise and at coarse sample rates).
 */
export const CLEAR_SINUS_P_CONSISTENCY = 0.8;
/** Clearly foreign P windows {@link EctopicAtrialFoci} keeps (an ectopic focus recurs within minutes). */
export const FOCUS_P_WINDOWS = 8;

/**
 * The P waves of the patient's ectopic atrial foci, and whether a beat carries one of them.
 *
 * An atrial premature beat is defined by its P wave: an impulse from outside the sinus node
 * activates the atria along another path, and its P differs in shape from the sinus P (Chou's
 * *Electrocardiography in Clinical Practice*, ch. 15; Marriott's *Practical Electrocardiography*,
 * "Atrial premature beats"). The RR shortening that {@link abruptOnset} otherwise asks for stands
 * in for that evidence where a P window alone may mislead — noise, a T wave reaching into it at a
 * faster rate, a coarse sample rate. Two things make the P evidence strong on its own:
 * - the P window is clearly foreign (under {@link FOREIGN_P_SHARE} of the "not sinus P"
 *   threshold) while the patient's sinus P waves are read consistently (median ≥
 *   {@link CLEAR_SINUS_P_CONSISTENCY});
 * - it recurs: it matches (r ≥ {@link SAME_FOCUS_P}) a clearly foreign P window seen before — one
 *   of the last {@link FOCUS_P_WINDOWS}. An ectopic focus fires again with the same P; noise
 *   and a T wave's chance overlap do not repeat one shape.
 * Such a beat is an atrial premature beat when it comes early against the local normal RR, even
 * when the RR before it was itself short (a sinus cycle shortened by respiration, or a missed
 * APC): a late-coupled APC in a slow or variable sinus rhythm is often not 10 % shorter than the
 * cycle before. Atrial fibrillation's f-waves are unlike from beat to beat, and flutter and AF
 * are the caller's to rule out first (no S in them). Flutter waves recur too: where flutter goes
 * unrecognised the caller asks, besides, that no repeating wave fills the segments between the
 * beats (beat-flutter.ts `wavesBetweenBeats`; without it, 18 more of synthetic flutter's
 * conducted beats were called S over 8 strips, `npm run bench -- beats --synthetic --seeds 8`).
 */
export class EctopicAtrialFoci {
  private readonly windows: Float64Array[] = [];

  /**
   * Whether the P window `p` (correlation `pCorrelation` with the sinus P template, "not sinus P"
   * threshold `pThreshold`, sinus-P consistency `consistency`) is a clearly foreign P seen before.
   */
  carries(p: Float64Array, pCorrelation: number, pThreshold: number, consistency: number): boolean {
    if (!(consistency >= CLEAR_SINUS_P_CONSISTENCY) || !clearlyForeignP(pCorrelation, pThreshold))
      return false;
    return this.windows.some((w) => correlation(p, w) >= SAME_FOCUS_P);
  }

  /** Keeps the P window of a beat not called V when it is clearly foreign. */
  note(p: Float64Array, pCorrelation: number, pThreshold: number): void {
    if (!clearlyForeignP(pCorrelation, pThreshold)) return;
    this.windows.push(Float64Array.from(p));
    if (this.windows.length > FOCUS_P_WINDOWS) this.windows.shift();
  }
}
