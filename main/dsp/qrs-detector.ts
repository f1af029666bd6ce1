/**
 * Live (causal, streaming) QRS detector of the Pan–Tompkins family (Pan & Tompkins 1985,
 * IEEE TBME 32:230; thresholds as in Hamilton & Tompkins 1986, IEEE TBME 33:1157), made
 * robust: adaptive signal/noise peak levels, search-back for missed beats at 1.66 × the
 * RR interval, 200 ms refractory period, T-wave discrimination by slope within 360 ms
 * (up to 500 ms at slow rates) unless the candidate has a QRS's energy or, in an irregular
 * rhythm, far more than the patient's T waves (qrs-early.ts: aberrant beats), wide complexes
 * (little 5–15 Hz energy) accepted below threshold 1 when far above the noise level,
 * threshold decay after a long silence (amplitude drop, lead change), several leads fused
 * into one feature, and each beat placed on its R peak. Of two feature peaks within the
 * confirmation time the larger is the candidate, unless the patient's QRS template says the
 * earlier, overtaken one is the QRS and the larger an artefact after it (qrs-template.ts).
 * Latency: a beat is reported at most `latencyS` (0.45 s) after its R peak: band-pass
 * delay and the 150 ms integration window (0.25 s together, with margin) plus the 0.2 s
 * peak confirmation; a beat recovered by search-back is reported when the search-back runs,
 * at most 1.66 × RR (capped at 2.5 s) after the previous beat, plus the confirmation time; an
 * early beat in noise, or one in the T-wave window that only its size told from a T wave, is
 * held until the next beat shows whether it disturbed the rhythm, at most 1.12 × RR after the
 * beat before it plus that time (qrs-hold.ts). The first `learningS` (4 s) train the
 * thresholds (qrs-training.ts), and again after `relearn`; their beats are reported when
 * training ends.
 * Running levels: qrs-levels.ts; candidates: qrs-candidates.ts; T-wave rules: qrs-twave.ts;
 * with several leads, wide and early complexes are also judged on each lead against its own
 * noise (qrs-lead-wide.ts), and search-back follows a lead that keeps its QRS when another lost
 * its own (qrs-agreement.ts).
 */
import type { Samples } from './filters.js';
import { QrsFeature } from './qrs-feature.js';
import {
  complexAmplitude,
  complexHalfWidth,
  locateLeadRPeak,
  locateRPeak,
  PolarityMemory,
} from './qrs-refine.js';
import { EarlyComplexRule, isWideComplex } from './qrs-early.js';
import { RrHistory } from './qrs-rr.js';
import { TrainingLevels } from './qrs-training.js';
import { CandidateRing } from './qrs-candidates.js';
import { QrsLevels } from './qrs-levels.js';
import { HoldingReporter } from './qrs-hold.js';
import { LeadAgreement } from './qrs-agreement.js';
import { LeadWideRule, type BeatKind } from './qrs-lead-wide.js';
import { TWaveRules, type LastBeat } from './qrs-twave.js';
import { QrsTemplate } from './qrs-template.js';
import { PWaveTemplate } from './qrs-pwave.js';

/** Options of the QRS detectors. */
export interface QrsDetectorOptions {
  sampleRateHz: number;
  /** Leads per frame (default 1). */
  leadCount?: number;
  /** Threshold training period at start, seconds (default 4: qrs-training.ts needs ≥ 3 1-s segments). */
  learningS?: number;
}

const SEARCH_BACK_RR_FACTOR = 1.66;
const SEARCH_BACK_MAX_S = 2.5;
const SEARCH_BACK_MIN_RR = 0.5; // search-back looks only this fraction of the mean RR after a beat
/** A feature peak is one of its own when the feature fell below this fraction of it before rising. */
const OVERTAKEN_DIP = 0.9;
/** Time a feature peak must stay the largest before it becomes a candidate. */
const CONFIRM_S = 0.2;

