/**
 * Agreement between leads, for the multi-lead QRS detector: a QRS complex is one electrical
 * event seen on every lead at once (within tens of ms; only its size and shape differ), while
 * motion artefact, electrode noise and muscle noise are local to an electrode and usually show
 * on one lead alone. The summed detection feature cannot tell the two apart — a burst on one
 * lead raises the sum as a QRS does — so a candidate is also measured lead by lead: the peak
 * of each lead's own integrated 5–15 Hz energy near the candidate, relative to that lead's
 * running level at accepted beats. A candidate that reaches {@link MIN_SHARE} of its lead's
 * beat level on fewer than two of the leads in use is a one-lead event: noise, not a beat.
 *
 * This is the beat-agreement signal quality index (bSQI) of Li, Mark & Clifford 2008
 * (Physiol Meas 29:15) and Behar et al. 2013 (IEEE TBME 60:1660) — a lead's detections are
 * trusted where the other leads detect the same beats — applied per candidate instead of per
 * 10-s window, so that a burst of artefact on one lead is outvoted at once.
 *
 * Measured on MIT-BIH (both leads, records 103–108, 115, 116, 119, 121, 124): the 5–15 Hz
 * energy of true beats on the weaker lead was ≥ 0.07 of that lead's median beat energy in 99 %
 * of beats of each record, that of the two-lead false detections ≤ 0.04 in half of them.
 *
 * A broad ventricular complex can be such a one-lead event too: one electrical event, but its
 * vector may point along one lead and nearly across the others, and its energy lies below 10 Hz,
 * so on a lead whose normal QRS is sharp (the rS of V2) a PVC of a third of that QRS's amplitude
 * carries under a twentieth of its 5–15 Hz energy. The detector then asks what the lead the
 * candidate stands out on says of it (qrs-lead-wide.ts: a wide complex of a QRS's size, or one too
 * large for the last beat's T wave) and whether another lead shows an event too: energy at least
 * {@link ABOVE_BETWEEN} times the largest it shows between beats ({@link seenElsewhere}), where
 * artefact on one electrode leaves the other leads at their usual level. Synthetic multiform PVCs
 * on II, V2 and V5 of 1.2 mV on II and 0.4–0.45 mV on V2 and V5 (qrs-multilead.test.ts) were all
 * missed without it; `npm run bench -- qrs-wide` on II+V2+V5: 175 → 101 missed beats, 92 → 93
 * false ones; MIT-BIH on both leads unchanged at the native rate, 1–2 false beats more at 80, 128
 * and 250 Hz and one missed beat fewer at 80 and 250 Hz.
 *
 * A lead that goes quiet (electrode off, amplitude loss) must not veto every beat: search-back
 * (no beat for 1.66 RR) takes one-lead candidates all the same, and the beats it finds teach
 * the quiet lead its new, lower level, which restores the agreement. But only with a beat's share
 * of the level of the lead they show on ({@link ONE_LEAD_BEAT_SHARE}, `beatSized`): the beats a
 * lost lead leaves to the others have 0.66–2.1 of those leads' levels there (MIT-BIH 103, 105, 108,
 * 116, both leads), while in a pause the thresholds decay until a P wave or noise on one lead,
 * under a fifth of its level, passes threshold 2 — and each one taken teaches the levels a smaller
 * QRS, so the next is taken sooner. Ventricular standstill pasted into MIT-BIH 108 (`bench vf`,
 * both leads, the second lead full of muscle noise): 54 → 7 beats counted inside its 14
 * standstills, the asystole alarm in 1 → 6 of the 7 with P waves going on and 6 → 7 of the 7
 * sinus arrests; in the synthetic VF episodes, beats reported inside 30 → 11; `bench qrs` on both
 * leads and `bench qrs-wide` missed no beat more, and the latter took 93 → 77 false ones on II,
 * V2 and V5.
 *
 * Search-back's threshold is on the summed feature, though, whose levels the lost lead's QRS helped
 * set: where that lead carried most of the sum, the other leads' beats stay under it even once the
 * levels have decayed to their floor (qrs-levels.ts `SILENCE_FLOOR`), and the detector reported an
 * asystole while another lead showed every beat. So search-back also takes a candidate that is a
 * QRS on one lead by its size and shape there — half that lead's QRS level, far above its noise
 * (qrs-lead-wide.ts `hasQrsSizeOn`), and that lead's part of the patient's QRS template, matched at
 * the lead's own R peak (qrs-template.ts `matchesPlainlyOn`) — when a lead in use has shown no QRS
 * since the last beat ({@link LeadAgreement.silentSinceLastBeat}). A heart does not beat on one
 * lead alone: a lead that lost every QRS while another keeps showing the patient's own has lost its
 * signal (an amplifier blocked by a jump of the electrode's offset, MIT-BIH 116 at 1,355 s: neither
 * flat nor clipped, so the quality monitor keeps the lead in use). Asked only at search-back, it
 * does not take artefact on one lead for beats while the rhythm goes on. Asked with threshold 2 of
 * that lead's decayed levels instead of its QRS size, it took muscle noise for beats in a slow
 * rhythm; without the noise margin, noise on lead II in atrial fibrillation with bundle-branch
 * block (whose broad QRS carries little 5–15 Hz energy) during a long cycle. Without the shape, a
 * burst of a QRS's size on the second lead late in the compensatory pause after a PVC, where the
 * first shows no QRS either (the live pipeline on MIT-BIH 106, `npm run bench -- vf`). The lead's
 * own R peak, not the candidate's mark: the lost lead's jump marked the first beat after it 86 ms
 * early, and the shape did not match there. Asking instead that the silent lead also missed the
 * last beat kept the pause out but never started: the first beat after the loss is as hard to find
 * as the others. `npm run bench -- qrs`, MIT-BIH on both leads: missed beats at 128 Hz 37 → 23, at
 * the native rate 22 → 21, false beats unchanged; `qrs-wide`, `qrs-block` and `lead-off` unchanged.
 *
 * Each lead also gets a quality factor in the summed feature from its energy between beats
 * (`weighByQuality`), so that a noisy lead's bursts neither merge with nor outgrow the beats.
 */
