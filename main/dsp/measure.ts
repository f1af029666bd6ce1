/**
 * Whole-recording measurements: per beat (RR, PR, QRS, QT) and per recording (medians over normal
 * beats of the 12-lead global intervals, QTc, frontal QRS axis, ST level per lead, HRV).
 *
 * Global intervals follow the 12-lead convention (earliest onset, latest offset across leads: see
 * delineate.ts); per-recording values are medians over normal (N) beats with a value. A value is withheld —
 * null with a reason — rather than shown wrong: where signal quality is bad (the caller's per-lead mask),
 * where the wave is absent (no P wave: atrial fibrillation, junctional rhythm), or with fewer than
 * {@link MIN_BEATS} measured beats.
 */
import { axisBeatBounds, classifyAxis, medianBeatAxisDegrees, type AxisClass } from './axis.js';
import { fitLimbLeadGains, LIMB_INCONSISTENCY_THRESHOLD, type LimbLeadGainFit } from './axis-limb-gains.js';
import { delineateBeats, type BeatDelineation } from './delineate.js';
import { butterworthHighpass } from './filters-design.js';
import { filtfilt } from './filters.js';
import { computeHrv, type BeatClass, type HrvResult } from './hrv.js';
import { qtcMs, QTC_FORMULAS, type QtcFormula } from './qtc.js';
import { classifyBeats } from './rhythm.js';
import { stLevelMicrovolts } from './st-level.js';
import { median } from './stats.js';

/** Why a measurement is withheld. */
export type WithheldReason =
  'poor-signal-quality' | 'not-found' | 'no-p-wave' | 'too-few-beats' | 'missing-leads';

/** A measured value, or null with the reason it is withheld. */
export type Measured = { readonly value: number } | { readonly value: null; readonly reason: WithheldReason };

/** One beat's measurements (ms; null where not measured). */
export interface BeatMeasurement {
  readonly delineation: BeatDelineation;
  readonly beatClass: BeatClass;
  readonly rrMs: number | null;
  readonly prMs: number | null;
  readonly qrsMs: number | null;
  readonly qtMs: number | null;
  /** True when signal quality made the beat unmeasurable. */
  readonly poorQuality: boolean;
}

/** A recording's measurements. */
export interface RecordingMeasurements {
  readonly beats: BeatMeasurement[];
  readonly heartRateBpm: Measured;
  readonly rrMs: Measured;
  readonly prMs: Measured;
  readonly qrsMs: Measured;
  readonly qtMs: Measured;
  readonly qtcMs: Record<QtcFormula, Measured>;
  readonly axisDegrees: Measured;
  readonly axisClass: AxisClass | null;
  /**
   * Limb-lead consistency check (when all six limb leads are given): the per-lead scale corrections and
   * residuals; `applied` when the leads broke Einthoven's/Goldberger's relations and the axis used the
   * corrected scales.
   */
  readonly limbLeadCheck: (LimbLeadGainFit & { readonly applied: boolean }) | null;
  /** Per lead name, ST level at J + 60 ms (µV). */
  readonly stMicrovolts: Record<string, Measured>;
  readonly hrv: HrvResult;
}

/** Inputs of {@link measureRecording}. */
export interface MeasureInput {
  /** Simultaneous leads, µV. */
  readonly leadsMicrovolts: readonly ArrayLike<number>[];
  /** Lead names (e.g. STANDARD_LEADS: 'I', 'II', …, 'aVF', 'V1'…); I and aVF (or I and II) give the axis. */
  readonly leadNames: readonly string[];
  /** Beat positions (sample indexes, ascending), e.g. from detectQrs. */
  readonly beatSamples: readonly number[];
  readonly sampleRateHz: number;
  /** Per-lead, per-sample usability (non-zero = usable); see {@link sampleMaskFromWindows}. */
  readonly qualityMask?: readonly (Uint8Array | undefined)[];
}

/** Fewest measured beats for a per-recording value. */
export const MIN_BEATS = 3;

/**
 * Per-sample mask (1 = usable) from per-window quality codes (0 = good), such as assessLeadQuality's.
 * @param windowSamples samples per window.
 */