/** Streaming QRS detector; calls `onBeat(sampleIndex)` once per beat, in time order. */
export class QrsDetector {
  readonly sampleRateHz: number;
  /** Upper bound of the delay between an R peak and its report (normal detection), seconds. */
  readonly latencyS: number;
  readonly feature: QrsFeature;
  private readonly frame1 = new Float64Array(1);
  private readonly confirm: number;
  private readonly learnSamples: number;
  private readonly onBeat: (sampleIndex: number) => void;
  // Everything below is learned from the signal, and learned afresh by `relearn` (set by `begin`).
  private learnEnd!: number;
  // feature peak tracking
  private previousFeature!: number;
  private peakValue!: number;
  private peakIndex!: number;
  /** The lowest feature value since the running peak (-1: none yet). */
  private dipValue!: number;
  /** The last feature peak a larger one overtook before it was confirmed (-1: none). */
  private overtakenIndex!: number;
  private overtakenValue!: number;
  private template!: QrsTemplate;
  /** The patient's P wave: a candidate that repeats it where a P is due is no beat (qrs-pwave.ts). */
  private pWave!: PWaveTemplate;
  /** The last beat's R mark, and the last P wave's found after it (-1: none). */
  private lastR!: number;
  private lastP!: number;
  private learning!: boolean;
  private training!: TrainingLevels;
  private cands!: CandidateRing;
  private agreement!: LeadAgreement;
  // adaptive levels
  private levels!: QrsLevels;
  private early!: EarlyComplexRule;
  /** The last beat (its feature peak, slope and size). */
  private last!: LastBeat;
  private rr!: RrHistory;
  private nextSearchBack!: number;
  private reporter!: HoldingReporter;
  /** Wide and early complexes judged lead by lead (several leads only). */
  private leads!: LeadWideRule | undefined;
  private tWaves!: TWaveRules;
  /** The polarity each lead's last beat was marked on (qrs-refine.ts). */
  private polarity!: PolarityMemory;
  /** Scratch: the newest candidate's sign per lead. */
  private readonly signs: Int8Array;

  constructor(options: QrsDetectorOptions, onBeat: (sampleIndex: number) => void) {
    const fs = options.sampleRateHz;
    this.sampleRateHz = fs;
    this.feature = new QrsFeature(fs, options.leadCount ?? 1);
    this.signs = new Int8Array(this.feature.leadCount);
    this.confirm = Math.round(CONFIRM_S * fs);
    this.learnSamples = Math.round((options.learningS ?? 4) * fs);
    this.onBeat = onBeat;
    this.latencyS = CONFIRM_S + 0.25;
    this.begin(0);
  }

  /**
   * Learns the patient afresh from the next sample, as at the start: the beats already accepted
   * are reported, the candidates still pending are dropped, and the thresholds, the RR history
   * and the T-wave and wide-complex rules are trained again over `learningS` (the beats of that
   * time are reported when it ends). For when every detection lead comes back after being off or
   * clipped (pipeline.ts): the electrodes may sit elsewhere now, and what was learned before
   * (a QRS level, a lead's polarity) no longer holds. Monitors do the same after a leads-off
   * condition (e.g. Philips IntelliVue TRx: relearning "whenever there is a Leads Off condition").
   * The feature's filters run on: the samples stay on one count.
   */
  relearn(): void {
    this.reporter.flush();
    this.begin(this.feature.sampleIndex + 1);
  }

  /** Whether the thresholds are being trained (the beats of this time are reported when it ends). */
  get isLearning(): boolean {
    return this.learning;
  }