import type { CandidateRing } from './qrs-candidates.js';
import type { QrsFeature } from './qrs-feature.js';

/** A lead agrees with a candidate when its energy reaches this share of its beat level. */
export const MIN_SHARE = 0.05;
/**
 * A lead's quality factor in the summed feature is L / (L + NOISE_WEIGHT × N), L its beat
 * level and N its level between beats: ≈ 1 for a clean lead (N ≈ 0.02–0.05 L), ≈ 0.2 where
 * the noise between beats is as large as the QRS.
 */
const NOISE_WEIGHT = 4;
/** Between two beats, the stretch that skips this fraction of the RR after and before them. */
const BETWEEN_MARGIN_RR = 0.35;
/** Accepted beats needed before the levels are trusted. */
const SETTLE_BEATS = 8;
/** Weight of a new beat in the running level (Pan & Tompkins' 1/8). */
const LEVEL_GAIN = 0.125;
/** A beat's energy counts at most this multiple of the level (one huge ectopic or spike). */
const LEVEL_CLIP = 4;
/**
 * A lead shows an event when its energy reaches this many times the largest it shows between
 * beats (its T and P waves, noise): a QRS of any shape does; the other leads' share of artefact on
 * one electrode does not.
 */
const ABOVE_BETWEEN = 2;
/**
 * At search-back, an event on one lead is a beat only with this share of that lead's beat level
 * there ({@link LeadAgreement.beatSized}).
 */
const ONE_LEAD_BEAT_SHARE = 0.5;
/** Half-width of the per-lead search around the summed feature's peak, seconds. */
const SEARCH_S = 0.1;

/** Per-lead beat levels and the one-lead test. */
export class LeadAgreement {
  readonly leadCount: number;
  private readonly levels: Float64Array;
  /** Scratch: the per-lead energies of the last `measure`. */
  readonly energies: Float64Array;
  private beats = 0;
  private lastBeat = -1;
  private readonly noiseLevels: Float64Array;
  private readonly half: number;

  constructor(private readonly feature: QrsFeature) {
    this.leadCount = feature.leadCount;
    this.levels = new Float64Array(this.leadCount);
    this.noiseLevels = new Float64Array(this.leadCount);
    this.energies = new Float64Array(this.leadCount);
    this.half = Math.round(SEARCH_S * feature.sampleRateHz);
  }

  /** Each lead's energy peak near the summed feature's peak at `index` (a scratch array). */
  measure(index: number): Float64Array {
    for (let lead = 0; lead < this.leadCount; lead++) {
      this.energies[lead] = this.feature.maxLeadFeature(lead, index - this.half, index + this.half);
    }
    return this.energies;
  }

  /** Learns the energies of the beat accepted in `ring`'s `slot`. */
  beat(ring: CandidateRing, slot: number): void {
    const energies = ring.energies;
    const offset = slot * this.leadCount;
    const index = ring.index[slot]!;
    if (this.lastBeat >= 0 && this.leadCount > 1) this.weighByQuality(index);
    this.lastBeat = index;
    this.beats++;
    for (let lead = 0; lead < this.leadCount; lead++) {
      this.levels[lead] = this.track(this.levels[lead]!, energies[offset + lead]!);
    }
  }

