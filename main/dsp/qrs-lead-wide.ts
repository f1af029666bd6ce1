/**
 * Wide and early complexes judged lead by lead, for the multi-lead QRS detector.
 *
 * Physiology: a ventricular complex — normal, aberrant or ectopic — is one electrical event,
 * seen on every lead at once, but its size relative to each lead's own noise differs from lead
 * to lead, and so does the noise. In atrial fibrillation the f waves project mostly onto V1
 * (the right atrium lies next to it; Chou's *Electrocardiography in Clinical Practice*, ch. 17)
 * and are small in II, while a wide ventricular or aberrant complex may be large in II. So each
 * lead keeps the detector's running levels of its own 5–15 Hz energy and 1–40 Hz size
 * ({@link QrsLevels}, {@link EarlyComplexRule}), taught at the same events as the fused ones (a
 * beat above threshold 1, one below it, a rejected peak, a T wave), and a candidate the fused
 * feature rejects is a beat when, on a quiet lead (its noise level a smaller share of its QRS
 * level than the fused feature's, or a clean lead's share a little above it: {@link QUIET_MARGIN}),
 * it is a wide complex of a QRS's size beyond the T-wave window (`isLargeWideComplex`), too large
 * for the last beat's T wave within it (`outgrowsTWave`), or as large and as steep as the last
 * beat there (`repeatsLastBeatOn`: a couplet).
 * A noisier lead adds nothing the sum does not already judge, only more chances for its noise
 * to pass.
 *
 * Each lead's levels also learn the candidates the lead-agreement rule sets aside (qrs-agreement.ts:
 * an event on fewer than two leads teaches the fused noise level nothing). Those are most of the
 * small peaks — T waves, f waves — so the fused noise level is fed by the few large rejected
 * peaks, among them missed wide complexes, and it climbs: on synthetic atrial fibrillation with
 * PVCs and Ashman beats (synthetic-wide.ts, II + V1 at 360 Hz) it rose to 0.24 of the QRS level
 * against 0.015–0.02 on lead II alone, and 89.4 % of the PVCs were found with two leads against
 * 95.9 % with lead II alone; judged lead by lead, 97.1 %. There, lead II's own noise level
 * settles at 0.02 of its QRS level and V1's at 0.03–0.08 (the f waves).
 *
 * Each lead's rules weigh a candidate's slope against the last beat's slope on that lead, not on
 * the fused feature: the fused slope is the sum over the leads, ruled by the lead whose normal QRS
 * is sharpest — the rS of V2 among II, V2 and V5 — while a ventricular focus may project its broad
 * complex mostly onto another lead. Against the fused slope a broad PVC of 1.4 mV on II and 0.8 mV
 * on V2 and V5 had under a fifth of the normal beat's slope, a T wave's by the rules' measure, and
 * 23 of 24 such PVCs were missed at 250–500 Hz (qrs-multilead.test.ts); on II its slope is a third
 * of II's QRS's. A PVC smaller still on V2 and V5 (under 0.5 mV) is an event on II alone to the
 * lead-agreement rule (its 5–15 Hz energy there is under a twentieth of the normal beats'); it is
 * a beat when II's rules here take it and another lead shows it above what that lead shows between
 * beats (qrs-agreement.ts `seenElsewhere`).
 *
 * The per-lead energy rule of the fused feature (`isWideComplex`: 6 × the noise level) is not
 * used per lead: a lead's noise level, taught by every small peak, sits lower than the fused
 * one it was tuned against, and on MIT-BIH (both leads, at 360, 250, 128 and 80 Hz) it took
 * noise and the late part of PVCs on one lead for 8 false beats that the size rule does not;
 * a wide complex judged on one lead must have a QRS's size there.
 */
import type { CandidateRing } from './qrs-candidates.js';
import { EarlyComplexRule, type Outgrowth, repeatsSizeAndSlope } from './qrs-early.js';
import type { QrsFeature } from './qrs-feature.js';
import { QrsLevels } from './qrs-levels.js';
import { TrainingLevels } from './qrs-training.js';

/**
 * A lead is quiet enough for its own rules when its noise level is a smaller share of its QRS
 * level than the fused feature's, or a clean lead's share (under {@link CLEAN_SHARE}) up to this
 * many times the fused feature's. The fused share is about the QRS-weighted mean of the leads'
 * (their T waves, the largest peaks between beats, come at once on every lead), so the clean lead
 * whose T waves are largest beside its QRS sits above it: lead II beside V2 and V5 at 1.3 times the
 * fused share (0.028 of its QRS level against 0.021), where a PVC that projects mostly onto II was
 * missed on the sum (synthetic multiform ectopy, seed 5, 9.5 s).
 */
const QUIET_MARGIN = 1.5;
/**
 * A lead whose noise level is under this share of its QRS level is clean (its T waves and little
 * else); above it, a lead with muscle noise judged by its own levels took noise for beats: a lead
 * at 0.22 of its QRS level, under 1.5 times the fused share in a noisy stretch of MIT-BIH 105
 * (128 Hz), and muscle noise at 18 dB in a complete block on II, V2 and V5 (`bench qrs-block`).
 */