  /** Starts learning at feature sample `first`. */
  private begin(first: number): void {
    const fs = this.sampleRateHz;
    const leadCount = this.feature.leadCount;
    this.learnEnd = first + this.learnSamples;
    this.previousFeature = 0;
    this.peakValue = 0;
    this.peakIndex = -1;
    this.dipValue = -1;
    this.overtakenIndex = -1;
    this.overtakenValue = 0;
    this.template = new QrsTemplate(this.feature);
    this.pWave = new PWaveTemplate(this.feature);
    this.lastR = -1;
    this.lastP = -1;
    this.learning = true;
    this.training = new TrainingLevels(fs, this.learnSamples, first);
    this.cands = new CandidateRing(64, leadCount);
    this.polarity = new PolarityMemory(leadCount);
    this.agreement = new LeadAgreement(this.feature);
    this.levels = new QrsLevels();
    this.early = new EarlyComplexRule();
    this.last = { index: -1, slope: 0, amplitude: 0 };
    this.rr = new RrHistory(fs);
    this.nextSearchBack = Infinity;
    this.reporter = new HoldingReporter(fs, this.onBeat);
    this.leads = leadCount > 1 ? new LeadWideRule(this.feature, fs, this.learnSamples, first) : undefined;
    const { cands, rr, levels, early, agreement, leads, last, template } = this;
    this.tWaves = new TWaveRules(fs, { cands, rr, levels, early, agreement, leads, last, template });
  }

  /** Consumes one frame (one sample per lead). */
  step(frame: Samples): void {
    const f = this.feature;
    f.step(frame);
    const n = f.sampleIndex;
    const value = f.feature;
    if (this.learning) {
      this.training.add(value);
      this.leads?.trainingSample(n);
    } else this.reporter.hold.observe(value > 0.5 * this.levels.threshold1());
    if (value > this.previousFeature && value > this.peakValue) {
      // a peak of its own, overtaken: the feature fell below it in between
      if (this.peakIndex >= 0 && this.dipValue >= 0 && this.dipValue < OVERTAKEN_DIP * this.peakValue) {
        this.overtakenIndex = this.peakIndex;
        this.overtakenValue = this.peakValue;
      }
      this.peakValue = value;
      this.peakIndex = n;
      this.dipValue = -1;
    } else if (this.peakIndex >= 0 && (this.dipValue < 0 || value < this.dipValue)) this.dipValue = value;
    this.previousFeature = value;
    if (this.peakIndex >= 0 && n - this.peakIndex >= this.confirm) {
      this.addCandidate(this.peakIndex, this.peakValue);
      this.peakIndex = -1;
      this.peakValue = 0;
      this.dipValue = -1;
      this.overtakenIndex = -1;
    }
    if (this.learning && n >= this.learnEnd) this.endLearning();
    if (!this.learning && n >= this.nextSearchBack) this.searchBack(n);
    this.reporter.tick(n, this.confirm);
  }

  /** Consumes one sample of a single-lead detector. */
  stepSample(sample: number): void {
    this.frame1[0] = sample;
    this.step(this.frame1);
  }

  /** End of record: classifies what is still pending (used by the whole-record detector). */
  flush(): void {
    const n = this.feature.sampleIndex;
    if (this.peakIndex >= 0) this.addCandidate(this.peakIndex, this.peakValue);
    this.peakIndex = -1;
    if (this.learning) this.endLearning();
    if (n - this.last.index > this.searchBackSamples()) this.searchBack(n);
    this.reporter.flush();
  }

