/**
 * Ventricular flutter/fibrillation (VF) episodes, causally, from one lead: the lead band-passed
 * 1–30 Hz (the pre-processing of Amann et al., BioMed Eng OnLine 4:60, 2005), and every
 * `hopS` the last `windowS` judged by the organisation features of vf-features.ts. A window is
 * VF-like when all of these hold (the first five are published VF criteria; the limits keep a margin
 * from beating rhythms):
 * - VF-filter leakage < {@link MAX_LEAKAGE} (Kuo & Dillman 1978): the signal repeats with sign
 *   inverted half a mean period later, as a sinusoid does;
 * - normalised spectral moment M < {@link MAX_MOMENT} (Barro et al. 1989 use M ≤ 1.55 on
 *   8-s windows): the energy is at the fundamental, not in the harmonics of narrow QRS complexes;
 * - the peak frequency ≥ {@link MIN_PEAK_HZ} (ventricular flutter runs at about 240–350/min,
 *   fibrillation's dominant frequency at 3–10 Hz), so a fast wide-complex tachycardia at
 *   < 180/min, sinusoidal as it may look, stays a beating rhythm;
 * - Thakor's TCI < {@link MAX_TCI_MS} (Thakor et al. 1990: VF < 400 ms);
 * - an amplitude above {@link MIN_SPAN_MICROVOLTS} (below it the lead shows no activity:
 *   asystole or a lead off, not VF);
 * - and no organised beating rhythm (vf-organisation.ts): wide-complex rhythms (AF with
 *   bundle-branch block, fast VT, aberrant beats) pass the criteria above, but repeat one complex
 *   with a quiet baseline between complexes, which VF and flutter never show.
 * An episode opens after {@link WINDOWS_TO_OPEN} consecutive VF-like windows and closes after
 * {@link WINDOWS_TO_CLOSE} consecutive windows that fail even looser limits (hysteresis); its onset (offset) is put at the middle of the
 * first window that was (was no longer) VF-like, where half the window shows the new rhythm.
 *
 * Decision lag: a sample is judged (in or out of an episode) `decisionLagS` after it arrives
 * (half a window plus the windows needed to open, plus one hop).
 */
import { butterworthHighpass, butterworthLowpass, cascade } from './filters-design.js';
import { SosFilter, type Samples } from './filters.js';
import { vfWindowFeatures, type VfWindowFeatures } from './vf-features.js';
import { organisation } from './vf-organisation.js';

/** Window judged at every hop, seconds. */
export const VF_WINDOW_S = 4;
/** Interval between judgements, seconds. */
export const VF_HOP_S = 0.5;
export const MAX_LEAKAGE = 0.6;
export const MAX_MOMENT = 1.9;
export const MIN_PEAK_HZ = 3;
export const MAX_TCI_MS = 400;
export const MIN_SPAN_MICROVOLTS = 100;
export const WINDOWS_TO_OPEN = 3;
export const WINDOWS_TO_CLOSE = 4;
/**
 * Hysteresis: inside an episode a window still counts as VF under these looser limits
 * (fibrillation is disorganised, so single windows fall short of the opening criteria; sinus
 * rhythm on MIT-BIH stays above leakage 0.6 and M 2 in 99 % of windows).
 */
export const HOLD_MAX_LEAKAGE = 0.7;
export const HOLD_MAX_MOMENT = 2.5;
export const HOLD_MIN_PEAK_HZ = 2.5;
export const HOLD_MAX_TCI_MS = 450;
/** The recent stretch judged on its own for {@link VfDetector.suspected}, seconds. */
export const RECENT_S = 3;

/** A ventricular flutter/fibrillation episode, samples [startSample, endSample]. */
export interface VfEpisode {
  readonly startSample: number;
  /** Last sample of the episode; null while it is still going on. */
  readonly endSample: number | null;
}

/** Options of {@link VfDetector}. */
export interface VfDetectorOptions {
  readonly sampleRateHz: number;
  /** Scale of the input, µV per unit (default 1). */
  readonly microvoltsPerUnit?: number;
}

