/**
 * The patient's ventricular beat morphologies, learned as the recording goes: a small bank of
 * running-average templates, one per ectopic focus (a unifocal PVC repeats its shape; multiform
 * ectopy gives a few). Template-matching arrhythmia monitors keep such a bank beside the
 * dominant (normal) template (Hamilton, "Open source ECG analysis", Computers in Cardiology
 * 29:101–104, 2002; Krasteva & Jekova, "QRS template matching for recognition of ventricular
 * ectopic beats", Ann Biomed Eng 35:2065–2076, 2007) so a ventricular beat is recognised by its
 * shape even when it is not premature (end-diastolic PVCs, idioventricular beats), and a beat
 * that is merely unlike the normal template — distorted by noise — is not called ventricular.
 */
import { correlation } from './stats.js';

/** Templates kept (the least recently matched is replaced when a new focus appears). */
export const VENTRICULAR_TEMPLATES = 4;
/** Correlation at or above which a beat is taken for one of the bank's morphologies. */
export const VENTRICULAR_MATCH = 0.9;
/** Weight of each matching beat in its template's running average. */
const WEIGHT = 1 / 8;

interface Template {
  readonly wave: Float64Array;
  lastUsed: number;
}

/** Result of matching one beat against the bank. */
export interface VentricularMatch {
  /** Best correlation over templates and alignments (−1 when the bank is empty). */
  readonly correlation: number;
  /** Index of the matching template, −1 when none. */
  readonly template: number;
  /** Alignment lag (samples) of the best match. */
  readonly lag: number;
}

/** Bank of ventricular templates of one patient. */
export class VentricularTemplates {
  private readonly templates: Template[] = [];
  private clock = 0;

  /** Number of morphologies learned so far. */
  get size(): number {
    return this.templates.length;
  }

  /**
   * Best match of the beat over every template and every lag in ±maxLag; `windowAt(lag)`
   * returns the beat's window shifted by `lag` (same layout as the templates; it may reuse
   * its buffer).
   */
  match(windowAt: (lag: number) => Float64Array, maxLag: number): VentricularMatch {
    let best = -1;
    let index = -1;
    let bestLag = 0;
    if (this.templates.length === 0) return { correlation: best, template: index, lag: bestLag };
    for (let lag = -maxLag; lag <= maxLag; lag++) {
      const w = windowAt(lag);
      this.templates.forEach((t, k) => {
        const c = correlation(w, t.wave);
        if (c > best) {
          best = c;
          index = k;
          bestLag = lag;
        }
      });
    }
    return { correlation: best, template: index, lag: bestLag };
  }

  /** The waveforms learned so far (not to be modified). */
  get waves(): readonly Float64Array[] {
    return this.templates.map((t) => t.wave);
  }

  /** Removes template `index` from the bank and returns its waveform. */
  take(index: number): Float64Array {
    const [removed] = this.templates.splice(index, 1);
    if (removed === undefined) throw new RangeError(`no ventricular template ${index}`);
    return removed.wave;
  }

  /**
   * Learns a ventricular beat (its aligned window): averaged into template `matched` when the
   * beat matched one (index ≥ 0 with correlation ≥ {@link VENTRICULAR_MATCH}), else a new
   * template, replacing the least recently matched when the bank is full.
   */
  learn(window: Float64Array, matched: VentricularMatch): void {
    this.clock++;
    if (matched.template >= 0 && matched.correlation >= VENTRICULAR_MATCH) {
      const t = this.templates[matched.template]!;
      for (let i = 0; i < t.wave.length; i++) t.wave[i] = t.wave[i]! + WEIGHT * (window[i]! - t.wave[i]!);
      t.lastUsed = this.clock;
      return;
    }
    const fresh: Template = { wave: Float64Array.from(window), lastUsed: this.clock };
    if (this.templates.length < VENTRICULAR_TEMPLATES) {
      this.templates.push(fresh);
      return;
    }
    let oldest = 0;
    this.templates.forEach((t, k) => {
      if (t.lastUsed < this.templates[oldest]!.lastUsed) oldest = k;
    });
    this.templates[oldest] = fresh;
  }
}

