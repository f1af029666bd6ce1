/**
 * Live rhythm episodes and the beats they suppress: ventricular flutter/fibrillation (a
 * VfDetector on each detection lead: the first is the VF lead, the others stand in for it once
 * the QRS complexes have stopped) and asystole (no QRS for {@link ASYSTOLE_S} while no lead
 * shows flutter/fibrillation). Beats are held until the VF detector has judged their time
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
 * is better than none). After a VF episode the silence starts at its end, after a lead-off when
 * the leads are back. Its onset is the last beat (or the end of VF, or of the lead-off) before
 * the silence, its end the next beat.
 */
import type { Samples } from './filters.js';
import type { BeatClass } from './hrv.js';
import { SampleSpans } from './sample-spans.js';
import { MIN_SPAN_MICROVOLTS, VfDetector } from './vf-detector.js';

/** Silence (no QRS) that makes an asystole episode, seconds. */
export const ASYSTOLE_S = 4;
/**
 * No QRS for this long lets VF seen on another detection lead stand for the VF lead (below
 * 30/min: no rhythm the QRS detector still follows), seconds.
 */
export const SILENT_FOR_OTHER_LEAD_S = 2;
/** No QRS for this long starts the other leads' VF judgements, seconds. */
const OTHERS_JUDGE_AFTER_S = 1.5;

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
  /**
   * Set when a VF episode closes because every detection lead went off or clipped after its last
   * VF window (`endSample`): the rhythm was no longer seen, not seen to end.
   */
  readonly endUnseen?: boolean;
}

interface HeldBeat {
  sample: number;
  beatClass: BeatClass;
}

/** Holds beats for the VF decision and reports episodes. */
export class RhythmGate {
  /** The VF lead's detector (the first detection lead). */
  readonly vf: VfDetector;
  /** The other detection leads' detectors. */
  private readonly others: VfDetector[];
  /** Each detector's last closed episode's end (index 0: the VF lead). */
  private readonly lastEnds: number[];
  private readonly silentSamples: number;
  private readonly microvoltsPerUnit: number;
  /** Silence after which the other leads' detectors judge their windows, samples. */
  private readonly othersFromSamples: number;
  /** Delay added to beats by the hold, seconds. */
  readonly holdS: number;
  private readonly held: HeldBeat[] = [];
  /** The VF episodes reported (the last minute's, and the open one while it lasts): no beats inside them. */
  private readonly vfSpans = new SampleSpans();
  private readonly asystoleSamples: number;
  /** Longest the asystole alarm waits for a suspected VF episode to open, samples. */
  private readonly graceSamples: number;
  private lastBeat = -1;
  /** Last sample of the last closed VF episode (-1: none). */
  private lastVfEnd = -1;
  /** Last sample at which every detection lead was off or clipping (-1: none). */
  private lastUnusable = -1;
  private asystoleOpen = false;
  private asystoleStart = -1;