/**
 * Whether a window's features say ventricular flutter/fibrillation; `holding` applies the
 * looser limits that keep an open episode open.
 */
export function isVfLike(f: VfWindowFeatures, microvoltsPerUnit: number, holding = false): boolean {
  return (
    f.leakage < (holding ? HOLD_MAX_LEAKAGE : MAX_LEAKAGE) &&
    f.spectralMoment < (holding ? HOLD_MAX_MOMENT : MAX_MOMENT) &&
    f.peakHz >= (holding ? HOLD_MIN_PEAK_HZ : MIN_PEAK_HZ) &&
    f.tciMs < (holding ? HOLD_MAX_TCI_MS : MAX_TCI_MS) &&
    f.spanP5P95 * microvoltsPerUnit >= MIN_SPAN_MICROVOLTS
  );
}

/** Streaming VF detector; `onEpisode` hears an episode when it opens and again when it closes. */
export class VfDetector {
  readonly sampleRateHz: number;
  /** Delay after which a sample's VF status is final, seconds. */
  readonly decisionLagS: number;
  private readonly unit: number;
  private readonly filter: SosFilter;
  private readonly ring: Float64Array;
  private readonly window: Float64Array;
  private readonly hop: number;
  private index = -1;
  private run = 0;
  private firstFlagged = -1;
  private firstCleared = -1;
  private open: number | null = null;
  private started = false;
  private recentHop = -1;
  private recentVf = false;
  /** Last features computed (for inspection and tests). */
  lastFeatures: VfWindowFeatures | undefined;
  /**
   * Whether the last window, VF-like by its features under the holding limits, showed an
   * organised beating rhythm instead (vf-organisation.ts: same-shaped complexes with a quiet
   * baseline between them); such a window never counts as VF.
   */
  lastOrganised = false;
  /**
   * Whether the last window counted as VF (opening limits, or holding limits inside an episode,
   * and not organised), whether or not an episode has opened yet.
   */
  lastWindowVf = false;

  constructor(
    options: VfDetectorOptions,
    private readonly onEpisode: (episode: VfEpisode) => void = () => undefined,
  ) {
    const fs = options.sampleRateHz;
    this.sampleRateHz = fs;
    this.unit = options.microvoltsPerUnit ?? 1;
    this.filter = new SosFilter(
      cascade(butterworthHighpass(2, 1, fs), butterworthLowpass(2, Math.min(30, 0.45 * fs), fs)),
    );
    const length = Math.round(VF_WINDOW_S * fs);
    this.ring = new Float64Array(length);
    this.window = new Float64Array(length);
    this.hop = Math.max(1, Math.round(VF_HOP_S * fs));
    this.decisionLagS = VF_WINDOW_S / 2 + (WINDOWS_TO_OPEN + 1) * VF_HOP_S;
  }

  /** Index of the last sample consumed. */
  get sampleIndex(): number {
    return this.index;
  }

  /** Whether an episode is open now. */
  get inEpisode(): boolean {
    return this.open !== null;
  }

  /**
   * Whether no episode is open but the lead shows ventricular activity the detector is still
   * judging. The QRS complexes stop at VF onset, but an episode opens only once several windows
   * are mostly VF (≈ 3–4 s later); asystole must not be called on those seconds. Suspected: a
   * window passed the opening limits and the run has not reached {@link WINDOWS_TO_OPEN}, or the
   * last window passes the looser holding limits, or the last {@link RECENT_S} alone do (judged
   * at most once per hop). P waves alone (ventricular standstill) fail these: their crossings
   * are a cycle apart (TCI) and their rate is far below VF's.
   */
  get suspected(): boolean {
    if (this.open !== null) return false;
    if (this.run > 0) return true;
    if (
      this.lastFeatures !== undefined &&
      isVfLike(this.lastFeatures, this.unit, true) &&
      !this.lastOrganised
    )
      return true;
    const hopIndex = Math.floor(this.index / this.hop);
    if (hopIndex !== this.recentHop) {
      this.recentHop = hopIndex;
      this.recentVf = this.recentVfLike();
    }
    return this.recentVf;
  }

