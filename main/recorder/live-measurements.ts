/**
 * Measurements while streaming: keeps the last `windowS` seconds of the 12 leads (µV, unfiltered:
 * the measurement code filters zero-phase itself) with the detected beats, and every `everyS`
 * seconds measures that window with `measureRecording` (main/dsp). A gap empties the window —
 * measurements never straddle missing samples.
 *
 * Heart-rate variability needs minutes, not seconds: the classed beats of the last 5 minutes are
 * kept apart and SDNN, RMSSD and pNN50 come from their NN intervals (`computeHrvWindow`, Task
 * Force 1996 short-term HRV), with the span they cover in `hrvWindowMs`. A gap starts that window
 * again too; the interval across a rhythm episode (ventricular fibrillation, asystole) is no NN
 * interval.
 */
import type { z } from 'zod';
import { MEASUREMENT_VALUE_FIELDS, type MeasurementRecordSchema } from '../../server-contract/api/streams.js';
import { STANDARD_LEADS } from '../dsp/leads.js';
import { computeHrvWindow, SHORT_TERM_WINDOW_MS, type BeatClass, type TimedBeat } from '../dsp/hrv.js';
import { intervalsTooCoarseAt } from '../dsp/rate-limits.js';
import {
  measureRecording,
  type Measured,
  type RecordingMeasurements,
  type WithheldReason,
} from '../dsp/measure.js';

type MeasurementRecord = z.infer<typeof MeasurementRecordSchema>;
type ApiWithheld = MeasurementRecord['withheld'][string];

const REASONS: Record<WithheldReason, ApiWithheld> = {
  'poor-signal-quality': 'poor_signal',
  'not-found': 'not_measurable',
  'no-p-wave': 'not_measurable',
  'too-few-beats': 'insufficient_beats',
  'missing-leads': 'lead_off',
};

export interface LiveMeasurementOptions {
  sampleRateHz: number;
  windowS?: number;
  everyS?: number;
}

/** A sliding window of 12-lead samples and beats, measured periodically. */
export class LiveMeasurements {
  private readonly capacity: number;
  private readonly leads: Float64Array[];
  private readonly every: number;
  /** Samples held (≤ capacity); the oldest is at ring position `head`. */
  private count = 0;
  private head = 0;
  private firstIndex = 0;
  private sinceLast = 0;
  private beats: number[] = [];
  /** Classed beats of the last 5 minutes (session sample → ms), for HRV. */
  private hrvBeats: TimedBeat[] = [];
  /** Rhythm episodes among them, [startMs, endMs) (end +∞ while one lasts): no NN interval spans one. */
  private episodesMs: [number, number][] = [];

  constructor(private readonly options: LiveMeasurementOptions) {
    this.capacity = Math.round(options.sampleRateHz * (options.windowS ?? 10));
    this.leads = STANDARD_LEADS.map(() => new Float64Array(this.capacity));
    this.every = Math.round(options.sampleRateHz * (options.everyS ?? 2));
  }

  /** Forgets everything (after a gap). */
  reset(nextIndex: number): void {
    this.count = 0;
    this.head = 0;
    this.firstIndex = nextIndex;
    this.beats = [];
    this.hrvBeats = [];
    this.episodesMs = [];
    this.sinceLast = 0;
  }

  /**
   * A rhythm episode (ventricular flutter/fibrillation, asystole) from session sample
   * `startIndex` to `endIndex` (null: it goes on): HRV leaves out the interval across it, which is
   * an arrest, not heart-rate variability. Reported again when it ends.
   */
  episode(startIndex: number, endIndex: number | null): void {
    const toMs = (index: number) => (index * 1000) / this.options.sampleRateHz;
    const startMs = toMs(startIndex);
    const span: [number, number] = [startMs, endIndex === null ? Number.POSITIVE_INFINITY : toMs(endIndex)];
    const open = this.episodesMs.findIndex(([s, e]) => s === startMs && e === Number.POSITIVE_INFINITY);
    if (open >= 0) this.episodesMs[open] = span;
    else this.episodesMs.push(span);
  }

  /** Adds one frame of 12 leads (µV) at session sample `index`; returns true when a measurement is due. */
  push(index: number, frameUv: ArrayLike<number>): boolean {
    if (index !== this.firstIndex + this.count) this.reset(index);
    const slot = (this.head + this.count) % this.capacity;
    if (this.count === this.capacity) {
      this.head = (this.head + 1) % this.capacity;
      this.firstIndex++;
      while (this.beats.length > 0 && this.beats[0]! < this.firstIndex) this.beats.shift();
    } else {
      this.count++;
    }
    for (let k = 0; k < this.leads.length; k++) this.leads[k]![slot] = frameUv[k]!;
    this.sinceLast++;
    return this.sinceLast >= this.every && this.count >= this.every;
  }

  /** Records a beat of class `beatClass` at session sample `index`. */
  addBeat(index: number, beatClass: BeatClass): void {
    if (index < this.firstIndex) return;
    this.beats.push(index);
    const timeMs = (index * 1000) / this.options.sampleRateHz;
    this.hrvBeats.push({ timeMs, beatClass });
    // keep one beat before the window so its first interval is complete
    const from = timeMs - SHORT_TERM_WINDOW_MS;
    let drop = 0;
    while (drop + 1 < this.hrvBeats.length && this.hrvBeats[drop + 1]!.timeMs <= from) drop++;
    if (drop > 0) this.hrvBeats.splice(0, drop);
    this.episodesMs = this.episodesMs.filter(([, end]) => end > this.hrvBeats[0]!.timeMs);
  }

