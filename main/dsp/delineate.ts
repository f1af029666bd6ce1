/**
 * Beat delineation on one or more simultaneous leads: QRS onset and offset, P onset, T end (global,
 * i.e. across all leads given), per beat.
 *
 * Method (all zero-phase, so no time shift):
 * - each lead: baseline removed (two-stage median, {@link estimateBaseline}), low-passed at 40 Hz for QRS
 *   boundaries, 20 Hz for P waves and 12 Hz for T waves;
 * - QRS boundaries from a multi-lead slope envelope S(t) = Σ|dxᵢ/dt| over the usable leads (the L1 form of
 *   the spatial velocity; on LUDB it followed low-amplitude leads' terminal slurs better than √Σ(dxᵢ/dt)²),
 *   whose first and last excursions above a threshold give the earliest onset and the latest offset across
 *   leads (the global convention of 12-lead programs and of the LUDB reference): threshold = twice the
 *   envelope's floor (its 10th percentile around the beat) + 2 % of (peak − floor), a 12 ms quiet run required (a notch inside the QRS does not end it), then followed
 *   downhill to the envelope's local minimum (≤ 30 ms);
 * - T end per lead by the trapezium-area method (Zhang et al. 2006) from the steepest point of the
 *   descending limb; global T end = the latest lead end after rejecting leads > 60 ms from the median;
 * - P onset per lead by the same trapezium knee run backwards from the steepest upstroke of the largest
 *   local extremum before the QRS; global = the earliest agreeing lead (within 40 ms of the median); P is
 *   reported absent (null) unless at least 2 leads (1 if fewer than 3 are given) show a P wave ≥ 35 µV.
 * Constants were tuned on LUDB records 1–100 (see bench/intervals.ts) and kept round.
 */
import { estimateBaseline, lowPassZeroPhase, derivative } from './delineate-prep.js';
import { findPOnset, findTEnd, type WaveContext } from './delineate-waves.js';
import { resample } from './resample.js';
import { percentile } from './stats.js';

/** Global fiducial points of one beat, as sample indexes into the record (null where not found). */
export interface BeatDelineation {
  /** The beat position given as input (sample index). */
  readonly rSample: number;
  readonly pOnset: number | null;
  readonly qrsOnset: number | null;
  readonly qrsOffset: number | null;
  readonly tEnd: number | null;
}

/** Options for {@link delineateBeats}. */
export interface DelineateOptions {
  /** Sampling rate, Hz. */
  readonly sampleRateHz: number;
  /**
   * Per-lead usability masks (same length as the leads; non-zero = usable). A lead is ignored for a beat
   * when any sample of that beat's window is unusable. Omitted or undefined entries = all usable.
   */
  readonly qualityMask?: readonly (Uint8Array | undefined)[];
}

/** Tuning constants (fractions of the slope range, durations in s). */
/** Below this rate the leads are interpolated to an integer multiple of their rate first. */
const MIN_DELINEATION_RATE_HZ = 250;
const QRS_LOWPASS_HZ = 40;
/** At low rates the QRS envelope's low-pass is at most this fraction of the record's rate (28 Hz at 80 Hz). */
const LOW_RATE_QRS_LOWPASS_FRACTION = 0.35;
const P_LOWPASS_HZ = 20;
const T_LOWPASS_HZ = 12;
/** Threshold = FLOOR_FACTOR × floor + fraction × (peak − floor); floor = 10th percentile of S near the beat. */
const FLOOR_FACTOR = 2;
const ONSET_FRACTION = 0.02;
const OFFSET_FRACTION = 0.02;
const QUIET_RUN_S = 0.012;
const MAX_HALF_QRS_S = 0.16;
const KNEE_WALK_S = 0.03;

/** Leads prepared once per record. */
interface Prepared {
  readonly qrs: Float64Array[];
  readonly p: Float64Array[];
  readonly t: Float64Array[];
}

function prepare(leads: readonly ArrayLike<number>[], fs: number, qrsLowpassHz: number): Prepared {
  const qrs: Float64Array[] = [];
  const p: Float64Array[] = [];
  const t: Float64Array[] = [];
  for (const lead of leads) {
    const baseline = estimateBaseline(lead, fs);
    const centred = new Float64Array(lead.length);
    for (let i = 0; i < lead.length; i++) centred[i] = lead[i]! - baseline[i]!;
    qrs.push(lowPassZeroPhase(centred, fs, qrsLowpassHz));
    p.push(lowPassZeroPhase(centred, fs, P_LOWPASS_HZ));
    t.push(lowPassZeroPhase(centred, fs, T_LOWPASS_HZ));
  }
  return { qrs, p, t };
}