export function sampleMaskFromWindows(
  codes: ArrayLike<number>,
  windowSamples: number,
  length: number,
): Uint8Array {
  const mask = new Uint8Array(length);
  for (let i = 0; i < length; i++) mask[i] = codes[Math.floor(i / windowSamples)] === 0 ? 1 : 0;
  return mask;
}

function interval(a: number | null, b: number | null, fs: number): number | null {
  return a !== null && b !== null ? ((b - a) * 1000) / fs : null;
}

function summarise(
  values: readonly (number | null)[],
  anyPoorQuality: boolean,
  absentReason: WithheldReason,
): Measured {
  const v = values.filter((x): x is number => x !== null);
  if (v.length >= MIN_BEATS) return { value: median(v) };
  if (anyPoorQuality) return { value: null, reason: 'poor-signal-quality' };
  return { value: null, reason: v.length === 0 ? absentReason : 'too-few-beats' };
}

/** Measures a whole recording. */
export function measureRecording(input: MeasureInput): RecordingMeasurements {
  const fs = input.sampleRateHz;
  const beats = measureBeats(input);
  const normal = beats.filter((b) => b.beatClass === 'N');
  const { rrMs, prMs, qrsMs, qtMs } = summariseIntervals(beats);
  const limbLeadCheck = checkLimbLeads(input);
  const axis = measureAxis(input, beats, fs, limbLeadCheck);
  const classes = beats.map((b) => b.beatClass);
  return {
    beats,
    heartRateBpm: rrMs.value !== null ? { value: 60_000 / rrMs.value } : rrMs,
    rrMs,
    prMs,
    qrsMs,
    qtMs,
    qtcMs: qtcAll(qtMs, rrMs),
    axisDegrees: axis,
    axisClass: axis.value !== null ? classifyAxis(axis.value) : null,
    limbLeadCheck,
    stMicrovolts: measureSt(input, normal, fs),
    hrv: computeHrv(
      classes.map((beatClass, k) => ({ timeMs: (input.beatSamples[k]! * 1000) / fs, beatClass })),
    ),
  };
}

/** Delineates and classifies every beat. */
function measureBeats(input: MeasureInput): BeatMeasurement[] {
  const fs = input.sampleRateHz;
  const delineation = delineateBeats(input.leadsMicrovolts, input.beatSamples, {
    sampleRateHz: fs,
    ...(input.qualityMask !== undefined ? { qualityMask: input.qualityMask } : {}),
  });
  const poor = delineation.map((d) => d.qrsOnset === null);
  const qrsDurations = delineation.map((d) => interval(d.qrsOnset, d.qrsOffset, fs));
  const features = classifyBeats(input.leadsMicrovolts, input.beatSamples, {
    sampleRateHz: fs,
    qrsDurationsMs: qrsDurations,
    unusable: poor,
  });
  const measured: BeatMeasurement[] = delineation.map((d, k) => ({
    delineation: d,
    beatClass: features[k]!.beatClass,
    rrMs: k > 0 ? ((input.beatSamples[k]! - input.beatSamples[k - 1]!) * 1000) / fs : null,
    prMs: interval(d.pOnset, d.qrsOnset, fs),
    qrsMs: qrsDurations[k]!,
    qtMs: interval(d.qrsOnset, d.tEnd, fs),
    poorQuality: poor[k]!,
  }));
  // Without P waves coupled to the QRS (atrial fibrillation/flutter) an early beat is not a PAC.
  if (pWavesCoupled(measured)) return measured;
  return measured.map((b) => (b.beatClass === 'S' ? { ...b, beatClass: 'N' as const } : b));
}