const CLEAN_SHARE = 0.05;

/** How a beat was accepted by the detector. */
export type BeatKind = 'clear' | 'below-threshold' | 'search-back';

/** The fused feature's levels the per-lead rules compare against. */
export interface FusedLevels {
  readonly noise: number;
  readonly qrs: number;
}

/** Per-lead levels and wide-complex rules of one multi-lead detector. */
export class LeadWideRule {
  private readonly leadCount: number;
  /** Scratch for a candidate's per-lead 1–40 Hz peak-to-peak amplitudes (qrs-refine.ts `complexAmplitude`). */
  readonly amplitudes: Float64Array;
  /** Scratch for a candidate's per-lead largest |slope| ({@link measureSlopes}). */
  private readonly slopes: Float64Array;
  /** Each lead's slope of the last beat. */
  private readonly lastSlopes: Float64Array;
  /** Each lead's 1–40 Hz peak-to-peak size of the last beat. */
  private readonly lastAmplitudes: Float64Array;
  private readonly training: TrainingLevels[];
  private readonly levels: QrsLevels[];
  private readonly early: EarlyComplexRule[];

  constructor(
    private readonly feature: QrsFeature,
    sampleRateHz: number,
    trainingSamples: number,
    trainingFirstIndex = 0,
  ) {
    this.leadCount = feature.leadCount;
    this.amplitudes = new Float64Array(this.leadCount);
    this.slopes = new Float64Array(this.leadCount);
    this.lastSlopes = new Float64Array(this.leadCount);
    this.lastAmplitudes = new Float64Array(this.leadCount);
    this.training = Array.from(
      { length: this.leadCount },
      () => new TrainingLevels(sampleRateHz, trainingSamples, trainingFirstIndex),
    );
    this.levels = Array.from({ length: this.leadCount }, () => new QrsLevels());
    this.early = Array.from({ length: this.leadCount }, () => new EarlyComplexRule());
  }

  /** Each lead's largest |slope| over sample indexes [from, to] (a scratch array, valid until the next call). */
  measureSlopes(from: number, to: number): Float64Array {
    for (let lead = 0; lead < this.leadCount; lead++)
      this.slopes[lead] = this.feature.maxLeadSlope(lead, from, to);
    return this.slopes;
  }

  /** Training: the feature's sample `index` just stepped. */
  trainingSample(index: number): void {
    for (let lead = 0; lead < this.leadCount; lead++) {
      this.training[lead]!.add(this.feature.leadFeatureAt(lead, index));
    }
  }

  /** Training: a candidate was found in `ring`'s `slot`. */
  trainingPeak(ring: CandidateRing, slot: number): void {
    const offset = slot * this.leadCount;
    for (let lead = 0; lead < this.leadCount; lead++) {
      this.training[lead]!.peak(ring.index[slot]!, ring.energies[offset + lead]!);
    }
  }

  /** Training ended: each lead's levels start from its own training period. */
  start(): void {
    for (let lead = 0; lead < this.leadCount; lead++) {
      this.levels[lead]!.start(this.training[lead]!);
      this.early[lead]!.start(this.levels[lead]!.noise);
    }
  }

  /** The detector accepted the candidate in `slot` as a beat of `kind`. */
  beat(ring: CandidateRing, slot: number, kind: BeatKind): void {
    const offset = slot * this.leadCount;
    for (let lead = 0; lead < this.leadCount; lead++) {
      const value = ring.energies[offset + lead]!;
      const levels = this.levels[lead]!;
      if (kind !== 'below-threshold') levels.beatAboveThreshold(value, kind === 'search-back');
      const slope = ring.slopes[offset + lead]!;
      if (kind === 'clear') {
        this.early[lead]!.clearBeat(value, slope, ring.amplitudes[offset + lead]!, levels.qrs);
      } else {
        this.early[lead]!.otherBeat();
      }
      levels.recordBeat(value, kind === 'search-back');
      this.lastSlopes[lead] = slope;
      this.lastAmplitudes[lead] = ring.amplitudes[offset + lead]!;
    }
  }

  /**
   * The detector rejected the candidate in `slot` (`tWave`: as the last beat's T wave; `noisy`:
   * in a noisy stretch; `pastRefractory`: beyond the refractory period): each lead learns it
   * as the fused levels do (qrs-early.ts `teachesNoise`), by its own size on that lead.
   */
  rejected(ring: CandidateRing, slot: number, tWave: boolean, noisy: boolean, pastRefractory: boolean): void {
    if (!pastRefractory) return;
    const offset = slot * this.leadCount;
    for (let lead = 0; lead < this.leadCount; lead++) {
      const [value, amplitude] = [ring.energies[offset + lead]!, ring.amplitudes[offset + lead]!];
      const early = this.early[lead]!;
      if (!early.teachesNoise(amplitude, tWave, noisy)) continue;
      this.levels[lead]!.noisePeak(value);
      early.noisePeak(amplitude);
      if (tWave) early.tWave(value);
    }
  }