  /** The held samples of one lead, oldest first. */
  private linear(lead: Float64Array): Float64Array {
    const out = new Float64Array(this.count);
    const tail = Math.min(this.count, this.capacity - this.head);
    out.set(lead.subarray(this.head, this.head + tail));
    out.set(lead.subarray(0, this.count - tail), tail);
    return out;
  }

  /**
   * Measures the window; `endMs` is the time of its last sample. Intervals the sample rate is too
   * coarse for (`intervalsTooCoarseAt`) are withheld with `rate_too_low`; inside a rhythm episode
   * (ventricular flutter/fibrillation, asystole) every value is withheld with `rhythm_episode`.
   */
  measure(endMs: number, inEpisode = false): MeasurementRecord {
    this.sinceLast = 0;
    const result = measureRecording({
      leadsMicrovolts: this.leads.map((lead) => this.linear(lead)),
      leadNames: STANDARD_LEADS,
      beatSamples: this.beats.map((b) => b - this.firstIndex),
      sampleRateHz: this.options.sampleRateHz,
    });
    const record = toRecord(result, endMs, Math.round((this.count * 1000) / this.options.sampleRateHz));
    applyHrvWindow(record, this.hrvBeats, this.episodesMs);
    if (inEpisode) withholdAll(record, 'rhythm_episode');
    else withholdCoarse(record, this.options.sampleRateHz);
    return record;
  }
}

/**
 * SDNN, RMSSD and pNN50 over the last 5 minutes of beats, labelled with the span they cover; no
 * NN interval spans one of `episodesMs`.
 */
function applyHrvWindow(
  record: MeasurementRecord,
  beats: readonly TimedBeat[],
  episodesMs: readonly [number, number][],
): void {
  const hrv = computeHrvWindow(beats, SHORT_TERM_WINDOW_MS, episodesMs);
  delete record.withheld.hrv;
  record.hrvWindowMs = Math.min(Math.round(hrv.windowMs), SHORT_TERM_WINDOW_MS);
  if ('withheld' in hrv) {
    record.sdnnMs = null;
    record.rmssdMs = null;
    record.pnn50Pct = null;
    for (const field of ['sdnnMs', 'rmssdMs', 'pnn50Pct'] as const)
      record.withheld[field] = 'insufficient_beats';
    return;
  }
  record.sdnnMs = Math.min(hrv.sdnnMs, 10_000);
  record.rmssdMs = Math.min(hrv.rmssdMs, 10_000);
  record.pnn50Pct = hrv.pnn50Pct;
}

function withholdAll(record: MeasurementRecord, reason: ApiWithheld): void {
  for (const field of MEASUREMENT_VALUE_FIELDS) {
    record[field] = null;
    record.withheld[field] = reason;
  }
  record.stUv = {};
}

/** QRS and QT (and so QTc) below the rate at which they met their tolerance. */
function withholdCoarse(record: MeasurementRecord, sampleRateHz: number): void {
  const coarse = intervalsTooCoarseAt(sampleRateHz);
  const fields: (typeof MEASUREMENT_VALUE_FIELDS)[number][] = [...coarse];
  if (coarse.includes('qtMs'))
    fields.push('qtcBazettMs', 'qtcFridericiaMs', 'qtcFraminghamMs', 'qtcHodgesMs');
  for (const field of fields) {
    record[field] = null;
    record.withheld[field] = 'rate_too_low';
  }
}

/** An angle in (−180°, 180°]. */
function normalizeDegrees(degrees: number): number {
  const a = ((degrees % 360) + 360) % 360;
  return a > 180 ? a - 360 : a;
}

function toRecord(result: RecordingMeasurements, tMs: number, windowMs: number): MeasurementRecord {
  const withheld: MeasurementRecord['withheld'] = {};
  const value = (name: string, measured: Measured, max = 10_000): number | null => {
    if (measured.value === null) {
      withheld[name] = REASONS[measured.reason];
      return null;
    }
    return Math.min(Math.max(measured.value, 0), max);
  };
  const stUv: MeasurementRecord['stUv'] = {};
  for (const [lead, measured] of Object.entries(result.stMicrovolts)) {
    if (measured.value !== null && (STANDARD_LEADS as readonly string[]).includes(lead)) {
      stUv[lead as keyof typeof stUv] = Math.max(-20_000, Math.min(20_000, Math.round(measured.value)));
    }
  }
  const axis = result.axisDegrees.value;
  if (axis === null) withheld.qrsAxisDeg = REASONS[result.axisDegrees.reason];
  return {
    tMs: Math.round(tMs),
    windowMs,
    heartRateBpm: value('heartRateBpm', result.heartRateBpm, 400),
    rrMs: value('rrMs', result.rrMs),
    prMs: value('prMs', result.prMs),
    qrsMs: value('qrsMs', result.qrsMs),
    qtMs: value('qtMs', result.qtMs),
    qtcBazettMs: value('qtcBazettMs', result.qtcMs.bazett),
    qtcFridericiaMs: value('qtcFridericiaMs', result.qtcMs.fridericia),
    qtcFraminghamMs: value('qtcFraminghamMs', result.qtcMs.framingham),
    qtcHodgesMs: value('qtcHodgesMs', result.qtcMs.hodges),
    qrsAxisDeg: axis === null ? null : normalizeDegrees(axis),
    stUv,
    // HRV over minutes, not this window: applyHrvWindow
    sdnnMs: null,
    rmssdMs: null,
    pnn50Pct: null,
    withheld,
  };
}