  /** Whether the last {@link RECENT_S} of the filtered lead pass the holding limits. */
  private recentVfLike(): boolean {
    const length = Math.min(this.ring.length, Math.round(RECENT_S * this.sampleRateHz), this.index + 1);
    if (length < this.hop) return false;
    const x = this.lastSamples(length);
    return (
      isVfLike(vfWindowFeatures(x, this.sampleRateHz), this.unit, true) &&
      !organisation(x, this.sampleRateHz).organised
    );
  }

  /**
   * The last `length` samples of the filtered lead (up to the whole ring), mean removed, in the
   * window scratch (valid until the next call).
   */
  private lastSamples(length: number): Float64Array {
    const out = this.window.subarray(0, length);
    const ring = this.ring;
    let mean = 0;
    for (let k = 0; k < length; k++) {
      const v = ring[(this.index - length + 1 + k) % ring.length]!;
      out[k] = v;
      mean += v;
    }
    mean /= length;
    for (let k = 0; k < length; k++) out[k] = out[k]! - mean;
    return out;
  }

  /** Start of the open episode, if any. */
  get openSince(): number | null {
    return this.open;
  }

  /**
   * Consumes one sample. With `judge` false the windows due are not judged (the costly part: a
   * spectrum per hop) unless an episode is open, and the detector forgets any VF evidence, as if
   * those windows had not been VF-like; the filter and the window keep running, so judging can
   * resume at any sample on a full window.
   */
  step(sample: number, judge = true): void {
    if (!Number.isFinite(sample)) sample = 0;
    if (!this.started) {
      this.filter.reset(sample);
      this.started = true;
    }
    const n = ++this.index;
    this.ring[n % this.ring.length] = this.filter.step(sample);
    if (n + 1 < this.ring.length || (n + 1) % this.hop !== 0) return;
    if (judge || this.open !== null) this.judge(n);
    else {
      this.run = 0;
      this.lastFeatures = undefined;
      this.lastOrganised = false;
      this.lastWindowVf = false;
    }
  }

  /** End of the stream: closes an open episode at the last sample. */
  flush(): void {
    if (this.open !== null) this.onEpisode({ startSample: this.open, endSample: this.index });
    this.open = null;
  }

  private judge(n: number): void {
    const length = this.ring.length;
    const x = this.lastSamples(length);
    const features = vfWindowFeatures(x, this.sampleRateHz);
    this.lastFeatures = features;
    // the organisation veto costs more than the features: judged only where they say VF
    this.lastOrganised = isVfLike(features, this.unit, true) && organisation(x, this.sampleRateHz).organised;
    const middle = n - Math.round(length / 2);
    const vf = isVfLike(features, this.unit, this.open !== null) && !this.lastOrganised;
    this.lastWindowVf = vf;
    if (this.open === null) {
      if (!vf) {
        this.run = 0;
        return;
      }
      if (this.run === 0) this.firstFlagged = middle;
      if (++this.run >= WINDOWS_TO_OPEN) {
        this.open = this.firstFlagged;
        this.run = 0;
        this.onEpisode({ startSample: this.open, endSample: null });
      }
      return;
    }
    if (vf) {
      this.run = 0;
      return;
    }
    if (this.run === 0) this.firstCleared = middle;
    if (++this.run >= WINDOWS_TO_CLOSE) {
      this.onEpisode({ startSample: this.open, endSample: this.firstCleared - 1 });
      this.open = null;
      this.run = 0;
    }
  }
}

/** VF episodes of a whole record (the streaming detector run over it), closed, in order. */
export function detectVfEpisodes(
  lead: Samples,
  sampleRateHz: number,
  microvoltsPerUnit = 1,
): { startSample: number; endSample: number }[] {
  const out: { startSample: number; endSample: number }[] = [];
  const detector = new VfDetector({ sampleRateHz, microvoltsPerUnit }, (e) => {
    if (e.endSample !== null) out.push({ startSample: e.startSample, endSample: e.endSample });
  });
  for (let i = 0; i < lead.length; i++) detector.step(lead[i]!);
  detector.flush();
  return out;
}
