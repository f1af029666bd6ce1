/**
 * The live per-sample ECG pipeline: 8 acquired channels in → 12 derived leads, filtered
 * for display (causal, `LiveEcgFilter`), beats from the multi-lead live QRS detector, each
 * with its AAMI class (BeatClassifier, on the detection leads), rhythm episodes (ventricular
 * flutter/fibrillation on the first detection lead, asystole; RhythmGate), and per-lead
 * signal quality. When every detection lead has been off (reported so by the device, or flat or
 * clipping) and one comes back, the detector and the classifier learn the patient afresh.
 *
 * Outputs: `onBeat(sampleIndex, beatClass)` once per beat in time order, never inside a
 * ventricular flutter/fibrillation episode; `onRhythm(episode)` when an episode opens
 * (`endSample` null) and again when it closes. Sample indexes count the frames pushed.
 *
 * Latency: display ≈ the filter group delay (`displayLatencyMs`, ≈ 12 ms at 500 Hz); beats
 * ≤ `beatLatencyS` after their R peak: the detector's `latencyS` (search-back beats later,
 * see QrsDetector) plus the hold for the VF decision (`RhythmGate.holdS`, ≈ 4 s).
 */
import { LiveEcgFilter, type MainsSetting } from './filters-ecg.js';
import {
  ACQUIRED_LEADS,
  deriveFrame,
  STANDARD_LEADS,
  standardLeadIndex,
  type StandardLead,
} from './leads.js';
import { BeatClassifier } from './beat-classifier.js';
import type { BeatClass } from './hrv.js';
import { QrsDetector } from './qrs-detector.js';
import { SampleSpans } from './sample-spans.js';
import { RhythmGate, type RhythmEpisode } from './rhythm-gate.js';
import { LeadQuality, QualityMonitor, type LeadQualityCode } from './quality.js';
import type { Electrode } from '../../preload/schemas.js';
import { leadsSpoiledBy } from './quality-electrodes.js';
import type { Samples } from './filters.js';

/** Options of the live pipeline. */
export interface LivePipelineOptions {
  sampleRateHz: number;
  /** Scale of the acquired samples (lsbNanovolts / 1000). */
  microvoltsPerUnit: number;
  /** Default 50. */
  mainsHz?: MainsSetting;
  /** Display band (defaults 0.5–40 Hz). */
  highpassHz?: number;
  lowpassHz?: number;
  /**
   * Leads fused by the QRS detector (default II, V2, V5: the limb lead with the
   * largest usual QRS and two chest leads that are rarely all small together).
   */
  detectionLeads?: readonly StandardLead[];
  /**
   * Beat detection and classification started learning the patient afresh (see `relearn`), from
   * sample `sampleIndex`: when the detection leads came back after all were off
   * (`leads_back`), or on request (`requested`).
   */
  onRelearn?: (sampleIndex: number, cause: RelearnCause) => void;
}

/** Why beat detection learned the patient afresh. */
export type RelearnCause = 'leads_back' | 'requested';

export const DEFAULT_DETECTION_LEADS: readonly StandardLead[] = ['II', 'V2', 'V5'];

/** Acquired channel each detection lead depends on most (for quality gating). */
const QUALITY_SOURCE: Partial<Record<StandardLead, number>> = {
  I: 0,
  II: 1,
  V1: 2,
  V2: 3,
  V3: 4,
  V4: 5,
  V5: 6,
  V6: 7,
};

/** Live pipeline: push acquired frames, read `display`, receive beats by callback. */
export class LivePipeline {
  /** The 12 filtered leads of the last frame (STANDARD_LEADS order, input units). */
  readonly display = new Float64Array(STANDARD_LEADS.length);
  readonly detector: QrsDetector;
  readonly quality: QualityMonitor;
  readonly displayLatencyMs: number;
  readonly rhythm: RhythmGate;
  /** Upper bound of the delay from an R peak to its `onBeat` (normal detection), seconds. */
  readonly beatLatencyS: number;
  private readonly derived = new Float64Array(STANDARD_LEADS.length);
  private readonly detectionFrame: Float64Array;
  private readonly detectionIndexes: Int32Array;
  private readonly filter: LiveEcgFilter;
  /** Classes revised by a later beat, by R sample, until the gate releases the beat. */
  private readonly revised = new Map<number, BeatClass>();
  /** Whether any detection lead was attached (neither reported off nor clipping) at the last update. */
  private leadsUsable = true;
  /** Whether any detection lead was usable for detection (not reported off, flat nor clipping) then. */
  private leadsSighted = true;
  /** Acquired leads (ACQUIRED_LEADS order) whose electrodes the device reports off. */
  private readonly reportedOff = ACQUIRED_LEADS.map(() => false);
  /**
   * Spans of samples (the last minute's) in which the device reported every detection lead off,
   * the last one open while it lasts: what was detected there is no beat.
   */
  private readonly reportedOffSpans = new SampleSpans();
  private classifier: BeatClassifier;
  private readonly onRelearn: LivePipelineOptions['onRelearn'];

