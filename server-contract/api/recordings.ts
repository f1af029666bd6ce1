/** Recordings, their streams and the chunk bookkeeping that makes "missing" well defined. */
import { z } from 'zod';
import { EpochMsSchema, LabelSchema, StreamNameSchema, UuidV7Schema } from './common.js';
import { LeadNameSchema } from './streams.js';

/** An operator is the gateway's own (UUID and name), stored as the gateway sends it. */
export const OperatorSchema = z.strictObject({ id: UuidV7Schema, name: LabelSchema });

export const DeviceKindSchema = z.enum(['ecg12', 'bangle', 'hrs']);

/** A device that contributed to a recording. */
export const RecordingDeviceSchema = z.strictObject({
  kind: DeviceKindSchema,
  /** Serial number (ECG-12) or BLE address (watch). */
  serial: z.string().min(1).max(64),
  name: z.string().max(64).optional(),
  firmware: z.string().max(32).optional(),
  /** True for the project's simulators. */
  simulated: z.boolean(),
});

/** A named algorithm and its version, e.g. the QRS detector. */
const AlgorithmVersionSchema = z.strictObject({
  name: z.string().min(1).max(64),
  version: z.string().min(1).max(32),
});

/**
 * What processed a recording on the gateway, carried into every export as provenance: the
 * gateway software version, the beat detector and measurement versions, and the filters of the
 * displayed and measured signal (the stored samples are the device's, unfiltered).
 */
export const RecordingProcessingSchema = z.strictObject({
  softwareVersion: z.string().min(1).max(32),
  detector: AlgorithmVersionSchema.optional(),
  measurements: AlgorithmVersionSchema.optional(),
  filters: z
    .strictObject({
      highPassHz: z.number().positive().max(100).optional(),
      lowPassHz: z.number().positive().max(10_000).optional(),
      notchHz: z.union([z.literal(50), z.literal(60)]).optional(),
    })
    .optional(),
});
export type RecordingProcessing = z.infer<typeof RecordingProcessingSchema>;

export const CreateRecordingSchema = z.strictObject({
  id: UuidV7Schema,
  patientId: UuidV7Schema,
  operator: OperatorSchema,
  devices: z.array(RecordingDeviceSchema).max(8),
  /** True when any device is simulated: flagged in every view, export and report. */
  simulated: z.boolean(),
  startedAtMs: EpochMsSchema,
  /** ECG sampling rate (Hz) when an ECG unit is part of the recording. */
  ecgSampleRateHz: z.number().positive().max(10_000).optional(),
  mainsHz: z.union([z.literal(50), z.literal(60)]).optional(),
  /** Processing provenance (optional: older gateways do not send it). */
  processing: RecordingProcessingSchema.optional(),
});
export type CreateRecording = z.infer<typeof CreateRecordingSchema>;

/** Totals of a finished recording. Null where not measured (e.g. no ECG). */
export const RecordingSummarySchema = z.strictObject({
  durationMs: z.number().int().min(0),
  beats: z.number().int().min(0).nullable(),
  meanHeartRateBpm: z.number().min(0).max(400).nullable(),
  pvcCount: z.number().int().min(0).nullable(),
  pacCount: z.number().int().min(0).nullable(),
  /** Share of the recording with usable ECG, 0–100. */
  signalQualityPct: z.number().min(0).max(100).nullable(),
  gapCount: z.number().int().min(0),
  gapMs: z.number().int().min(0),
  hrReadings: z.number().int().min(0),
  accelSamples: z.number().int().min(0),
  /** Lowest and highest heart rate of the 2-s measurements (10-s windows), bpm. */
  minHeartRateBpm: z.number().min(0).max(400).nullable().optional(),
  maxHeartRateBpm: z.number().min(0).max(400).nullable().optional(),
  /**
   * Arrest rhythms computed from the ECG: ventricular flutter/fibrillation and asystole episodes
   * begun or ended in the recording, and their total length, ms (one still going on when the
   * recording ended counts up to the end). Absent without ECG, and in summaries made before they
   * were counted.
   */
  vfEpisodes: z.number().int().min(0).optional(),
  vfMs: z.number().int().min(0).optional(),
  asystoleEpisodes: z.number().int().min(0).optional(),
  asystoleMs: z.number().int().min(0).optional(),
  /**
   * Runs of three or more ventricular beats (ventricular tachycardia, idioventricular rhythm)
   * begun or ended in the recording. Absent without ECG, and in summaries made before they were
   * counted.
   */
  ventricularRuns: z.number().int().min(0).optional(),
  /** Runs of three or more supraventricular ectopic beats, counted as `ventricularRuns` are. */
  supraventricularRuns: z.number().int().min(0).optional(),
  /** Share of the ECG time each lead was rated good, 0–100. */
  goodSignalPctByLead: z.partialRecord(LeadNameSchema, z.number().min(0).max(100)).optional(),
  /** Why the recording ended: `stopped` by staff, `gateway_restarted`, `disk_quota`, … */
  endReason: z.string().max(64).optional(),
});
export type RecordingSummary = z.infer<typeof RecordingSummarySchema>;

