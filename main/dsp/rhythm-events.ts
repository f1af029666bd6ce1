/**
 * Rhythm events from the classified beats, as they come: each ectopic beat, pauses, runs of
 * ventricular beats, and bradycardia and tachycardia episodes. The live pipeline's beat classes
 * (beat-classifier.ts) are the only input, so the events and the beats stream always agree.
 *
 * Definitions (defaults, all settable):
 * - `pac`: each beat classed S (AAMI EC57 classes), as it comes;
 * - `pvc`: each beat classed V outside a ventricular run, reported when the next beat shows it is
 *   one (a lone PVC, or a couplet: `beats` 2 on both of its beats) — a run's beats are its one
 *   event, not a PVC each (the beats stream still classes every one);
 * - `pause`: an RR interval over 2.0 s (Holter reporting's usual minimum; 3 s is the usual
 *   clinical alarm); an interval across an interruption (a gap, an arrest episode, beat detection
 *   learning afresh) is none;
 * - `ventricular_run`: three or more ventricular beats in a row (V; a fusion beat F continues a
 *   run, as EC57's run-by-run rules count it), reported at its third beat and again when a beat
 *   of another class (or an interruption) ends it, with its beats and rate. Three or more at over
 *   100/min is ventricular tachycardia, non-sustained under 30 s (ACC/AHA/ESC 2006 ventricular
 *   arrhythmia guideline, Zipes et al., Circulation 114:e385); slower runs are an idioventricular
 *   rhythm (a ventricular escape or accelerated idioventricular rhythm);
 * - `bradycardia` / `tachycardia`: rate under 50 / over 100 bpm — the 2018 ACC/AHA/HRS bradycardia
 *   guideline's definition of sinus bradycardia (Kusumoto et al., Circulation 140:e382, 2019),
 *   lowered from the traditional 60 bpm, and the conventional adult limit — where rate = 60 000 /
 *   median of the last {@link RATE_WINDOW_BEATS} RR intervals; an episode needs that many beats in
 *   a row beyond the limit (a single long or short RR is not one), opens at the first of them and
 *   is reported again when as many beats in a row are back within it by a tenth (55, 91 bpm),
 *   ending at the last beat beyond (a rate hovering about the limit makes one episode, not one
 *   every few beats, as a monitor's alarm hysteresis). Ventricular beats are not counted: a run
 *   of them is reported as a ventricular run, not also as a tachycardia or bradycardia.
 *
 * An episode (a run, bradycardia, tachycardia) is reported twice: at its onset with `endMs` null,
 * and when it ends, with the same `startMs`.
 */
import type { BeatClass } from './hrv.js';
import { median } from './stats.js';

/** Kinds of rhythm event. */
export type RhythmEventKind = 'bradycardia' | 'tachycardia' | 'pause' | 'pvc' | 'pac' | 'ventricular_run';

/** An event: its start and end (ms on the caller's clock; end null while an episode goes on). */
export interface RhythmEvent {
  readonly kind: RhythmEventKind;
  readonly startMs: number;
  readonly endMs: number | null;
  /**
   * Rate events: the extreme rate so far (bpm); pauses: the RR interval (ms); ventricular runs:
   * the run's rate, 60 000 × (beats − 1) / its length (bpm). Absent for single beats.
   */
  readonly value?: number;
  /** Ventricular runs: the beats in the run so far; PVCs: 2 for each beat of a couplet. */
  readonly beats?: number;
}

/** Settings of {@link RhythmEvents}. */
export interface RhythmEventOptions {
  /** Default 50. */
  readonly bradycardiaBpm?: number;
  /** Default 100. */
  readonly tachycardiaBpm?: number;
  /** Default 2000. */
  readonly pauseMs?: number;
}

/** Beats in the rate window, and in a row beyond a rate limit for an episode. */
export const RATE_WINDOW_BEATS = 8;
/** An open rate episode ends when the rate is back inside its limit by this factor (50 → 55, 100 → 91 bpm). */
export const RATE_MARGIN = 1.1;
/** Ventricular beats in a row that make a run (a couplet is two). */
export const VENTRICULAR_RUN_BEATS = 3;

/**
 * A rate episode being followed: beats beyond its limit (in a row until it opens), beats back
 * within it since the last one beyond, the first and last beyond's times, the extreme rate.
 */
interface RateSpell {
  count: number;
  within: number;
  startMs: number;
  lastMs: number;
  extreme: number;
}

/** Follows one stream of classed beats in time order; see the file comment. */
export class RhythmEvents {
  private readonly brady: number;
  private readonly tachy: number;
  private readonly pauseMs: number;
  private lastMs: number | null = null;
  private rr: number[] = [];
  /** The ventricular beats in a row so far (V, and F continuing them): their times, and which are V. */
  private run: number[] = [];
  private runV: boolean[] = [];
  private readonly spells: Record<'bradycardia' | 'tachycardia', RateSpell | undefined> = {
    bradycardia: undefined,
    tachycardia: undefined,
  };

  constructor(options: RhythmEventOptions = {}) {
    this.brady = options.bradycardiaBpm ?? 50;
    this.tachy = options.tachycardiaBpm ?? 100;
    this.pauseMs = options.pauseMs ?? 2000;
  }