  constructor(
    options: LivePipelineOptions,
    onBeat: (sampleIndex: number, beatClass: BeatClass) => void,
    onRhythm: (episode: RhythmEpisode) => void = () => undefined,
  ) {
    const fs = options.sampleRateHz;
    const leads = options.detectionLeads ?? DEFAULT_DETECTION_LEADS;
    this.onRelearn = options.onRelearn;
    this.detectionIndexes = Int32Array.from(leads.map(standardLeadIndex));
    this.detectionFrame = new Float64Array(leads.length);
    this.filter = new LiveEcgFilter(
      {
        sampleRateHz: fs,
        mainsHz: options.mainsHz,
        highpassHz: options.highpassHz,
        lowpassHz: options.lowpassHz,
      },
      STANDARD_LEADS.length,
    );
    this.displayLatencyMs = this.filter.latencyMs;
    // a beat's class may be revised by the next beat (beat-aberrancy.ts: only when that comes
    // within MAX_DECISION_S, well inside the hold), applied as the gate releases the beat
    this.rhythm = new RhythmGate(
      { sampleRateHz: fs, microvoltsPerUnit: options.microvoltsPerUnit, leadCount: leads.length },
      (index, beatClass) => {
        const revised = this.revised.get(index);
        this.revised.delete(index);
        onBeat(index, revised ?? beatClass);
      },
      onRhythm,
    );
    this.classifier = new BeatClassifier({ sampleRateHz: fs, leadCount: leads.length });
    this.detector = new QrsDetector({ sampleRateHz: fs, leadCount: leads.length }, (r) => {
      if (!this.reportedOffSpans.contains(r)) this.rhythm.beat(r, this.classify(r));
    });
    this.beatLatencyS = this.detector.latencyS + this.rhythm.holdS;
    this.quality = new QualityMonitor({
      sampleRateHz: fs,
      leadCount: 8,
      microvoltsPerUnit: options.microvoltsPerUnit,
      mainsHz: options.mainsHz,
    });
  }

  /** Consumes one acquired frame (I, II, V1–V6). */
  push(acquired: Samples): void {
    deriveFrame(acquired, this.derived);
    this.filter.stepFrame(this.derived, this.display);
    for (let k = 0; k < this.detectionIndexes.length; k++) {
      this.detectionFrame[k] = this.derived[this.detectionIndexes[k]!]!;
    }
    this.detector.step(this.detectionFrame);
    if (this.quality.step(acquired)) this.gateDetectionLeads();
    this.rhythm.step(this.detectionFrame, this.anyLeadUsable(), this.detector.isLearning);
  }

  /** End of the stream (recording stopped): reports the beats still awaiting confirmation. */
  flush(): void {
    this.detector.flush();
    this.rhythm.flush();
  }

  /** The class of the beat at `r`, read from the detector's causal refine-band ring. */
  private classify(r: number): BeatClass {
    const f = this.detector.feature;
    const newest = f.sampleIndex;
    const oldest = f.oldestIndex();
    const c = this.classifier.classify(r, (lead, index) =>
      f.refineAt(lead, Math.min(newest, Math.max(oldest, index + f.refineDelaySamples))),
    );
    if (c.revises !== undefined) {
      this.revised.set(c.revises.sample, c.revises.beatClass);
      // a revised beat dropped inside VF is never released: keep only the recent ones
      for (const k of this.revised.keys())
        if (k < r - this.beatLatencyS * this.classifier.sampleRateHz) this.revised.delete(k);
    }
    return c.beatClass;
  }

  private anyLeadUsable(): boolean {
    return this.leadsUsable;
  }