  private addCandidate(index: number, value: number): void {
    const f = this.feature;
    // a QRS overtaken within the confirmation time by an artefact of more 5–15 Hz energy; only
    // one that is a beat by its own energy (threshold 1): this moves a beat, it never makes one
    if (
      this.overtakenIndex >= 0 &&
      !this.learning &&
      this.overtakenValue > this.levels.threshold1() &&
      this.template.prefersEarlier(
        locateRPeak(f, this.overtakenIndex, this.polarity),
        locateRPeak(f, index, this.polarity),
      )
    ) {
      [index, value] = [this.overtakenIndex, this.overtakenValue];
    }
    const mwi = Math.round(0.15 * this.sampleRateHz);
    const slope = f.maxSlope(index - mwi, index);
    const r = locateRPeak(f, index, this.polarity, this.signs);
    const energies = this.agreement.measure(index);
    const amplitudes = this.leads?.amplitudes;
    const amplitude = complexAmplitude(f, index, amplitudes);
    const slopes = this.leads?.measureSlopes(index - mwi, index);
    // Does it repeat the patient's P wave where a P is due (qrs-pwave.ts)? Judged now, while its
    // samples are in the feature's ring (search-back may come later); a complex of a QRS's size is
    // no P wave. Such a candidate is never a beat.
    const pWave =
      !this.learning &&
      this.lastR >= 0 &&
      !this.early.qrsSized(amplitude) &&
      this.pWave.isPWave(r, this.template.size, {
        sinceR: r - this.lastR,
        sinceP: this.lastP > this.lastR ? r - this.lastP : -1,
        cycle: this.rr.median(),
      });
    if (pWave) this.lastP = r;
    const slot = this.cands.push({
      index,
      value,
      slope,
      r,
      amplitude,
      energies,
      amplitudes,
      slopes,
      signs: this.signs,
      pWave,
    });
    if (!this.learning) this.classifyNewest();
    else {
      this.training.peak(index, value, complexHalfWidth(f, r));
      this.leads?.trainingPeak(this.cands, slot);
    }
  }

  private endLearning(): void {
    this.learning = false;
    // the feature peak still being confirmed (CONFIRM_S) belongs to the last training segment:
    // without it, a beat in the last 0.2 s left that segment to the f waves or noise
    if (this.peakIndex >= 0 && this.peakIndex < this.learnEnd) {
      const r = locateRPeak(this.feature, this.peakIndex, this.polarity);
      this.training.peak(this.peakIndex, this.peakValue, complexHalfWidth(this.feature, r));
    }
    this.levels.start(this.training);
    this.early.start(this.levels.noise);
    this.leads?.start();
    // classify the candidates found while learning, oldest first
    for (const c of this.cands.takeAll()) {
      this.cands.push(c);
      this.classifyNewest();
    }
  }

  /**
   * How long after the last beat search-back runs: {@link SEARCH_BACK_RR_FACTOR} × the RR
   * interval, at most {@link SEARCH_BACK_MAX_S}; that longest wait while no interval is measured
   * (one beat in training). The 1-s guess put it at 1.66 s, before the next beat of a bradycardia
   * under 36/min, and the largest peak since (a P wave of atrioventricular block, a T wave) became
   * a beat, halved the RR, and kept search-back finding P waves (`npm run bench -- qrs-block`).
   */
  private searchBackSamples(): number {
    const fs = this.sampleRateHz;
    if (!this.rr.measured) return SEARCH_BACK_MAX_S * fs;
    return Math.min(SEARCH_BACK_RR_FACTOR * this.rr.mean, SEARCH_BACK_MAX_S * fs);
  }