/**
 * Template relearning: when one morphology unlike the normal template has come on time for
 * half of the last `beats` beats, it is the patient's dominant rhythm now (the conducted QRS
 * changed shape — posture, a rate-dependent bundle branch block — or the first template was
 * not the dominant beat) and should become the normal template. Monitors relearn the same way
 * (Hamilton 2002).
 *
 * A shape the classifier has been calling ventricular (one of its ventricular bank) must fill
 * half of twice the window — `beats` of its beats among the last 2 × `beats` — not half of it.
 * An accelerated idioventricular rhythm or a slow ventricular tachycardia comes at about the
 * sinus rate, so its beats are on time; it competes with the sinus node and takes over for a
 * few seconds to a minute (Marriott's *Practical Electrocardiography*, "accelerated
 * idioventricular rhythm"). With half the window it was relearnt as the normal beat within 8 of
 * its beats, and the rest of the run was read as normal beats: MIT-BIH 124's idioventricular
 * run of 18 beats (annotated V, as EC57 scores it) was called V for 8 beats and N for 9. A
 * ventricular rhythm that dominates for longer — one that lasts, or a paced rhythm mixed with
 * the patient's own and fusion beats (MIT-BIH 104) — is still relearnt, and read as the rhythm.
 * (Asking all of the window instead, 16 beats in a row, left 104's paced beats called V: 1,160
 * of its 1,380, against 27.) A conducted beat of a new shape, never called V, still needs only
 * half of the window.
 */
export class DominanceWatch {
  private readonly recent: number[] = [];

  constructor(private readonly beats: number) {}

  /**
   * Records the shape key of an on-time beat unlike the normal template (−1 for any other
   * beat); true when that key now fills half the window — or, `ventricular` (a shape called
   * ventricular), half of twice the window — (the history then starts afresh).
   */
  push(key: number, ventricular = false): boolean {
    this.recent.push(key);
    if (this.recent.length > 2 * this.beats) this.recent.shift();
    if (key < 0) return false;
    const window = ventricular ? this.recent : this.recent.slice(-this.beats);
    const count = window.filter((k) => k === key).length;
    if (2 * count < (ventricular ? 2 : 1) * this.beats) return false;
    this.recent.length = 0;
    return true;
  }
}

/** Beats over which a recurring on-time shape unlike the normal template is taken for dominant. */
export const DOMINANCE_BEATS = 16;

/** What {@link ShapeMemory.learn} needs to know of a classified beat. */
export interface ShapeBeat {
  /** The beat was called V. */
  readonly ventricular: boolean;
  /** Its QRS is unlike the normal template. */
  readonly unlike: boolean;
  readonly premature: boolean;
  /** Its match against the ventricular bank (from {@link ShapeMemory.matchVentricular}). */
  readonly match: VentricularMatch;
}

/**
 * The shapes a classifier remembers beside its normal template: the ventricular bank, a bank of
 * the other recurring shapes unlike the normal template (not called V: candidates for a new
 * dominant beat), and the {@link DominanceWatch} over both.
 */
export class ShapeMemory {
  private readonly ventricular = new VentricularTemplates();
  private readonly others = new VentricularTemplates();
  private readonly dominance = new DominanceWatch(DOMINANCE_BEATS);

  /** The patient's ventricular morphologies learned so far. */
  get ventricularWaves(): readonly Float64Array[] {
    return this.ventricular.waves;
  }

  /** Best match of the beat in the ventricular bank (see {@link VentricularTemplates.match}). */
  matchVentricular(windowAt: (lag: number) => Float64Array, maxLag: number): VentricularMatch {
    return this.ventricular.match(windowAt, maxLag);
  }

  /**
   * Learns a classified beat's shape (`window`: aligned on the normal template) and returns the
   * shape that has just become dominant — the new normal template — or null.
   */
  learn(
    beat: ShapeBeat,
    windowAt: (lag: number) => Float64Array,
    maxLag: number,
    window: Float64Array,
  ): Float64Array | null {
    const into = (bank: VentricularTemplates, m: VentricularMatch): boolean => {
      const known = m.correlation >= VENTRICULAR_MATCH;
      bank.learn(known ? windowAt(m.lag) : window, m);
      return known;
    };
    let key = -1;
    if (beat.ventricular) {
      if (into(this.ventricular, beat.match) && !beat.premature) key = beat.match.template;
    } else if (beat.unlike) {
      const m = this.others.match(windowAt, maxLag);
      if (into(this.others, m) && !beat.premature) key = VENTRICULAR_TEMPLATES + m.template;
    }
    if (!this.dominance.push(key, key >= 0 && key < VENTRICULAR_TEMPLATES)) return null;
    return key >= VENTRICULAR_TEMPLATES
      ? this.others.take(key - VENTRICULAR_TEMPLATES)
      : this.ventricular.take(key);
  }
}