  /**
   * The electrodes the device reports off now (empty: all attached). The leads they spoil
   * (quality-electrodes.ts) count as off, whatever their signal shows, until the device reports
   * them on again: a floating input can show mains hum or noise rather than a flat line.
   */
  electrodesOff(electrodes: readonly Electrode[]): void {
    const spoiled = leadsSpoiledBy(electrodes);
    if (spoiled.every((off, k) => off === this.reportedOff[k])) return;
    spoiled.forEach((off, k) => (this.reportedOff[k] = off));
    this.gateDetectionLeads();
  }

  /**
   * The detector and the classifier learn the patient afresh from the next sample (QrsDetector
   * `relearn`: its beats of the next 4 s are reported when that ends; the classifier's templates,
   * as monitors clear theirs). Done by itself when every detection lead was off, flat or clipping
   * and one is back: the electrodes may have been moved or changed, and a QRS smaller than before
   * (a new site) would otherwise stay under the old thresholds for good, and the clipping's edges
   * can lift the levels out of reach. Staff ask for it after moving electrodes, or when beats are
   * missed or misclassified (as on bedside monitors: "relearn").
   */
  relearn(cause: RelearnCause = 'requested'): void {
    this.detector.relearn();
    this.classifier = new BeatClassifier({
      sampleRateHz: this.classifier.sampleRateHz,
      leadCount: this.detectionIndexes.length,
    });
    this.onRelearn?.(this.detector.feature.sampleIndex + 1, cause);
  }

  /**
   * Opens or closes a span of {@link reportedOffSpans} as the device's lead-off report changes
   * (`allOff`: it reports every detection lead off now).
   */
  private trackReportedOff(allOff: boolean): void {
    const next = this.detector.feature.sampleIndex + 1;
    if (allOff) this.reportedOffSpans.open(next);
    else this.reportedOffSpans.close(next - 1);
    this.reportedOffSpans.forgetBefore(next - 60 * this.detector.sampleRateHz);
  }

  /** Quality of detection lead `k`: its source's last window, or `off` while the device reports it so. */
  private detectionLeadStatus(k: number): LeadQualityCode | 'off' {
    const source = QUALITY_SOURCE[STANDARD_LEADS[this.detectionIndexes[k]!]!];
    if (source === undefined) return LeadQuality.good;
    return this.reportedOff[source] ? 'off' : (this.quality.status[source] as LeadQualityCode);
  }

  /**
   * Leaves out of detection the leads whose electrodes are off, flat or clipping; all kept if none
   * is usable. When one is usable again after none was, the detector and classifier relearn.
   *
   * A lead rated noisy stays in at full weight: the detector weighs each lead by its own energy
   * between beats (qrs-agreement.ts `weighByQuality`), continuously and at any sample rate, and sets
   * artefact on one lead aside. The quality monitor's rating, as it then was (noise above 40 Hz
   * over 1-s windows; quality.ts now reads 20–30 Hz, at every rate), could not see muscle noise at
   * 80 Hz, and turning a lead down to a fifth for a window at a time moved the fused feature in
   * steps its levels then chased:
   * the live pipeline on MIT-BIH (both leads, `npm run bench -- vf`) missed 42 beats at the native
   * 360 Hz, against 28 at 128 Hz and 27 at 80 Hz, where little or nothing lies above 40 Hz; with
   * the lead kept in, 23 at each rate (false beats 68 → 59, 55 → 56, 55 → 55). The turned-down lead
   * had also kept its noise out of a pause (standstill pasted into MIT-BIH 108, whose second lead
   * carries muscle noise); search-back's one-lead rule does that now (qrs-agreement.ts `beatSized`).
   */
  private gateDetectionLeads(): void {
    const statuses = Array.from(this.detectionIndexes, (_, k) => this.detectionLeadStatus(k));
    const weights = statuses.map((status) =>
      status === 'off' || status === LeadQuality.flat || status === LeadQuality.saturated ? 0 : 1,
    );
    const anyUsable = weights.some((w) => w > 0);
    // asystole needs an attached lead: a flat line may be asystole, clipping is a lead off
    this.leadsUsable = statuses.some((status) => status !== 'off' && status !== LeadQuality.saturated);
    this.trackReportedOff(statuses.every((status) => status === 'off'));
    if (anyUsable && !this.leadsSighted) this.relearn('leads_back');
    this.leadsSighted = anyUsable;
    weights.forEach((w, k) => this.detector.feature.setLeadWeight(k, anyUsable ? w : 1));
  }
}
