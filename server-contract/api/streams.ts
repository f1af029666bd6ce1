/**
 * The records carried by *records* chunks and returned to viewers. Every record has `tMs`
 * (UTC epoch ms); values are in the units their names say.
 */
import { z } from 'zod';
import { EpochMsSchema } from './common.js';

/** The 12 standard leads, in display order. The unit acquires I, II, V1–V6; the rest are derived. */
export const STANDARD_LEAD_NAMES = [
  'I',
  'II',
  'III',
  'aVR',
  'aVL',
  'aVF',
  'V1',
  'V2',
  'V3',
  'V4',
  'V5',
  'V6',
] as const;

export const LeadNameSchema = z.enum(STANDARD_LEAD_NAMES);
export type LeadName = z.infer<typeof LeadNameSchema>;

/** The 8 channels the ECG-12 unit acquires, in wire order (specs/ecg12-serial-protocol.md §3). */
export const ACQUIRED_LEADS = [
  'I',
  'II',
  'V1',
  'V2',
  'V3',
  'V4',
  'V5',
  'V6',
] as const satisfies readonly LeadName[];

/**
 * Beat class (ANSI/AAMI EC57 classes): N normal, S supraventricular ectopic, V ventricular
 * ectopic, F fusion of ventricular and normal, Q unclassifiable.
 */
export const BeatClassSchema = z.enum(['N', 'S', 'V', 'F', 'Q']);

/** One detected beat: R-peak time and class (the `beats` stream). */
export const BeatRecordSchema = z.strictObject({ tMs: EpochMsSchema, beatClass: BeatClassSchema });
export type BeatRecord = z.infer<typeof BeatRecordSchema>;

/** Why a value is absent: not measurable in this signal, or withheld for poor signal quality. */
export const WithheldReasonSchema = z.enum([
  'poor_signal',
  'lead_off',
  'not_measurable',
  'insufficient_beats',
  /** The sample rate is too coarse for this interval (QRS, QT below 128 Hz: IEC 60601-2-25 tolerances). */
  'rate_too_low',
  /** Inside ventricular flutter/fibrillation or asystole: no beats, so no rate or intervals. */
  'rhythm_episode',
]);

const ms = z.number().min(0).max(10_000).nullable();

/**
 * A measurement snapshot (the `measurements` stream), computed over the window ending at `tMs`
 * (every 2 s live). Null values come with a reason in `withheld`.
 */
export const MeasurementRecordSchema = z.strictObject({
  tMs: EpochMsSchema,
  windowMs: z.number().int().min(0),
  heartRateBpm: z.number().min(0).max(400).nullable(),
  rrMs: ms,
  prMs: ms,
  qrsMs: ms,
  qtMs: ms,
  qtcBazettMs: ms,
  qtcFridericiaMs: ms,
  qtcFraminghamMs: ms,
  qtcHodgesMs: ms,
  /** Frontal-plane QRS axis, degrees (−180, 180]. */
  qrsAxisDeg: z.number().min(-180).max(180).nullable(),
  /** ST level at J+60 ms per lead, µV, relative to the PR segment. */
  stUv: z.partialRecord(LeadNameSchema, z.number().min(-20_000).max(20_000)),
  /** Short-term HRV over the NN intervals of the last `hrvWindowMs` (up to 5 minutes). */
  sdnnMs: ms,
  rmssdMs: ms,
  /** Share of successive NN differences over 50 ms, 0–100. */
  pnn50Pct: z.number().min(0).max(100).nullable(),
  /**
   * Span of beats the HRV figures cover, ms: 5 minutes (300 000) once that much signal without a
   * gap is in, shorter before (then not comparable with 5-minute norms). Absent in older records.
   */
  hrvWindowMs: z.number().int().min(0).max(86_400_000).optional(),
  withheld: z.partialRecord(z.string(), WithheldReasonSchema),
});
export type MeasurementRecord = z.infer<typeof MeasurementRecordSchema>;

