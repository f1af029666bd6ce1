/**
 * What the web viewer's pages ask for in one request each: a page of ECG with its beats and
 * events, the whole-recording trends decimated for display, and the IT page's enrollment codes.
 */
import { z } from 'zod';
import { EpochMsQuerySchema, EpochMsSchema, UuidV7Schema } from './common.js';
import { BeatRecordSchema, EventRecordSchema, LeadNameSchema } from './streams.js';
import { EcgSegmentSchema } from './viewer.js';

/** Longest ECG page one request may ask for (the standard page is 10 s). */
export const MAX_ECG_PAGE_MS = 60_000;

/** A page `[fromMs, fromMs + durationMs)`; `durationMs` defaults to the standard 10-s page. */
export const EcgPageQuerySchema = z.strictObject({
  fromMs: EpochMsQuerySchema,
  durationMs: z.coerce.number().int().min(100).max(MAX_ECG_PAGE_MS).default(10_000),
});

/**
 * One ECG page: the stored channels (the acquired leads I, II, V1–V6 in counts; III, aVR, aVL and
 * aVF derive from I and II), or `ecg: null` where no ECG was stored (a gap or past the end); the
 * beats with their class and the events overlapping the page; where the recording starts and
 * ends, for paging.
 */
export const EcgPageSchema = z.strictObject({
  recordingId: UuidV7Schema,
  simulated: z.boolean(),
  fromMs: EpochMsSchema,
  toMs: EpochMsSchema,
  recordingStartMs: EpochMsSchema,
  /** End of the recording, or of the ECG received so far while it is still recording. */
  recordingEndMs: EpochMsSchema.nullable(),
  ecg: EcgSegmentSchema.nullable(),
  beats: z.array(BeatRecordSchema),
  events: z.array(EventRecordSchema),
});
export type EcgPage = z.infer<typeof EcgPageSchema>;

/** Trend buckets are whole minutes: the server keeps per-minute partial sums written at ingest. */
export const TREND_BASE_BUCKET_MS = 60_000;

/** At most this many buckets per trend answer (a day at 1 min is 1440). */
export const MAX_TREND_BUCKETS = 5_000;

export const TrendQuerySchema = z
  .strictObject({
    fromMs: EpochMsQuerySchema.optional(),
    toMs: EpochMsQuerySchema.optional(),
    /** Bucket length, a whole number of minutes; default: the smallest that fits 1440 buckets. */
    bucketMs: z.coerce
      .number()
      .int()
      .min(TREND_BASE_BUCKET_MS)
      .max(86_400_000)
      .refine((v) => v % TREND_BASE_BUCKET_MS === 0, 'must be a whole number of minutes')
      .optional(),
  })
  .refine((q) => q.fromMs === undefined || q.toMs === undefined || q.fromMs < q.toMs, {
    message: 'fromMs must be before toMs',
    path: ['toMs'],
  });

const nullableNumber = z.number().nullable();

/**
 * One bucket of the ECG trends, from the measurement snapshots in it (every 2 s live): mean,
 * lowest and highest heart rate, mean QTc (Bazett and Fridericia), mean ST at J+60 ms per lead
 * (µV), and signal quality: the share of snapshots whose heart rate was not withheld for poor
 * signal or lead-off (0–100). Null where the bucket has no usable value.
 */
export const EcgTrendPointSchema = z.strictObject({
  tMs: EpochMsSchema,
  snapshots: z.number().int().min(0),
  heartRateBpm: nullableNumber,
  heartRateMinBpm: nullableNumber,
  heartRateMaxBpm: nullableNumber,
  qtcBazettMs: nullableNumber,
  qtcFridericiaMs: nullableNumber,
  stUv: z.partialRecord(LeadNameSchema, z.number()),
  signalQualityPct: z.number().min(0).max(100).nullable(),
});

/**
 * One bucket of the watch trends: mean heart rate (bpm), movement as the mean Euclidean norm
 * minus one g (ENMO, mg, negative values clipped to 0: van Hees et al. 2013, PLoS One
 * 8:e61691), and the last battery reading in the bucket.
 */
export const WatchTrendPointSchema = z.strictObject({
  tMs: EpochMsSchema,
  heartRateBpm: nullableNumber,
  movementMg: nullableNumber,
  batteryPct: z.number().int().min(0).max(100).nullable(),
  charging: z.boolean().nullable(),
});

/** Whole-recording trends, decimated to `bucketMs`; buckets without data are left out. */
export const TrendSchema = z.strictObject({
  recordingId: UuidV7Schema,
  simulated: z.boolean(),
  fromMs: EpochMsSchema,
  toMs: EpochMsSchema,
  bucketMs: z.number().int().positive(),
  ecg: z.array(EcgTrendPointSchema),
  watch: z.array(WatchTrendPointSchema),
});
export type Trend = z.infer<typeof TrendSchema>;

/** An enrollment code as IT sees it afterwards: never the code itself (shown once at issue). */
export const EnrollmentCodeInfoSchema = z.strictObject({
  label: z.string(),
  createdAtMs: EpochMsSchema,
  expiresAtMs: EpochMsSchema,
  usedAtMs: EpochMsSchema.nullable(),
  usedByGatewayId: UuidV7Schema.nullable(),
  /** The enrolled gateway the code re-enrolls, if any. */
  forGatewayId: UuidV7Schema.nullable(),
  status: z.enum(['unused', 'used', 'expired']),
});

export const EnrollmentCodeListQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const EnrollmentCodeListSchema = z.strictObject({ items: z.array(EnrollmentCodeInfoSchema) });
