/**
 * Live rhythm episodes and the beats they suppress: ventricular flutter/fibrillation (VfDetector
 * on one lead) and asystole (no QRS for {@link ASYSTOLE_S} while the VF detector sees no
 * flutter/fibrillation). Beats are held until the VF detector has judged their time
 * (`VfDetector.decisionLagS`, ≈ 4 s) and released only if they fall outside every VF episode: inside
 * ventricular flutter/fibrillation no beats (and so no heart rate) are reported.
 *
 * Asystole: the 4-s limit is the usual default of bedside monitors' asystole alarm (e.g. the
 * ventricular-standstill criterion of AHA/ACC Holter and monitoring practice; IEC 60601-2-27
 * requires an asystole alarm and leaves the delay to the manufacturer). Asystole is the absence
 * of any ventricular activity: at VF onset the QRS complexes stop seconds before the VF
 * episode can open, so while the VF detector sees activity it is still judging
 * (`VfDetector.suspected`) the asystole alarm waits, for at most the detector's decision lag; if
 * no VF episode has opened by then, the silence is reported as asystole after all (an alarm late
 * is better than none). After a VF episode the silence starts at its end. Its onset is the last
 * beat (or the end of VF) before the silence, its end the next beat.
 */
import type { BeatClass } from './hrv.js';
import { VfDetector, type VfEpisode } from './vf-detector.js';

/** Silence (no QRS) that makes an asystole episode, seconds. */
export const ASYSTOLE_S = 4;

/** Kinds of live rhythm episode. */
export type RhythmEpisodeKind = 'ventricular_flutter_fibrillation' | 'asystole';

/**
 * A rhythm episode as sample indexes of the pipeline's input: reported once when it opens
 * (`endSample` null) and once when it closes.
 */
export interface RhythmEpisode {
  readonly kind: RhythmEpisodeKind;
  readonly startSample: number;
  readonly endSample: number | null;
}

interface HeldBeat {
  sample: number;
  beatClass: BeatClass;
}

/** Holds beats for the VF decision and reports episodes. */
export class RhythmGate {
  readonly vf: VfDetector;
  /** Delay added to beats by the hold, seconds. */
  readonly holdS: number;
  private readonly held: HeldBeat[] = [];
  private readonly closed: { startSample: number; endSample: number }[] = [];
  private readonly asystoleSamples: number;
  /** Longest the asystole alarm waits for a suspected VF episode to open, samples. */
  private readonly graceSamples: number;
  private lastBeat = -1;
  /** Last sample of the last closed VF episode (-1: none). */
  private lastVfEnd = -1;
  private asystoleOpen = false;
  private asystoleStart = -1;

  constructor(
    options: { sampleRateHz: number; microvoltsPerUnit?: number },
    private readonly onBeat: (sampleIndex: number, beatClass: BeatClass) => void,
    private readonly onRhythm: (episode: RhythmEpisode) => void,
  ) {
    this.vf = new VfDetector(
      { sampleRateHz: options.sampleRateHz, microvoltsPerUnit: options.microvoltsPerUnit ?? 1 },
      (e) => this.vfEpisode(e),
    );
    this.holdS = this.vf.decisionLagS;
    this.asystoleSamples = Math.round(ASYSTOLE_S * options.sampleRateHz);
    this.graceSamples = Math.round(this.vf.decisionLagS * options.sampleRateHz);
  }

  /** A detected, classified beat (reported later, or dropped inside VF). */
  beat(sample: number, beatClass: BeatClass): void {
    if (this.asystoleOpen) {
      this.onRhythm({ kind: 'asystole', startSample: this.asystoleStart, endSample: sample });
      this.asystoleOpen = false;
    }
    this.lastBeat = Math.max(this.lastBeat, sample);
    this.held.push({ sample, beatClass });
  }

  /**
   * One sample of the VF lead; `leadUsable` false while every detection lead is off or flat (no
   * asystole then: the lead, not the heart, is silent).
   */
  step(sample: number, leadUsable: boolean): void {
    this.vf.step(sample);
    const n = this.vf.sampleIndex;
    if (
      !this.asystoleOpen &&
      leadUsable &&
      !this.vf.inEpisode &&
      this.lastBeat >= 0 &&
      n - this.quietSince() >= this.asystoleSamples &&
      (!this.vf.suspected || n - this.quietSince() >= this.asystoleSamples + this.graceSamples)
    ) {
      this.asystoleOpen = true;
      this.asystoleStart = this.quietSince();
      this.onRhythm({ kind: 'asystole', startSample: this.asystoleStart, endSample: null });
    }
    this.release(n - Math.round(this.holdS * this.vf.sampleRateHz));
  }

  /** End of stream: closes open episodes and releases every held beat outside VF. */
  flush(): void {
    this.vf.flush();
    if (this.asystoleOpen) {
      this.onRhythm({ kind: 'asystole', startSample: this.asystoleStart, endSample: this.vf.sampleIndex });
      this.asystoleOpen = false;
    }
    this.release(Infinity);
  }

  /** Where the current silence began: the last beat, or the end of a VF episode after it. */
  private quietSince(): number {
    return Math.max(this.lastBeat, this.lastVfEnd);
  }

  private insideVf(sample: number): boolean {
    const open = this.vf.openSince;
    if (open !== null && sample >= open) return true;
    return this.closed.some((e) => sample >= e.startSample && sample <= e.endSample);
  }

  private release(until: number): void {
    while (this.held.length > 0 && this.held[0]!.sample <= until) {
      const beat = this.held.shift()!;
      if (!this.insideVf(beat.sample)) this.onBeat(beat.sample, beat.beatClass);
    }
    // episodes that ended before every held beat no longer matter
    while (this.closed.length > 0 && this.closed[0]!.endSample < until - this.vf.sampleRateHz * 60) {
      this.closed.shift();
    }
  }

  private vfEpisode(e: VfEpisode): void {
    if (e.endSample !== null) {
      this.closed.push({ startSample: e.startSample, endSample: e.endSample });
      this.lastVfEnd = Math.max(this.lastVfEnd, e.endSample);
    }
    if (this.asystoleOpen && e.endSample === null) {
      this.onRhythm({ kind: 'asystole', startSample: this.asystoleStart, endSample: e.startSample });
      this.asystoleOpen = false;
    }
    this.onRhythm({ kind: 'ventricular_flutter_fibrillation', ...e });
  }
}
