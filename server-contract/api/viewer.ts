/** What viewers ask of one recording: time ranges of its streams, decoded for display. */
import { z } from 'zod';
import { EpochMsQuerySchema, EpochMsSchema, UuidV7Schema } from './common.js';
import {
  BatteryRecordSchema,
  BeatRecordSchema,
  EventRecordSchema,
  HrRecordSchema,
  LeadNameSchema,
  MeasurementRecordSchema,
} from './streams.js';

export const RecordingIdParamsSchema = z.strictObject({ recordingId: UuidV7Schema });

/** A time range `[fromMs, toMs)`; the server caps how much one request may return. */
export const TimeRangeQuerySchema = z
  .strictObject({
    fromMs: EpochMsQuerySchema.optional(),
    toMs: EpochMsQuerySchema.optional(),
    limit: z.coerce.number().int().min(1).max(100_000).default(10_000),
  })
  .refine((q) => q.fromMs === undefined || q.toMs === undefined || q.fromMs < q.toMs, {
    message: 'fromMs must be before toMs',
    path: ['toMs'],
  });

/** At most this much ECG per segment request. */
export const MAX_ECG_SEGMENT_MS = 5 * 60_000;

export const EcgSegmentQuerySchema = z
  .strictObject({ fromMs: EpochMsQuerySchema, toMs: EpochMsQuerySchema })
  .refine((q) => q.fromMs < q.toMs && q.toMs - q.fromMs <= MAX_ECG_SEGMENT_MS, {
    message: `toMs must be after fromMs, at most ${MAX_ECG_SEGMENT_MS} ms later`,
    path: ['toMs'],
  });

/** A contiguous run of samples inside a segment (gaps split segments into runs). */
export const SampleRunSchema = z.strictObject({
  /** Time of the run's first sample. */
  startMs: z.number(),
  sampleCount: z.number().int().min(0),
  /** One array per channel, device counts. */
  channels: z.array(z.array(z.number().int())),
});

/** ECG decoded from the stored chunks for a time range: integer counts plus their scale. */
export const EcgSegmentSchema = z.strictObject({
  recordingId: UuidV7Schema,
  simulated: z.boolean(),
  sampleRateHz: z.number().positive(),
  lsbNanovolts: z.number().positive(),
  leads: z.array(LeadNameSchema),
  runs: z.array(SampleRunSchema),
  gaps: z.array(z.strictObject({ startMs: z.number(), durationMs: z.number().min(0), cause: z.string() })),
});

export const WatchSeriesQuerySchema = z.strictObject({
  series: z.enum(['hr', 'accel', 'battery']),
  fromMs: EpochMsQuerySchema.optional(),
  toMs: EpochMsQuerySchema.optional(),
  limit: z.coerce.number().int().min(1).max(100_000).default(10_000),
});

export const AccelSampleSchema = z.strictObject({
  tMs: z.number(),
  xMg: z.number().int(),
  yMg: z.number().int(),
  zMg: z.number().int(),
});

export const WatchSeriesSchema = z.discriminatedUnion('series', [
  z.strictObject({ series: z.literal('hr'), simulated: z.boolean(), items: z.array(HrRecordSchema) }),
  z.strictObject({ series: z.literal('accel'), simulated: z.boolean(), items: z.array(AccelSampleSchema) }),
  z.strictObject({
    series: z.literal('battery'),
    simulated: z.boolean(),
    items: z.array(BatteryRecordSchema),
  }),
]);

export const MeasurementTimelineSchema = z.strictObject({
  simulated: z.boolean(),
  items: z.array(MeasurementRecordSchema),
  truncated: z.boolean(),
});
export const BeatListSchema = z.strictObject({
  simulated: z.boolean(),
  items: z.array(BeatRecordSchema),
  truncated: z.boolean(),
});
export const EventListSchema = z.strictObject({
  simulated: z.boolean(),
  items: z.array(EventRecordSchema),
  truncated: z.boolean(),
});

/** Re-exported for the route table. */
export { EpochMsSchema };
