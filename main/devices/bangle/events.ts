/**
 * What the Bangle.js link tells the gateway: status for staff, counters, and data.
 * Schemas are the source of truth; types are `z.infer` of them. All times are gateway
 * time, UTC ms since the Unix epoch, unless the name says `watch`.
 */
import { z } from 'zod';
import { WatchStatusSchema as ApiWatchStatusSchema } from '../../../preload/schemas.js';

/** How the gateway talks to a watch: our program over NUS, or the standard Heart Rate Service. */
export const WatchTransportSchema = z.enum(['uart', 'hrs']);
export type WatchTransport = z.infer<typeof WatchTransportSchema>;

/**
 * Link states shown to staff: the gateway API's own (`preload/schemas.ts` `WatchStatusSchema`),
 * so they reach the UI unmapped. A link is `disconnected` before pairing, after a cancelled
 * pairing and after `unpair()` (then `bound` is false); it never reports `paired`, which the
 * API keeps for a bound watch that is not streaming.
 */
export const WatchStateSchema = ApiWatchStatusSchema.shape.state;
export type WatchState = z.infer<typeof WatchStateSchema>;

const address = z.string().min(1);
const epochMs = z.number();

/** One watch's status with a message staff can act on. */
export const WatchStatusSchema = z.strictObject({
  address,
  name: z.string(),
  state: WatchStateSchema,
  /** Staff-readable explanation, e.g. "Bangle.js 1a2b is out of range — bring the watch closer". */
  message: z.string(),
  /** Stable code when `state` is `error` (a `BangleError`/`BleError` code), else null. */
  errorCode: z.string().nullable(),
  transport: WatchTransportSchema.nullable(),
  /** Whether the watch is bound to the patient (pairing confirmed, not unpaired). */
  bound: z.boolean(),
  /** Reconnect attempts since the last data (0 when streaming). */
  attempt: z.number().int().nonnegative(),
  atMs: epochMs,
});
export type WatchStatus = z.infer<typeof WatchStatusSchema>;

/** Counters of one watch since it was bound. */
export const WatchCountersSchema = z.strictObject({
  address,
  /** Valid protocol lines (or 0x2A37 values on the HRS path). */
  lines: z.number().int().nonnegative(),
  /** Lines that were not valid protocol JSON after noise stripping (logged, never fatal). */
  badLines: z.number().int().nonnegative(),
  /** Lines missing according to the counter `n`. */
  lostLines: z.number().int().nonnegative(),
  /** Gaps recorded (lost lines, silences, disconnections). */
  gaps: z.number().int().nonnegative(),
  reconnects: z.number().int().nonnegative(),
  /** XOFF bytes received from the watch. */
  xoff: z.number().int().nonnegative(),
  /** Last measured watch-minus-gateway clock offset, ms; null before the first check. */
  clockOffsetMs: z.number().nullable(),
  /** Last RSSI seen while scanning, dBm; null when unknown. */
  rssi: z.number().nullable(),
});
export type WatchCounters = z.infer<typeof WatchCountersSchema>;

/** One heart-rate reading. */
export const HrRecordSchema = z.strictObject({
  address,
  /** Gateway time of the reading (watch time re-based when the clocks disagree by > 1 s). */
  ts: epochMs,
  /** Watch time as sent (`null` on the HRS path, which carries no time). */
  watchTs: epochMs.nullable(),
  bpm: z.number().int().min(0).max(300),
  /** Watch's confidence 0–100 (`null` on the HRS path). */
  conf: z.number().int().min(0).max(100).nullable(),
  /** RR intervals, ms (HRS path only, usually empty). */
  rrIntervalsMs: z.array(z.number().nonnegative()),
  /** Skin contact as reported by 0x2A37, `null` when unknown. */
  sensorContact: z.boolean().nullable(),
  source: WatchTransportSchema,
});
export type HrRecord = z.infer<typeof HrRecordSchema>;

/** A batch of accelerometer samples: sample i is at `ts + i × 1000 / hz`. */
export const AccelBatchSchema = z.strictObject({
  address,
  /** Gateway time of the first sample. */
  ts: epochMs,
  /** Watch time of the first sample as sent. */
  watchTs: epochMs,
  hz: z.number().positive(),
  /** Interleaved x,y,z in milli-g integers (watch axes). */
  xyzMilliG: z.array(z.number().int()),
});
export type AccelBatch = z.infer<typeof AccelBatchSchema>;

/** A batch of raw PPG samples: sample i is at `ts + i × 1000 / hz`. */
export const PpgBatchSchema = z.strictObject({
  address,
  ts: epochMs,
  watchTs: epochMs,
  hz: z.number().positive(),
  /** Raw sensor counts. */
  raw: z.array(z.number().int()),
});
export type PpgBatch = z.infer<typeof PpgBatchSchema>;

export const BatteryRecordSchema = z.strictObject({
  address,
  ts: epochMs,
  pct: z.number().int().min(0).max(100),
  charging: z.boolean(),
});
export type BatteryRecord = z.infer<typeof BatteryRecordSchema>;

/** A hole in the watch's data. Never filled; samples are never invented. */
export const WatchGapSchema = z.strictObject({
  address,
  /** Gateway time of the last line before the hole. */
  startMs: epochMs,
  /** Gateway time of the first line after it. */
  endMs: epochMs,
  reason: z.enum(['lost-lines', 'silence', 'disconnected']),
  /** Lines missing by the counter (0 when the counter restarted, e.g. after a reconnect). */
  lostLines: z.number().int().nonnegative(),
});
export type WatchGap = z.infer<typeof WatchGapSchema>;

/** A clock comparison (`pw.ping()`). */
export const ClockCheckEventSchema = z.strictObject({
  address,
  offsetMs: z.number(),
  rttMs: z.number().nonnegative(),
  atMs: epochMs,
  /** True when |offset| > 1 s: reported, and watch times are re-based by −offset. */
  rebased: z.boolean(),
});
export type ClockCheckEvent = z.infer<typeof ClockCheckEventSchema>;

/** A watch found by a scan, for staff to pick the patient's. */
export const ScanResultSchema = z.strictObject({
  address,
  name: z.string().nullable(),
  rssi: z.number(),
  transport: WatchTransportSchema,
  lastSeenMs: epochMs,
});
export type ScanResult = z.infer<typeof ScanResultSchema>;

/** The adapter's activity, for the "Watches" panel (per-watch states are in {@link WatchStatusSchema}). */
export const AdapterStatusSchema = z.strictObject({
  state: z.enum(['ready', 'scanning']),
  /** Staff-readable, e.g. "Looking for watches…". */
  message: z.string(),
  atMs: epochMs,
});
export type AdapterStatus = z.infer<typeof AdapterStatusSchema>;

/** Every event the link emits, by name. */
export interface BangleEvents {
  status: WatchStatus;
  counters: WatchCounters;
  hr: HrRecord;
  accel: AccelBatch;
  ppg: PpgBatch;
  battery: BatteryRecord;
  gap: WatchGap;
  clock: ClockCheckEvent;
  scan: ScanResult;
  adapter: AdapterStatus;
}