  private classifyNewest(): void {
    const slot = this.cands.newest();
    const index = this.cands.index[slot]!;
    if (this.last.index >= 0 && index - this.last.index > this.searchBackSamples()) {
      this.searchBack(index - 1);
    }
    const [value, tWave] = [this.cands.value[slot]!, this.tWaves.isTWave(slot)];
    const pWave = this.cands.pWave[slot] === 1;
    const [pastRefractory, noisy] = [
      index - this.last.index >= this.tWaves.refractory,
      this.reporter.hold.noisy(),
    ];
    if (this.agreement.oneLead(this.cands, slot)) {
      if (pastRefractory && !pWave && this.broadOnOneLead(slot)) {
        // a broad ventricular complex seen plainly on one lead (qrs-agreement.ts): a beat, held
        // until the next one shows whether it disturbed the rhythm (qrs-hold.ts)
        this.early.otherBeat();
        this.accept(slot, 'below-threshold', true);
        return;
      }
      // artefact on one lead (qrs-agreement.ts): no beat, nor a noise peak of the sum; but each
      // lead's own levels learn it (qrs-lead-wide.ts)
      this.leads?.rejected(this.cands, slot, tWave, noisy, pastRefractory);
      return;
    }
    if (value > this.levels.threshold1() && !tWave && !pWave) {
      // asked before the levels take the beat in
      const doubtful = this.tWaves.standsBySizeAlone(slot);
      this.levels.beatAboveThreshold(value, false);
      this.early.clearBeat(value, this.cands.slope[slot]!, this.cands.amplitude[slot]!, this.levels.qrs);
      this.accept(slot, 'clear', doubtful);
    } else if (!tWave && !pWave && this.isWideComplex(slot)) {
      const doubtful = this.tWaves.standsBySizeAlone(slot);
      this.early.otherBeat();
      this.accept(slot, 'below-threshold', doubtful);
    } else {
      // within the refractory period a peak is the beat's own: it is no sample of the noise's size
      this.leads?.rejected(this.cands, slot, tWave, noisy, pastRefractory);
      if (!this.early.teachesNoise(this.cands.amplitude[slot]!, tWave, noisy)) return;
      this.levels.noisePeak(value);
      if (!pastRefractory) return;
      this.early.noisePeak(this.cands.amplitude[slot]!);
      if (tWave) this.early.tWave(value);
    }
  }

  /**
   * Is candidate `slot`, below threshold 1, a wide complex (qrs-early.ts: `isWideComplex` by
   * its energy over the noise, `isLargeWideComplex` by its size)? Within the T-wave window, only
   * when it is too large to be the last beat's T wave (an early PVC) or repeats the last beat's
   * complex (a couplet; qrs-twave.ts).
   */
  private isWideComplex(slot: number): boolean {
    if (this.last.index < 0) return false;
    if (this.cands.index[slot]! - this.last.index < this.tWaves.windowSamples())
      return this.tWaves.outgrowth(slot) !== 'fits' || this.tWaves.repeatsLastBeat(slot);
    const c = this.cands;
    const [value, slope, amplitude] = [c.value[slot]!, c.slope[slot]!, c.amplitude[slot]!];
    return (
      isWideComplex(value, slope, this.levels, this.last.slope) ||
      this.early.isLargeWideComplex(value, amplitude, slope, this.levels, this.last.slope) ||
      (this.leads?.isWideComplex(this.cands, slot, this.levels) ?? false)
    );
  }

  /**
   * Is candidate `slot`, which stands out on one lead alone, a wide complex there by that lead's
   * rules (qrs-lead-wide.ts: too large for the last beat's T wave within the T-wave window, of a
   * QRS's size beyond it), with an event on another lead too (qrs-agreement.ts `seenElsewhere`)?
   */
  private broadOnOneLead(slot: number): boolean {
    const leads = this.leads;
    if (leads === undefined || this.last.index < 0 || !this.agreement.seenElsewhere(this.cands, slot))
      return false;
    const since = this.cands.index[slot]! - this.last.index;
    if (since < this.tWaves.windowSamples()) {
      return leads.outgrowsTWave(this.cands, slot, since / this.sampleRateHz, this.levels) === 'outgrows';
    }
    return leads.isWideComplex(this.cands, slot, this.levels);
  }