/** The single-number values of a measurement record (each null with a reason when withheld). */
export const MEASUREMENT_VALUE_FIELDS = [
  'heartRateBpm',
  'rrMs',
  'prMs',
  'qrsMs',
  'qtMs',
  'qtcBazettMs',
  'qtcFridericiaMs',
  'qtcFraminghamMs',
  'qtcHodgesMs',
  'qrsAxisDeg',
  'sdnnMs',
  'rmssdMs',
  'pnn50Pct',
] as const satisfies readonly (keyof MeasurementRecord)[];

export const EventKindSchema = z.enum([
  /**
   * A beat classed ventricular (V) / supraventricular (S) ectopic, outside a run: `tMs` the beat;
   * the note "couplet" on each of two in a row.
   */
  'pvc',
  'pac',
  /**
   * Heart rate under 50 / over 100 bpm over 8 beats or more: `tMs` the onset; reported then
   * without `durationMs` and again when the rate comes back, with `durationMs`.
   */
  'bradycardia',
  'tachycardia',
  /** An RR interval over 2 s: `tMs` the beat before it, `durationMs` the interval. */
  'pause',
  'lead_off',
  'signal_quality',
  'gap',
  'marker',
  'device',
  /** Ventricular flutter/fibrillation: `tMs` its onset, `durationMs` its length; no beats inside. */
  'ventricular_flutter_fibrillation',
  /** No QRS complex for at least 4 s (lead attached): `tMs` onset, `durationMs` length. */
  'asystole',
  /**
   * Three or more ventricular beats in a row (ventricular tachycardia over 100/min, otherwise an
   * idioventricular rhythm): `tMs` its first beat; reported at its third beat without
   * `durationMs` and again when it ends, with `durationMs` to its last beat; the note gives its
   * beats and rate.
   */
  'ventricular_run',
  /**
   * Three or more supraventricular ectopic beats in a row (supraventricular tachycardia over
   * 100/min), reported as `ventricular_run` is.
   */
  'supraventricular_run',
]);

/** A rhythm flag, lead-off, gap, device event or staff marker (the `events` stream). */
export const EventRecordSchema = z.strictObject({
  tMs: EpochMsSchema,
  kind: EventKindSchema,
  durationMs: z.number().int().min(0).optional(),
  /** Leads or electrodes concerned, e.g. `["V3"]` or `["RA"]`. */
  leads: z.array(z.string().max(8)).max(12).optional(),
  /** Staff note or device message; never patient-identifying. */
  note: z.string().max(500).optional(),
});
export type EventRecord = z.infer<typeof EventRecordSchema>;

/**
 * The note of a rhythm episode's closing event when it closed because every lead the gateway
 * detects beats on went off or clipped: its `durationMs` is what the ECG showed, and the rhythm
 * may have gone on after it.
 */
export const EPISODE_END_UNSEEN_NOTE =
  'Its end was not seen: the signal was lost (electrodes off or clipping); the duration is what the ECG showed';

/** Watch heart rate (the `hr` stream): bpm 1–249 and confidence 0–100, as the research server stored it. */
export const HrRecordSchema = z.strictObject({
  tMs: EpochMsSchema,
  bpm: z.number().int().min(1).max(249),
  confidence: z.number().int().min(0).max(100),
});
export type HrRecord = z.infer<typeof HrRecordSchema>;

/** Watch battery (the `battery` stream). */
export const BatteryRecordSchema = z.strictObject({
  tMs: EpochMsSchema,
  pct: z.number().int().min(0).max(100),
  charging: z.boolean(),
});

/** Record schema of each records stream. */
export const RECORD_SCHEMAS = {
  beats: BeatRecordSchema,
  measurements: MeasurementRecordSchema,
  events: EventRecordSchema,
  hr: HrRecordSchema,
  battery: BatteryRecordSchema,
} as const;