  constructor(
    options: { sampleRateHz: number; microvoltsPerUnit?: number; leadCount?: number },
    private readonly onBeat: (sampleIndex: number, beatClass: BeatClass) => void,
    private readonly onRhythm: (episode: RhythmEpisode) => void,
  ) {
    const detector = (k: number): VfDetector =>
      new VfDetector(
        { sampleRateHz: options.sampleRateHz, microvoltsPerUnit: options.microvoltsPerUnit ?? 1 },
        (e) => {
          if (e.endSample !== null) this.lastEnds[k] = e.endSample;
        },
      );
    const leadCount = Math.max(1, options.leadCount ?? 1);
    this.lastEnds = new Array<number>(leadCount).fill(-1);
    this.vf = detector(0);
    this.others = Array.from({ length: leadCount - 1 }, (_, k) => detector(k + 1));
    this.silentSamples = Math.round(SILENT_FOR_OTHER_LEAD_S * options.sampleRateHz);
    this.microvoltsPerUnit = options.microvoltsPerUnit ?? 1;
    this.othersFromSamples = Math.round(OTHERS_JUDGE_AFTER_S * options.sampleRateHz);
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
   * One frame of the detection leads (the first is the VF lead); `leadUsable` false while every
   * detection lead is off or clipping (no asystole then: the lead, not the heart, is silent);
   * `detectorLearning` true while the QRS detector trains its thresholds (QrsDetector `relearn`:
   * the beats of that time come when it ends, so the silence is not yet known).
   */
  step(frame: Samples, leadUsable: boolean, detectorLearning = false): void {
    this.vf.step(frame[0]!);
    const n = this.vf.sampleIndex;
    const judgeOthers = this.othersNeeded(n);
    for (let k = 0; k < this.others.length; k++) this.others[k]!.step(frame[k + 1] ?? 0, judgeOthers);
    if (!leadUsable) this.lastUnusable = n;
    this.updateVf(n);
    if (
      !this.asystoleOpen &&
      leadUsable &&
      !detectorLearning &&
      !this.vfSpans.isOpen &&
      this.lastBeat >= 0 &&
      n - this.quietSince() >= this.asystoleSamples &&
      (!this.suspected() || n - this.quietSince() >= this.asystoleSamples + this.graceSamples)
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
    for (const d of this.others) d.flush();
    if (this.vfSpans.isOpen) this.closeVf(this.vf.sampleIndex);
    if (this.asystoleOpen) {
      this.onRhythm({ kind: 'asystole', startSample: this.asystoleStart, endSample: this.vf.sampleIndex });
      this.asystoleOpen = false;
    }
    this.release(Infinity);
  }

  /**
   * Where the current silence began: the last beat, or the end of a VF episode after it, or the
   * last sample at which every detection lead was off or clipping (a silence is only what could be
   * seen: no asystole spans a lead-off, nor opens the moment the leads are back).
   */
  private quietSince(): number {
    return Math.max(this.lastBeat, this.lastVfEnd, this.lastUnusable);
  }

  /**
   * Whether the other leads' detectors need to judge their windows: what they say is used only
   * after {@link OTHERS_JUDGE_AFTER_S} without a QRS, while the VF lead is too small to judge or
   * its last window counted as VF, or while an episode is open; each judgement costs a spectrum (sparing them keeps the pipeline
   * about twice as fast).
   */
  private othersNeeded(n: number): boolean {
    if (this.vfSpans.isOpen || this.asystoleOpen || this.vfLeadQuiet() || this.vf.lastWindowVf) return true;
    // before the first beat another lead's VF counts only after ASYSTOLE_S (see updateVf)
    const since = this.lastBeat >= 0 ? this.lastBeat : this.asystoleSamples - this.silentSamples;
    return n - since >= this.othersFromSamples;
  }

  /**
   * Whether the VF lead's last window is too small to judge (below the VF detector's minimum
   * amplitude): then a lead that shows more decides.
   */
  private vfLeadQuiet(): boolean {
    const f = this.vf.lastFeatures;
    return f !== undefined && f.spanP5P95 * this.microvoltsPerUnit < MIN_SPAN_MICROVOLTS;
  }

  /** Whether any detection lead shows VF-like activity its detector is still judging. */
  private suspected(): boolean {
    return this.vf.suspected || this.others.some((d) => d.suspected);
  }

  /**
   * A VF episode opens when the VF lead's detector opens one, or, after
   * {@link SILENT_FOR_OTHER_LEAD_S} without a QRS, while the VF lead is too small to judge, or
   * while the VF lead's own last window counted as VF (`VfDetector.lastWindowVf`: it passed the
   * opening limits and showed no organised rhythm, though its run is too short to open), when
   * another lead's does (fine fibrillation can look
   * flat or borderline on one lead and clear on another, and the QRS detector may take its waves
   * on a larger lead for beats, so the silence never comes). It lasts while any lead's
   * detector stays in an episode, and ends at the last of their ends.
   */
  private updateVf(n: number): void {
    const open = this.vfSpans.openStart;
    if (open === null) {
      // before the first beat (the detector still learning) only a longer silence counts
      const silent = this.lastBeat >= 0 ? n - this.lastBeat >= this.silentSamples : n >= this.asystoleSamples;
      const source = this.vf.inEpisode
        ? this.vf
        : silent || this.vfLeadQuiet() || this.vf.lastWindowVf
          ? this.others.find((d) => d.inEpisode)
          : undefined;
      if (source !== undefined) this.openVf(source.openSince ?? n);
      return;
    }
    if (this.vf.inEpisode || this.others.some((d) => d.inEpisode)) return;
    this.closeVf(Math.max(open, ...this.lastEnds));
  }

  private openVf(start: number): void {
    if (this.asystoleOpen) {
      const end = Math.max(this.asystoleStart, start);
      this.onRhythm({ kind: 'asystole', startSample: this.asystoleStart, endSample: end });
      this.asystoleOpen = false;
    }
    this.vfSpans.open(start);
    this.onRhythm({ kind: 'ventricular_flutter_fibrillation', startSample: start, endSample: null });
  }

  private closeVf(end: number): void {
    const start = this.vfSpans.openStart!;
    this.vfSpans.close(end);
    this.lastVfEnd = Math.max(this.lastVfEnd, end);
    this.onRhythm({
      kind: 'ventricular_flutter_fibrillation',
      startSample: start,
      endSample: end,
      ...(this.lastUnusable >= end ? { endUnseen: true } : {}),
    });
  }

  private release(until: number): void {
    while (this.held.length > 0 && this.held[0]!.sample <= until) {
      const beat = this.held.shift()!;
      if (!this.vfSpans.contains(beat.sample)) this.onBeat(beat.sample, beat.beatClass);
    }
    // episodes that ended before every held beat no longer matter
    this.vfSpans.forgetBefore(until - this.vf.sampleRateHz * 60);
  }
}