  /** A beat at `tMs` (after the last one) of class `beatClass`; returns the events it ends, makes or opens. */
  beat(tMs: number, beatClass: BeatClass): RhythmEvent[] {
    const out: RhythmEvent[] = [];
    const last = this.lastMs;
    this.lastMs = tMs;
    const ventricular = beatClass === 'V' || (beatClass === 'F' && this.run.length > 0);
    if (!ventricular) this.closeRun(out);
    if (last !== null) {
      const rr = tMs - last;
      if (rr > this.pauseMs) out.push({ kind: 'pause', startMs: last, endMs: tMs, value: rr });
      this.rr.push(rr);
      if (this.rr.length > RATE_WINDOW_BEATS) this.rr.shift();
      // a ventricular beat neither extends nor ends a rate episode: a run of them is its own event
      // (ventricular tachycardia, an idioventricular rhythm), as a monitor's V-tach alarm takes
      // precedence over its tachycardia alarm, and one PVC does not break a sinus tachycardia
      if (!ventricular) {
        const bpm = 60_000 / median(this.rr);
        this.followRate('bradycardia', bpm < this.brady, bpm >= this.brady * RATE_MARGIN, bpm, tMs, out);
        this.followRate('tachycardia', bpm > this.tachy, bpm <= this.tachy / RATE_MARGIN, bpm, tMs, out);
      }
    }
    if (beatClass === 'S') out.push({ kind: 'pac', startMs: tMs, endMs: tMs });
    if (ventricular) {
      this.run.push(tMs);
      this.runV.push(beatClass === 'V');
      if (this.run.length === VENTRICULAR_RUN_BEATS) out.push(this.runEvent(null));
    }
    return out;
  }

  /**
   * The beats stop following one another (a gap in the samples, an arrest episode, beat detection
   * learning afresh): episodes going on end at the last beat, and the next beat's interval is none.
   */
  interrupt(): RhythmEvent[] {
    const out: RhythmEvent[] = [];
    this.closeRun(out);
    for (const kind of ['bradycardia', 'tachycardia'] as const) {
      const spell = this.spells[kind];
      if (spell !== undefined && spell.count >= RATE_WINDOW_BEATS)
        out.push({ kind, startMs: spell.startMs, endMs: spell.lastMs, value: spell.extreme });
      this.spells[kind] = undefined;
    }
    this.lastMs = null;
    this.rr = [];
    return out;
  }

  /** The run of ventricular beats so far as an event (`endMs` null: going on). */
  private runEvent(endMs: number | null): RhythmEvent {
    const first = this.run[0]!;
    const lengthMs = this.run[this.run.length - 1]! - first;
    return {
      kind: 'ventricular_run',
      startMs: first,
      endMs,
      beats: this.run.length,
      value: (60_000 * (this.run.length - 1)) / lengthMs,
    };
  }

  /** The ventricular beats in a row end: as a run, or as a lone PVC or a couplet. */
  private closeRun(out: RhythmEvent[]): void {
    if (this.run.length >= VENTRICULAR_RUN_BEATS) out.push(this.runEvent(this.run[this.run.length - 1]!));
    else {
      const beats = this.runV.filter(Boolean).length === 2 ? { beats: 2 } : {};
      this.run.forEach((t, k) => {
        if (this.runV[k]) out.push({ kind: 'pvc', startMs: t, endMs: t, ...beats });
      });
    }
    this.run = [];
    this.runV = [];
  }

  /**
   * Rate episode `kind` at a beat of rate `bpm` at `tMs`: `beyond` its limit, or `clear` of it by
   * {@link RATE_MARGIN}. It opens at the {@link RATE_WINDOW_BEATS}th beat beyond in a row and ends
   * once as many beats in a row are clear, at the last beat beyond: a rate hovering about the
   * limit is one episode, not one every few beats.
   */
  private followRate(
    kind: 'bradycardia' | 'tachycardia',
    beyond: boolean,
    clear: boolean,
    bpm: number,
    tMs: number,
    out: RhythmEvent[],
  ): void {
    const spell = this.spells[kind];
    const open = spell !== undefined && spell.count >= RATE_WINDOW_BEATS;
    if (!beyond) {
      if (spell === undefined) return;
      if (!open) {
        this.spells[kind] = undefined;
        return;
      }
      spell.within = clear ? spell.within + 1 : 0;
      if (spell.within < RATE_WINDOW_BEATS) return;
      out.push({ kind, startMs: spell.startMs, endMs: spell.lastMs, value: spell.extreme });
      this.spells[kind] = undefined;
      return;
    }
    if (spell === undefined) {
      this.spells[kind] = { count: 1, within: 0, startMs: tMs, lastMs: tMs, extreme: bpm };
      return;
    }
    spell.count++;
    spell.within = 0;
    spell.lastMs = tMs;
    spell.extreme = kind === 'bradycardia' ? Math.min(spell.extreme, bpm) : Math.max(spell.extreme, bpm);
    if (spell.count === RATE_WINDOW_BEATS)
      out.push({ kind, startMs: spell.startMs, endMs: null, value: spell.extreme });
  }
}