  /**
   * Looks back over the candidates since the last beat for the largest above threshold 2 (an event
   * on one lead only with a beat's share of that lead's level there: qrs-agreement.ts `beatSized`),
   * or with its lead's QRS where another lead lost its own ({@link lostLeadBeat}).
   */
  private searchBack(now: number): void {
    const threshold2 = this.levels.threshold2();
    let best = -1;
    for (let k = 0; k < this.cands.count; k++) {
      const slot = this.cands.slotAt(k);
      if (this.cands.index[slot]! > now || this.cands.index[slot]! <= this.last.index) continue;
      // a beat missed by the thresholds sits about one RR after the last one, not in its wake
      if (
        this.last.index >= 0 &&
        this.cands.index[slot]! - this.last.index < SEARCH_BACK_MIN_RR * this.rr.mean
      )
        continue;
      if (
        ((this.cands.value[slot]! > threshold2 && this.agreement.beatSized(this.cands, slot)) ||
          this.lostLeadBeat(slot)) &&
        !this.tWaves.isTWave(slot) &&
        !this.tWaves.isLateTWave(slot) &&
        this.cands.pWave[slot] === 0
      ) {
        if (best < 0 || this.cands.value[slot]! > this.cands.value[best]!) best = slot;
      }
    }
    if (best >= 0) {
      this.levels.beatAboveThreshold(this.cands.value[best]!, true);
      this.early.otherBeat();
      this.accept(best, 'search-back');
      // two missed beats in the interval: search again after the one just found
      if (now - this.last.index > this.searchBackSamples()) this.searchBack(now);
      return;
    }
    // Nothing found: the signal level is stale (amplitude fell); let it decay.
    this.levels.decay();
    this.leads?.decay();
    this.nextSearchBack = now + Math.round(0.5 * this.rr.mean);
  }

  /**
   * Is the candidate in `slot`, whatever its fused feature, a beat on a lead that kept its QRS
   * while another lost its own? On some lead it has that lead's usual QRS energy (qrs-lead-wide.ts
   * `hasQrsSizeOn`) and, at that lead's own R peak, its part of the QRS template (qrs-template.ts
   * `matchesPlainlyOn`); and a lead in use showed no QRS from the last beat through it
   * (qrs-agreement.ts `silentSinceLastBeat`, where the physiology is).
   */
  private lostLeadBeat(slot: number): boolean {
    const [leads, index] = [this.leads, this.cands.index[slot]!];
    if (leads === undefined || !this.agreement.silentSinceLastBeat(index)) return false;
    for (let lead = 0; lead < this.feature.leadCount; lead++) {
      if (!leads.hasQrsSizeOn(this.cands, slot, lead)) continue;
      const r = locateLeadRPeak(this.feature, index, lead, this.polarity);
      if (this.template.matchesPlainlyOn(r, lead)) return true;
    }
    return false;
  }

  /**
   * Accepts the candidate in `slot` as a beat; a `doubtful` one (qrs-twave.ts `standsBySizeAlone`)
   * is held until the next beat shows whether it disturbed a settled rhythm (qrs-hold.ts).
   */
  private accept(slot: number, kind: BeatKind, doubtful = false): void {
    const index = this.cands.index[slot]!;
    this.agreement.beat(this.cands, slot);
    this.leads?.beat(this.cands, slot, kind);
    const value = this.cands.value[slot]!;
    this.reporter.beat(
      index,
      this.cands.r[slot]!,
      this.last.index,
      this.rr.median(),
      value,
      this.rr.recent(2),
      () => this.template.resembles(this.cands.r[slot]!),
      doubtful,
      () => this.template.matchesPlainly(this.cands.r[slot]!),
    );
    if (this.last.index >= 0) this.rr.push(index - this.last.index);
    this.levels.recordBeat(value, kind === 'search-back');
    const r = this.cands.r[slot]!;
    // the P wave is learned from the window before each clear beat that plainly has the patient's QRS shape
    if (kind === 'clear' && this.template.learn(r)) this.pWave.learn(r, this.lastR);
    this.lastR = r;
    this.template.rememberLast(r);
    this.last.index = index;
    this.last.slope = this.cands.slope[slot]!;
    this.last.amplitude = this.cands.amplitude[slot]!;
    // the next complexes keep this beat's polarity on each lead unless the other is clearly larger
    const leads = this.polarity.leadCount;
    for (let lead = 0; lead < leads; lead++) this.polarity.mark(lead, this.cands.signs[slot * leads + lead]!);
    // drop candidates up to and including this one
    this.cands.dropThrough(index);
    this.nextSearchBack = index + Math.round(this.searchBackSamples()) + this.confirm;
  }
}
