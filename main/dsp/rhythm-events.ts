/**
 * Rhythm events from the classified beats, as they come: each ectopic beat, pauses, runs of
 * ventricular and of supraventricular beats, and bradycardia and tachycardia episodes. The live
 * pipeline's beat classes (beat-classifier.ts) are the only input, so the events and the beats
 * stream always agree.
 *
 * Definitions (defaults, all settable):
 * - `pvc` / `pac`: each beat classed V / S (AAMI EC57 classes) outside a run, reported when the
 *   next beat shows it is one (a lone ectopic beat, or a couplet: `beats` 2 on both of its
 *   beats) — a run's beats are its one event, not one each (the beats stream classes every one);
 * - `pause`: an RR interval over 2.0 s (Holter reporting's usual minimum; 3 s is the usual
 *   clinical alarm); an interval across an interruption (a gap, an arrest episode, beat detection
 *   learning afresh) is none;
 * - `ventricular_run`: three or more ventricular beats in a row (V; a fusion beat F continues a
 *   run, as EC57's run-by-run rules count it), reported at its third beat and again when a beat
 *   of another class (or an interruption) ends it, with its beats and rate. Three or more at over
 *   100/min is ventricular tachycardia, non-sustained under 30 s (ACC/AHA/ESC 2006 ventricular
 *   arrhythmia guideline, Zipes et al., Circulation 114:e385); slower runs are an idioventricular
 *   rhythm (a ventricular escape or accelerated idioventricular rhythm);
 * - `supraventricular_run`: three or more S beats in a row, reported as a ventricular run is
 *   (over 100/min a supraventricular tachycardia, e.g. a paroxysmal atrial tachycardia);
 * - `bradycardia` / `tachycardia`: rate under 50 / over 100 bpm — the 2018 ACC/AHA/HRS bradycardia
 *   guideline's definition of sinus bradycardia (Kusumoto et al., Circulation 140:e382, 2019),
 *   lowered from the traditional 60 bpm, and the conventional adult limit — where rate = 60 000 /
 *   median of the last {@link RATE_WINDOW_BEATS} RR intervals; an episode needs that many beats in
 *   a row beyond the limit (a single long or short RR is not one), opens at the first of them and
 *   is reported again when as many beats in a row are back within it by a tenth (55, 91 bpm),
 *   ending at the last beat beyond (a rate hovering about the limit makes one episode, not one
 *   every few beats, as a monitor's alarm hysteresis). Ectopic beats (V, S) are not counted: a
 *   run of them is reported as a run, not also as a tachycardia or bradycardia.
 *
 * An episode (a run, bradycardia, tachycardia) is reported twice: at its onset with `endMs` null,
 * and when it ends, with the same `startMs`.
 */
import type { BeatClass } from './hrv.js';
import { median } from './stats.js';

/** Kinds of rhythm event. */
export type RhythmEventKind =
  'bradycardia' | 'tachycardia' | 'pause' | 'pvc' | 'pac' | 'ventricular_run' | 'supraventricular_run';

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
  /** Runs: the beats in the run so far; PVCs and PACs: 2 for each beat of a couplet. */
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
/** Ectopic beats in a row that make a run (a couplet is two). */
export const RUN_BEATS = 3;

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
  /** The ventricular and the supraventricular beats in a row so far. */
  private readonly runs = [
    new EctopicRun('pvc', 'ventricular_run', 'V', 'F'),
    new EctopicRun('pac', 'supraventricular_run', 'S', undefined),
  ];
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
    const run = this.runs.find((r) => r.takes(beatClass));
    for (const r of this.runs) if (r !== run) r.close(out);
    if (last !== null) {
      const rr = tMs - last;
      if (rr > this.pauseMs) out.push({ kind: 'pause', startMs: last, endMs: tMs, value: rr });
      this.rr.push(rr);
      if (this.rr.length > RATE_WINDOW_BEATS) this.rr.shift();
      // an ectopic beat neither extends nor ends a rate episode: a run of them is its own event
      // (ventricular or supraventricular tachycardia), as a monitor's V-tach alarm takes precedence
      // over its tachycardia alarm, and one PVC or PAC does not break a sinus tachycardia
      if (run === undefined) {
        const bpm = 60_000 / median(this.rr);
        this.followRate('bradycardia', bpm < this.brady, bpm >= this.brady * RATE_MARGIN, bpm, tMs, out);
        this.followRate('tachycardia', bpm > this.tachy, bpm <= this.tachy / RATE_MARGIN, bpm, tMs, out);
      }
    }
    run?.add(tMs, beatClass, out);
    return out;
  }

  /**
   * The beats stop following one another (a gap in the samples, an arrest episode, beat detection
   * learning afresh): episodes going on end at the last beat, and the next beat's interval is none.
   */
  interrupt(): RhythmEvent[] {
    const out: RhythmEvent[] = [];
    for (const r of this.runs) r.close(out);
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

/**
 * Ectopic beats of one kind in a row: `starts` begins and continues them, `continues` (a fusion
 * beat, for ventricular ones) only continues them. Three or more make a run, reported at its third
 * beat and when it ends; fewer are reported when they end, each beat a `single`.
 */
class EctopicRun {
  private times: number[] = [];
  /** Which of them are `starts` beats (a fusion beat is no PVC). */
  private own: boolean[] = [];

  constructor(
    private readonly single: 'pvc' | 'pac',
    private readonly run: 'ventricular_run' | 'supraventricular_run',
    private readonly starts: BeatClass,
    private readonly continues: BeatClass | undefined,
  ) {}

  /** Does a beat of class `beatClass` belong here? */
  takes(beatClass: BeatClass): boolean {
    return beatClass === this.starts || (beatClass === this.continues && this.times.length > 0);
  }

  /** Adds a beat this {@link takes}; a run opens at its {@link RUN_BEATS}th. */
  add(tMs: number, beatClass: BeatClass, out: RhythmEvent[]): void {
    this.times.push(tMs);
    this.own.push(beatClass === this.starts);
    if (this.times.length === RUN_BEATS) out.push(this.event(null));
  }

  /** The beats in a row end: as a run, or as a lone ectopic beat or a couplet. */
  close(out: RhythmEvent[]): void {
    if (this.times.length >= RUN_BEATS) out.push(this.event(this.times[this.times.length - 1]!));
    else {
      const beats = this.own.filter(Boolean).length === 2 ? { beats: 2 } : {};
      this.times.forEach((t, k) => {
        if (this.own[k]) out.push({ kind: this.single, startMs: t, endMs: t, ...beats });
      });
    }
    this.times = [];
    this.own = [];
  }

  /** The run so far as an event (`endMs` null: going on). */
  private event(endMs: number | null): RhythmEvent {
    const first = this.times[0]!;
    const lengthMs = this.times[this.times.length - 1]! - first;
    return {
      kind: this.run,
      startMs: first,
      endMs,
      beats: this.times.length,
      value: (60_000 * (this.times.length - 1)) / lengthMs,
    };
  }
}