  /**
   * Each lead's noise level — its largest integrated energy between the last two beats, away
   * from both QRS complexes — and from it the lead's quality factor in the summed feature
   * (`NOISE_WEIGHT`): a lead whose energy between beats rivals its QRS (artefact, muscle
   * noise) is turned down continuously, in the spirit of the per-lead signal-quality weighting
   * of Li, Mark & Clifford 2008 and Behar et al. 2013 (there: bSQI and spectral SQIs fed to a
   * Kalman filter or a classifier).
   */
  private weighByQuality(index: number): void {
    const margin = Math.round(BETWEEN_MARGIN_RR * (index - this.lastBeat));
    for (let lead = 0; lead < this.leadCount; lead++) {
      const between = this.feature.maxLeadFeature(lead, this.lastBeat + margin, index - margin);
      const noise = this.noiseLevels[lead]!;
      this.noiseLevels[lead] =
        this.beats <= SETTLE_BEATS
          ? noise + (between - noise) / this.beats
          : noise + LEVEL_GAIN * (between - noise);
      const level = this.levels[lead]!;
      if (this.beats >= SETTLE_BEATS && level > 0) {
        this.feature.setLeadQuality(lead, level / (level + NOISE_WEIGHT * this.noiseLevels[lead]!));
      }
    }
  }

  private track(level: number, value: number): number {
    if (this.beats <= SETTLE_BEATS) return level + (value - level) / this.beats;
    return level + LEVEL_GAIN * (Math.min(value, LEVEL_CLIP * level) - level);
  }

  /**
   * Does a lead other than the one the candidate in `ring`'s `slot` stands out on most (by share of
   * its beat level) show an event there: energy at least {@link ABOVE_BETWEEN} times its level
   * between beats? Never before the levels settle.
   */
  seenElsewhere(ring: CandidateRing, slot: number): boolean {
    const offset = slot * this.leadCount;
    if (this.beats < SETTLE_BEATS) return false;
    let strongest = -1;
    let share = -1;
    for (let lead = 0; lead < this.leadCount; lead++) {
      const level = this.levels[lead]!;
      const own = level > 0 ? ring.energies[offset + lead]! / level : 0;
      if (own > share) [strongest, share] = [lead, own];
    }
    for (let lead = 0; lead < this.leadCount; lead++) {
      if (lead === strongest || this.feature.leadWeight(lead) <= 0) continue;
      const between = this.noiseLevels[lead]!;
      if (between > 0 && ring.energies[offset + lead]! >= ABOVE_BETWEEN * between) return true;
    }
    return false;
  }

  /**
   * Has a lead in use shown no QRS between the last beat and the candidate at feature sample
   * `index`: its largest energy from {@link BETWEEN_MARGIN_RR} of that interval after the last beat
   * (past its QRS) through the candidate (the per-lead search's half-width after it) under
   * {@link MIN_SHARE} of its beat level? Never before the levels settle.
   */
  silentSinceLastBeat(index: number): boolean {
    if (this.leadCount < 2 || this.beats < SETTLE_BEATS || this.lastBeat < 0) return false;
    const from = this.lastBeat + Math.round(BETWEEN_MARGIN_RR * (index - this.lastBeat));
    for (let lead = 0; lead < this.leadCount; lead++) {
      if (!this.inUse(lead)) continue;
      const level = this.levels[lead]!;
      if (this.feature.maxLeadFeature(lead, from, index + this.half) < MIN_SHARE * level) return true;
    }
    return false;
  }

  /**
   * Is the candidate in `ring`'s `slot` of a beat's size where it shows: an event on two leads or
   * more, or on the one lead it stands out on at least {@link ONE_LEAD_BEAT_SHARE} of that lead's beat
   * level (search-back's test for one-lead events)?
   */
  beatSized(ring: CandidateRing, slot: number): boolean {
    if (!this.oneLead(ring, slot)) return true;
    const offset = slot * this.leadCount;
    for (let lead = 0; lead < this.leadCount; lead++) {
      if (this.inUse(lead) && ring.energies[offset + lead]! >= ONE_LEAD_BEAT_SHARE * this.levels[lead]!)
        return true;
    }
    return false;
  }

  /**
   * Is the candidate in `ring`'s `slot` a one-lead event, to be left out by the thresholds?
   * Never with fewer than two leads in use or before the levels settle.
   */
  oneLead(ring: CandidateRing, slot: number): boolean {
    const energies = ring.energies;
    const offset = slot * this.leadCount;
    if (this.leadCount < 2 || this.beats < SETTLE_BEATS) return false;
    let used = 0;
    let agreeing = 0;
    for (let lead = 0; lead < this.leadCount; lead++) {
      if (!this.inUse(lead)) continue;
      used++;
      if (energies[offset + lead]! >= MIN_SHARE * this.levels[lead]!) agreeing++;
    }
    return used >= 2 && agreeing < 2;
  }

  /** Is `lead` in the feature and its beat level known? */
  private inUse(lead: number): boolean {
    return this.feature.leadWeight(lead) > 0 && this.levels[lead]! > 0;
  }
}