/** Multi-lead slope envelope Σ|dxᵢ/dt| over the given leads (µV/s). */
function spatialVelocity(signals: readonly Float64Array[], fs: number, n: number): Float64Array {
  const s = new Float64Array(n);
  for (const x of signals) {
    const d = derivative(x, fs);
    for (let i = 0; i < n; i++) s[i] = s[i]! + Math.abs(d[i]!);
  }
  return s;
}

function usableLeads(
  mask: DelineateOptions['qualityMask'],
  leadCount: number,
  from: number,
  to: number,
): number[] {
  const out: number[] = [];
  for (let l = 0; l < leadCount; l++) {
    const m = mask?.[l];
    let ok = true;
    if (m !== undefined) {
      for (let i = Math.max(0, from); i < Math.min(m.length, to) && ok; i++) ok = m[i] !== 0;
    }
    if (ok) out.push(l);
  }
  return out;
}

/**
 * Delineates every beat.
 * @param leadsMicrovolts simultaneous leads, µV, equal lengths (any number ≥ 1; 12 standard leads or the 8
 *   acquired ones give the global 12-lead convention).
 * @param beatSamples one sample index per beat inside its QRS (e.g. the detector's R peak), ascending.
 */
export function delineateBeats(
  leadsMicrovolts: readonly ArrayLike<number>[],
  beatSamples: readonly number[],
  options: DelineateOptions,
): BeatDelineation[] {
  const factor = Math.ceil(MIN_DELINEATION_RATE_HZ / options.sampleRateHz);
  if (factor <= 1) return delineateAtRate(leadsMicrovolts, beatSamples, options);
  // Keep the slope envelope's band below the record's own band edge: at 80 Hz the anti-aliasing filter's
  // ringing near 40 Hz otherwise spreads the envelope (and the QRS) by tens of ms.
  const qrsLowpassHz = Math.min(QRS_LOWPASS_HZ, LOW_RATE_QRS_LOWPASS_FRACTION * options.sampleRateHz);
  // Low rates (80, 128 Hz): delineate on a band-limited interpolation at an integer multiple of the rate,
  // so the slope envelope and the knees are resolved finer than one sample, then map back.
  const fineHz = options.sampleRateHz * factor;
  const fine = delineateAtRate(
    leadsMicrovolts.map((lead) => resample(lead, options.sampleRateHz, fineHz)),
    beatSamples.map((r) => r * factor),
    {
      sampleRateHz: fineHz,
      ...(options.qualityMask !== undefined
        ? {
            qualityMask: options.qualityMask.map((m) =>
              m === undefined ? undefined : stretchMask(m, factor),
            ),
          }
        : {}),
    },
    qrsLowpassHz,
  );
  const back = (x: number | null): number | null => (x === null ? null : Math.round(x / factor));
  return fine.map((b, k) => ({
    rSample: beatSamples[k]!,
    pOnset: back(b.pOnset),
    qrsOnset: back(b.qrsOnset),
    qrsOffset: back(b.qrsOffset),
    tEnd: back(b.tEnd),
  }));
}

function stretchMask(mask: Uint8Array, factor: number): Uint8Array {
  const out = new Uint8Array(mask.length * factor);
  for (let i = 0; i < out.length; i++) out[i] = mask[Math.floor(i / factor)]!;
  return out;
}

function delineateAtRate(
  leadsMicrovolts: readonly ArrayLike<number>[],
  beatSamples: readonly number[],
  options: DelineateOptions,
  qrsLowpassHz = QRS_LOWPASS_HZ,
): BeatDelineation[] {
  const fs = options.sampleRateHz;
  const n = leadsMicrovolts[0]?.length ?? 0;
  const prep = prepare(leadsMicrovolts, fs, qrsLowpassHz);
  const allVelocity = options.qualityMask === undefined ? spatialVelocity(prep.qrs, fs, n) : undefined;
  const out: BeatDelineation[] = [];
  let prevTEnd: number | null = null;
  for (const [k, r] of beatSamples.entries()) {
    const beat = delineateOne(prep, allVelocity, beatSamples, k, options, prevTEnd);
    prevTEnd = beat.tEnd ?? null;
    out.push({ rSample: r, ...beat });
  }
  return out;
}