/** Each stream's final chunk count: chunks `0 … count-1` make the stream complete. */
export const FinalChunkCountsSchema = z.partialRecord(
  StreamNameSchema,
  z.number().int().min(0).max(10_000_000),
);

export const EndRecordingSchema = z.strictObject({
  endedAtMs: EpochMsSchema,
  finalChunkCounts: FinalChunkCountsSchema,
  summary: RecordingSummarySchema,
});

export const RecordingStatusSchema = z.enum(['recording', 'ended', 'voided']);

/** Chunks a stream has and lacks on the server. */
export const StreamChunksSchema = z.strictObject({
  stream: StreamNameSchema,
  received: z.number().int().min(0),
  /** The final count from the recording-end message; null while recording. */
  finalCount: z.number().int().min(0).nullable(),
  /** Received indexes as inclusive ranges `[first, last]`, ascending. */
  have: z.array(z.tuple([z.number().int().min(0), z.number().int().min(0)])),
  /** Missing indexes below the final count (or below the highest received), as ranges. */
  missing: z.array(z.tuple([z.number().int().min(0), z.number().int().min(0)])),
});

export const RecordingChunksSchema = z.strictObject({
  recordingId: UuidV7Schema,
  complete: z.boolean(),
  streams: z.array(StreamChunksSchema),
});

export const RecordingSchema = z.strictObject({
  id: UuidV7Schema,
  patientId: UuidV7Schema,
  studyCode: z.string(),
  gatewayId: UuidV7Schema,
  /** The gateway's name as enrolled (null when it is no longer known). */
  gatewayName: z.string().nullable().optional(),
  operator: OperatorSchema,
  devices: z.array(RecordingDeviceSchema),
  simulated: z.boolean(),
  status: RecordingStatusSchema,
  startedAtMs: EpochMsSchema,
  endedAtMs: EpochMsSchema.nullable(),
  ecgSampleRateHz: z.number().nullable(),
  summary: RecordingSummarySchema.nullable(),
  chunksExpected: z.number().int().min(0).nullable(),
  chunksReceived: z.number().int().min(0),
  voidReason: z.string().nullable(),
});
export type Recording = z.infer<typeof RecordingSchema>;

export const RecordingListQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
  patientId: UuidV7Schema.optional(),
  gatewayId: UuidV7Schema.optional(),
  status: RecordingStatusSchema.optional(),
});

/** Moves a recording made under the wrong patient (audited). */
export const ReassignRecordingSchema = z.strictObject({
  patientId: UuidV7Schema,
  reason: z.string().trim().min(3).max(500),
});

/** Voids a recording: kept, but excluded from exports and marked in every view (audited). */
export const VoidRecordingSchema = z.strictObject({ reason: z.string().trim().min(3).max(500) });

/** Path parameters of a chunk upload. */
export const ChunkPathSchema = z.strictObject({
  recordingId: UuidV7Schema,
  stream: StreamNameSchema,
  index: z.coerce.number().int().min(0).max(10_000_000),
});

/** Header carrying the SHA-256 (hex) of the uploaded chunk bytes. */
export const CHUNK_SHA256_HEADER = 'x-chunk-sha256';

/** Chunk upload limits: a 60-s 8-channel 1000 Hz chunk is well under this. */
export const MAX_CHUNK_BYTES = 8 * 1024 * 1024;

/** Longest ECG chunk a gateway may seal, seconds (the research group's 1-hour chunks are for the watch streams). */
export const MAX_ECG_CHUNK_SECONDS = 600;

/**
 * Most samples (summed over channels) one uploaded chunk may decode to: 10 minutes of 8 channels
 * at 1000 Hz is 4.8 M. A few bytes of a flat channel can claim millions of samples, so the server
 * decodes with this bound rather than the codec's general default.
 */
export const MAX_CHUNK_SAMPLES = 8 * 1024 * 1024;

/**
 * Largest records JSON (inflated) one uploaded records chunk may carry: an hour of HR records
 * is ~100 KB. The inflate and the canonical re-deflate cost CPU in proportion to it.
 */
export const MAX_RECORDS_JSON_BYTES = 4 * 1024 * 1024;

/**
 * Largest inflate ratio of an uploaded records chunk: constant records compress ~340× at deflate
 * level 9, a block of zeros (an inflate bomb) ~1030×.
 */
export const MAX_RECORDS_INFLATE_RATIO = 512;

export const ChunkAckSchema = z.strictObject({
  recordingId: UuidV7Schema,
  stream: StreamNameSchema,
  index: z.number().int().min(0),
  sha256: z.string(),
  /** False when the server already had this exact chunk (an idempotent repeat). */
  stored: z.boolean(),
});
