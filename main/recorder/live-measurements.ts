/**
 * Measurements while streaming: keeps the last `windowS` seconds of the 12 leads (µV, unfiltered:
 * the measurement code filters zero-phase itself) with the detected beats, and every `everyS`
 * seconds measures that window with `measureRecording` (main/dsp). A gap empties the window —
 * measurements never straddle missing samples.
 */
import type { z } from 'zod';
import { MEASUREMENT_VALUE_FIELDS, type MeasurementRecordSchema } from '../../server-contract/api/streams.js';
import { STANDARD_LEADS } from '../dsp/leads.js';
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
    this.sinceLast = 0;
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

  /** Records a beat at session sample `index`. */
  addBeat(index: number): void {
    if (index >= this.firstIndex) this.beats.push(index);
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
  measure(
    endMs: number,
    inEpisode = false,
  ): { record: MeasurementRecord; result: RecordingMeasurements; firstIndex: number } {
    this.sinceLast = 0;
    const result = measureRecording({
      leadsMicrovolts: this.leads.map((lead) => this.linear(lead)),
      leadNames: STANDARD_LEADS,
      beatSamples: this.beats.map((b) => b - this.firstIndex),
      sampleRateHz: this.options.sampleRateHz,
    });
    const record = toRecord(result, endMs, Math.round((this.count * 1000) / this.options.sampleRateHz));
    if (inEpisode) withholdAll(record, 'rhythm_episode');
    else withholdCoarse(record, this.options.sampleRateHz);
    return { record, result, firstIndex: this.firstIndex };
  }
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
  const hrv = 'withheld' in result.hrv ? null : result.hrv;
  if (hrv === null) withheld.hrv = 'insufficient_beats';
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
    sdnnMs: hrv === null ? null : Math.min(hrv.sdnnMs, 10_000),
    rmssdMs: hrv === null ? null : Math.min(hrv.rmssdMs, 10_000),
    pnn50Pct: hrv === null ? null : hrv.pnn50Pct,
    withheld,
  };
}