function delineateOne(
  prep: Prepared,
  allVelocity: Float64Array | undefined,
  beatSamples: readonly number[],
  k: number,
  options: DelineateOptions,
  prevTEnd: number | null,
): Omit<BeatDelineation, 'rSample'> {
  const fs = options.sampleRateHz;
  const n = prep.qrs[0]?.length ?? 0;
  const none = { pOnset: null, qrsOnset: null, qrsOffset: null, tEnd: null };
  const r = beatSamples[k]!;
  const prevR = beatSamples[k - 1];
  const nextR = beatSamples[k + 1];
  const rrNext = nextR !== undefined ? nextR - r : prevR !== undefined ? r - prevR : fs;
  const rrPrev = prevR !== undefined ? r - prevR : rrNext;
  const from = Math.max(0, r - Math.round(Math.min(0.45 * fs, rrPrev * 0.8)));
  const to = Math.min(n, r + Math.round(Math.min(0.75 * fs, rrNext)));
  const leads = usableLeads(options.qualityMask, prep.qrs.length, from, to);
  if (leads.length === 0) return none;
  const velocity =
    allVelocity ??
    spatialVelocity(
      leads.map((l) => prep.qrs[l]!),
      fs,
      n,
    );
  const qrs = qrsBounds(velocity, r, fs, from, to);
  if (qrs === null) return none;
  const ctx: WaveContext = {
    sampleRateHz: fs,
    qrsOnset: qrs.onset,
    qrsOffset: qrs.offset,
    rrPrev,
    rrNext,
    leads,
  };
  const prevEnd = prevTEnd ?? (prevR !== undefined ? prevR + Math.round(0.25 * fs) : 0);
  return {
    pOnset: findPOnset(prep.p, ctx, Math.max(from, prevEnd + Math.round(0.02 * fs))),
    qrsOnset: qrs.onset,
    qrsOffset: qrs.offset,
    tEnd: findTEnd(prep.t, ctx, to),
  };
}

/** QRS onset and offset from the spatial velocity around beat position r. */
function qrsBounds(
  s: Float64Array,
  r: number,
  fs: number,
  from: number,
  to: number,
): { onset: number; offset: number } | null {
  const half = Math.round(MAX_HALF_QRS_S * fs);
  const search = Math.round(0.06 * fs);
  let c = -1;
  for (let i = Math.max(from, r - search); i <= Math.min(to - 1, r + search); i++)
    if (c < 0 || s[i]! > s[c]!) c = i;
  if (c < 0) return null;
  const floor = percentile(
    s,
    Math.max(from, c - Math.round(0.3 * fs)),
    Math.min(to, c + Math.round(0.45 * fs)),
    0.1,
  );
  const peak = s[c]!;
  if (!(peak > floor)) return null;
  const quiet = Math.max(2, Math.round(QUIET_RUN_S * fs));
  const onsetCross = scanQuiet(
    s,
    c,
    -1,
    Math.max(from, c - half),
    FLOOR_FACTOR * floor + ONSET_FRACTION * (peak - floor),
    quiet,
  );
  const offsetCross = scanQuiet(
    s,
    c,
    1,
    Math.min(to - 1, c + half),
    FLOOR_FACTOR * floor + OFFSET_FRACTION * (peak - floor),
    quiet,
  );
  const walk = Math.round(KNEE_WALK_S * fs);
  const onset = descendToMinimum(s, onsetCross, -1, Math.max(from, onsetCross - walk));
  const offset = descendToMinimum(s, offsetCross, 1, Math.min(to - 1, offsetCross + walk));
  return { onset, offset };
}

/** From c in direction dir, the first sample of a run of `quiet` samples below threshold (or the limit). */
function scanQuiet(
  s: Float64Array,
  c: number,
  dir: 1 | -1,
  limit: number,
  threshold: number,
  quiet: number,
): number {
  let run = 0;
  let i = c;
  for (; dir > 0 ? i <= limit : i >= limit; i += dir) {
    if (s[i]! < threshold) {
      run++;
      if (run >= quiet) return i - dir * (quiet - 1);
    } else run = 0;
  }
  return limit;
}

/** From i in direction dir, follows s downhill (non-increasing) to its first local minimum, within limit. */
function descendToMinimum(s: Float64Array, i: number, dir: 1 | -1, limit: number): number {
  let j = i;
  while ((dir > 0 ? j + dir <= limit : j + dir >= limit) && s[j + dir]! <= s[j]!) j += dir;
  return j;
}