  /**
   * Is the candidate in `slot` a QRS by its size alone on `lead`, in use, by that lead's own levels
   * ({@link QrsLevels.hasQrsSize}: half its QRS level, far above its noise)?
   */
  hasQrsSizeOn(ring: CandidateRing, slot: number, lead: number): boolean {
    return (
      this.feature.leadWeight(lead) > 0 &&
      this.levels[lead]!.hasQrsSize(ring.energies[slot * this.leadCount + lead]!)
    );
  }

  /** Search-back found nothing: each lead's signal level decays as the fused one does. */
  decay(): void {
    for (const levels of this.levels) levels.decay();
  }

  /**
   * Is the candidate in `slot`, rejected by the fused feature's thresholds beyond the T-wave
   * window, a wide complex by its size (`isLargeWideComplex` of qrs-early.ts) on a quiet lead?
   */
  isWideComplex(ring: CandidateRing, slot: number, fused: FusedLevels): boolean {
    for (let lead = 0; lead < this.leadCount; lead++) {
      if (!this.quiet(lead, fused)) continue;
      const { value, slope, amplitude } = this.onLead(ring, slot, lead);
      const [levels, lastSlope] = [this.levels[lead]!, this.lastSlopes[lead]!];
      if (this.early[lead]!.isLargeWideComplex(value, amplitude, slope, levels, lastSlope)) return true;
    }
    return false;
  }

  /**
   * Is the slow candidate in `slot`, `couplingS` after the last beat, too large for that beat's
   * T wave (`outgrowsTWave` of qrs-early.ts) on a quiet lead? The
   * plainest answer of those leads.
   */
  outgrowsTWave(ring: CandidateRing, slot: number, couplingS: number, fused: FusedLevels): Outgrowth {
    let answer: Outgrowth = 'fits';
    for (let lead = 0; lead < this.leadCount; lead++) {
      if (!this.quiet(lead, fused)) continue;
      const candidate = { ...this.onLead(ring, slot, lead), couplingS };
      const lastSlope = this.lastSlopes[lead]!;
      const outgrowth = this.early[lead]!.outgrowsTWave(candidate, this.levels[lead]!, lastSlope);
      if (outgrowth === 'outgrows') return outgrowth;
      if (outgrowth === 'outgrows-by-size') answer = outgrowth;
    }
    return answer;
  }

  /**
   * Does the candidate in `slot` repeat the last beat's size and steepness on a quiet lead, by
   * that lead's levels (qrs-early.ts `repeatsSizeAndSlope`), both complexes of a QRS's size on
   * that lead (qrs-early.ts `qrsSized`)? A new depolarisation, not the last beat's T
   * wave (qrs-twave.ts `repeatsLastBeat`). The QRS size asked of the last beat keeps out a lead
   * that beat's vector crossed: there its QRS is small, and its T wave, whose vector differs, may
   * be larger and steeper than it.
   */
  repeatsLastBeatOn(ring: CandidateRing, slot: number, fused: FusedLevels): boolean {
    for (let lead = 0; lead < this.leadCount; lead++) {
      if (!this.quiet(lead, fused)) continue;
      const candidate = this.onLead(ring, slot, lead);
      const last = { slope: this.lastSlopes[lead]!, amplitude: this.lastAmplitudes[lead]! };
      const early = this.early[lead]!;
      if (
        repeatsSizeAndSlope(candidate, this.levels[lead]!, last) &&
        early.qrsSized(candidate.amplitude) &&
        early.qrsSized(last.amplitude)
      )
        return true;
    }
    return false;
  }

  /** The candidate in `slot` on `lead`: its 5–15 Hz energy, largest |slope| and 1–40 Hz size there. */
  private onLead(
    ring: CandidateRing,
    slot: number,
    lead: number,
  ): { value: number; slope: number; amplitude: number } {
    const at = slot * this.leadCount + lead;
    return { value: ring.energies[at]!, slope: ring.slopes[at]!, amplitude: ring.amplitudes[at]! };
  }

  /**
   * Is `lead` in use and quiet: its noise level a smaller share of its QRS level than the fused
   * feature's, or under {@link CLEAN_SHARE} and {@link QUIET_MARGIN} × the fused feature's?
   */
  private quiet(lead: number, fused: FusedLevels): boolean {
    const levels = this.levels[lead]!;
    const [share, fusedShare] = [levels.noise / levels.qrs, fused.noise / fused.qrs];
    return (
      this.feature.leadWeight(lead) > 0 &&
      levels.qrs > 0 &&
      fused.qrs > 0 &&
      (share < fusedShare || (share < QUIET_MARGIN * fusedShare && share < CLEAN_SHARE))
    );
  }
}
