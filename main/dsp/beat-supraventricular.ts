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
import { median } from './stats.js';

/** Prematurity under which an abrupt, normally conducted beat is S without a P-wave test. */
export const CLEARLY_PREMATURE_RATIO = 0.75;
/** Prematurity under which an abrupt beat with a P unlike the sinus P is S. */
export const PREMATURE_RATIO = 0.85;
/** Prematurity under which an abrupt beat with a clearly foreign P wave is S. */
export const MODESTLY_PREMATURE_RATIO = 0.9;
/** Share of the "unlike the sinus P" threshold under which a P window is clearly foreign. */
export const FOREIGN_P_SHARE = 2 / 3;

/** An RR at least this much shorter than the one before it changed abruptly, not gradually. */
export const ABRUPT_RATIO = 0.9;

/** Whether `rr` is abruptly shorter than `previousRr` (true when there is no previous RR). */
export function abruptlyShorter(rr: number | null, previousRr: number): boolean {
  return rr !== null && (previousRr <= 0 || rr < ABRUPT_RATIO * previousRr);
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
}

/**
 * Whether the beat's timing and P wave make it a supraventricular premature beat (the QRS
 * shape, the rhythm — never S in atrial fibrillation — and ventricular tests are the caller's).
 */
export function atrialPrematurity(beat: AtrialEvidence): boolean {
  const { prematurity, pCorrelation, pThreshold } = beat;
  if (prematurity === null || !beat.abrupt) return false;
  if (prematurity < CLEARLY_PREMATURE_RATIO) return true;
  // NaN (no P template yet) fails both comparisons: no S on timing this modest without a P test
  if (prematurity < PREMATURE_RATIO) return pCorrelation < pThreshold;
  if (prematurity < MODESTLY_PREMATURE_RATIO) return pCorrelation < FOREIGN_P_SHARE * pThreshold;
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

  /** P-window correlation under which a beat's P is not the sinus P (see {@link SINUS_P_SHARE}). */
  threshold(): number {
    if (this.recent.length < SINUS_P_MIN_BEATS) return SINUS_P_CORRELATION;
    return Math.min(SINUS_P_CORRELATION, SINUS_P_SHARE * median(this.recent));
  }
}