/** Per-recording RR, PR, QRS and QT: medians over normal beats (RR over all usable beats). */
function summariseIntervals(
  beats: readonly BeatMeasurement[],
): Record<'rrMs' | 'prMs' | 'qrsMs' | 'qtMs', Measured> {
  const normal = beats.filter((b) => b.beatClass === 'N');
  const anyPoor = beats.some((b) => b.poorQuality);
  const rrMs = summarise(
    beats.map((b, k) => (k > 0 && !b.poorQuality ? b.rrMs : null)),
    anyPoor,
    'too-few-beats',
  );
  const withQrs = normal.filter((b) => b.qrsMs !== null);
  const mostLackP =
    withQrs.length >= MIN_BEATS && withQrs.filter((b) => b.prMs !== null).length < withQrs.length / 2;
  const prMs: Measured =
    mostLackP || !pWavesCoupled(beats)
      ? { value: null, reason: 'no-p-wave' }
      : summarise(
          normal.map((b) => b.prMs),
          anyPoor,
          'no-p-wave',
        );
  return {
    rrMs,
    prMs,
    qrsMs: summarise(
      normal.map((b) => b.qrsMs),
      anyPoor,
      'not-found',
    ),
    qtMs: summarise(
      normal.map((b) => b.qtMs),
      anyPoor,
      'not-found',
    ),
  };
}

/**
 * Whether the P onsets found keep a steady relation to the QRS, as conducted sinus P waves do. In atrial
 * fibrillation or flutter the "P" the delineator finds is a fibrillatory or flutter wave at a random
 * distance from the QRS: the PR scatters (median absolute deviation > 18 ms), or scatters less but with
 * an irregular rhythm (MAD > 12 ms with mean |ΔRR| / mean RR > 0.07). Thresholds chosen on LUDB 1–100,
 * where sinus records stayed ≤ 16 ms and 10 of 11 AF/flutter records exceeded them.
 */
function pWavesCoupled(beats: readonly BeatMeasurement[]): boolean {
  const pr = beats.filter((b) => b.beatClass === 'N' && b.prMs !== null).map((b) => b.prMs!);
  if (pr.length < MIN_BEATS) return true;
  const centre = median(pr);
  const mad = median(pr.map((v) => Math.abs(v - centre)));
  const rr = beats.map((b) => b.rrMs).filter((v): v is number => v !== null);
  let change = 0;
  for (let k = 1; k < rr.length; k++) change += Math.abs(rr[k]! - rr[k - 1]!);
  const meanRr = rr.reduce((a, b) => a + b, 0) / rr.length;
  const irregularity = rr.length > 1 ? change / (rr.length - 1) / meanRr : 0;
  return !(mad > 18 || (mad > 12 && irregularity > 0.07));
}

function qtcAll(qt: Measured, rr: Measured): Record<QtcFormula, Measured> {
  const out = {} as Record<QtcFormula, Measured>;
  for (const f of QTC_FORMULAS) {
    out[f] =
      qt.value !== null && rr.value !== null
        ? { value: qtcMs(f, qt.value, rr.value / 1000) }
        : qt.value === null
          ? qt
          : rr;
  }
  return out;
}

/** High-pass of the limb leads' consistency fit, Hz: removes offset and wander, keeps the QRS, P and T. */
const LIMB_FIT_HIGHPASS_HZ = 0.5;

/**
 * A lead without its offset and wander, for the limb-lead consistency fit: a linear filter (zero-phase
 * Butterworth high-pass), which keeps Einthoven's and Goldberger's relations between the leads exactly
 * as it finds them. A median-filter baseline (delineate-prep.ts) is not linear: the baseline of II − I
 * is not the baseline of II less that of I. On LUDB records 1–100, whose raw counts obey the relations,
 * the fit then left a residual of 2–17 % (relative RMS) and the fitted aVF scale was off by up to 15 %
 * (record 90); with this filter the residual is at most 0.5 % and every aVF scale within 0.4 % of the
 * one the raw counts imply (the ratio of its header gain to lead I's).
 */
function highPassedLead(input: MeasureInput, name: string): Float64Array | undefined {
  const index = input.leadNames.findIndex((n) => n.toLowerCase() === name.toLowerCase());
  const lead = index >= 0 ? input.leadsMicrovolts[index] : undefined;
  if (lead === undefined) return undefined;
  const fs = input.sampleRateHz;
  // padded by reflecting 2 s, so the ends carry no step of the filter's start
  return filtfilt(butterworthHighpass(2, LIMB_FIT_HIGHPASS_HZ, fs), lead, 2 * fs);
}

function rawLead(input: MeasureInput, name: string): ArrayLike<number> | undefined {
  const index = input.leadNames.findIndex((n) => n.toLowerCase() === name.toLowerCase());
  return index >= 0 ? input.leadsMicrovolts[index] : undefined;
}

const LIMB_LEADS = ['I', 'II', 'III', 'aVR', 'aVL', 'aVF'];

/** Fits limb-lead scale corrections on (at most) 20 000 evenly spaced samples of the high-passed limb leads. */
function checkLimbLeads(input: MeasureInput): RecordingMeasurements['limbLeadCheck'] {
  const leads = LIMB_LEADS.map((name) => highPassedLead(input, name));
  if (leads.some((l) => l === undefined)) return null;
  const n = leads[0]!.length;
  const step = Math.max(1, Math.ceil(n / 20_000));
  const picked = leads.map((l) =>
    Float64Array.from({ length: Math.floor(n / step) }, (_, k) => l![k * step]!),
  );
  const fit = fitLimbLeadGains(picked);
  if (fit === null) return null;
  // applied when the per-lead scales explain most of the inconsistency (over half its power): mis-stated
  // gains leave little (LUDB: at most 0.5 % of 9–71 %); leads recorded apart, each with its own noise, more
  const applied =
    fit.relativeResidualBefore > LIMB_INCONSISTENCY_THRESHOLD &&
    fit.relativeResidualAfter ** 2 < fit.relativeResidualBefore ** 2 / 2;
  return { ...fit, applied };
}

/**
 * Axis: the median over the beats of {@link axisBeatBounds} of the per-beat axes from the net QRS areas of
 * I and aVF (aVF = II − I/2 when only I and II are given), each lead referred to its level at the QRS onset
 * (see axis.ts). The raw
 * leads are used: the onset reference already removes offset and slow wander over the ~0.1 s of a QRS,
 * whereas a median-filter baseline can follow part of a wide complex.
 */
function measureAxis(
  input: MeasureInput,
  beats: readonly BeatMeasurement[],
  fs: number,
  limbCheck: RecordingMeasurements['limbLeadCheck'],
): Measured {
  const leadI = rawLead(input, 'I');
  let avf = rawLead(input, 'aVF');
  const avfGain = limbCheck?.applied === true ? limbCheck.gains[5]! : 1;
  if (avf !== undefined && avfGain !== 1) avf = Float64Array.from(avf, (v) => v * avfGain);
  const leadII = avf === undefined ? rawLead(input, 'II') : undefined;
  if (avf === undefined && leadI !== undefined && leadII !== undefined)
    avf = Float64Array.from(leadII, (v, i) => v - leadI[i]! / 2);
  if (leadI === undefined || avf === undefined) return { value: null, reason: 'missing-leads' };
  const bounds = axisBeatBounds(beats.map((b) => b.delineation));
  if (bounds.length < MIN_BEATS)
    return { value: null, reason: beats.length < MIN_BEATS + 2 ? 'too-few-beats' : 'not-found' };
  const angle = medianBeatAxisDegrees(leadI, avf, bounds, fs);
  return angle === null ? { value: null, reason: 'not-found' } : { value: angle };
}

function measureSt(
  input: MeasureInput,
  normal: readonly BeatMeasurement[],
  fs: number,
): Record<string, Measured> {
  const out: Record<string, Measured> = {};
  input.leadNames.forEach((name, l) => {
    // Raw lead: a median-filter baseline would absorb part of a long ST shift; the PR-segment reference
    // already cancels offset and slow wander over the ~150 ms between PR segment and J + 60.
    const lead = input.leadsMicrovolts[l]!;
    const mask = input.qualityMask?.[l];
    const values = normal.map((b) => {
      const { qrsOnset: on, qrsOffset: off } = b.delineation;
      if (on === null || off === null) return null;
      if (
        mask !== undefined &&
        (mask[on] === 0 || mask[Math.min(mask.length - 1, off + Math.round(0.06 * fs))] === 0)
      )
        return null;
      return stLevelMicrovolts(lead, on, off, fs);
    });
    out[name] = summarise(values, mask !== undefined && mask.includes(0), 'not-found');
  });
  return out;
}
