/**
 * Zod schemas of the chunk header and chunk contents; the types are `z.infer` of them.
 *
 * A chunk is either *sampled* (fixed-rate integer channels: `ecg`, `accel`, `ppg`) or *records*
 * (timestamped structured records: `beats`, `measurements`, `events`, `hr`, `battery`). See
 * DESIGN.md, "Data model and flow".
 */
import { z } from 'zod';
import { isWellFormedUtf16, utf8Encode } from './utf8.js';

/** Largest magnitude accepted for epoch-millisecond times (2^50 ms is about 35,000 years). */
export const MAX_TIME_MS = 2 ** 50;

/** Largest accepted byte length of a UTF-8 string field (stream, channel name, unit, gap cause). */
export const MAX_STRING_BYTES = 64;

/** Deepest nesting of arrays/objects inside one record's fields (deeper records are rejected). */
export const MAX_RECORD_NESTING = 16;

/** Stream names of sampled streams known to the product (the codec accepts any valid stream name). */
export const SAMPLED_STREAMS = ['ecg', 'accel', 'ppg'] as const;

/** Stream names of records streams known to the product (the codec accepts any valid stream name). */
export const RECORD_STREAMS = ['beats', 'measurements', 'events', 'hr', 'battery'] as const;

/** Lower-case, hyphenated UUID text (any 128-bit value; the codec stores the 16 bytes). */
export const RecordingIdSchema = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'lower-case hyphenated UUID');

/** A stream name: lower-case letter, then up to 31 lower-case letters, digits or `_`. */
export const StreamNameSchema = z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, 'stream name');

/** UTC epoch milliseconds, an integer with |t| ≤ {@link MAX_TIME_MS}. */
export const EpochMsSchema = z.int().min(-MAX_TIME_MS).max(MAX_TIME_MS);

const shortText = z
  .string()
  .min(1)
  .refine(isWellFormedUtf16, 'no lone surrogates')
  .refine(
    (s) => isWellFormedUtf16(s) && utf8Encode(s).length <= MAX_STRING_BYTES,
    `at most ${MAX_STRING_BYTES} UTF-8 bytes`,
  );

/**
 * How to turn a channel's integer counts into a physical value: `value = count × perCount` in `unit`.
 * ECG: `{ unit: 'nV', perCount: 476.84 }` (the device's `lsbNanovolts`); accelerometer: `{ unit: 'mg', perCount: 1 }`.
 */
export const ChannelScaleSchema = z.object({
  unit: shortText,
  perCount: z.number().refine((v) => Number.isFinite(v) && v !== 0, 'finite and non-zero'),
});

/** One channel of a sampled chunk: its name (`I`, `II`, `V1`, …, `x`) and scale. */
export const ChannelSchema = z.object({ name: shortText, scale: ChannelScaleSchema });

/**
 * A gap inside a sampled chunk: samples the run's clock says should exist but were never received
 * (lost frames, device buffer overrun, …). Gaps are recorded, never filled: the missing samples are
 * simply absent from the data and no placeholder value is stored.
 *
 * `atSample` counts *present* samples: the gap lies between present sample `atSample - 1` and present
 * sample `atSample` of the chunk (`atSample = 0`: before the first present sample; `atSample =
 * sampleCount`: after the last one). `lengthSamples` (≥ 1) is the number of missing sample slots of
 * the run's index space. Consequently present sample `i` has run index
 * `firstSampleIndex + i + Σ lengthSamples of gaps with atSample ≤ i`, and its time is
 * `anchorMs + runIndex × 1000 / sampleRateHz` (see {@link sampleRunIndex}). Gaps are listed in
 * strictly increasing `atSample` order (adjacent gaps with different causes cannot share an offset:
 * merge them and name the first cause). `cause` is a short machine word such as `frames_lost`,
 * `device_disconnected`, `gateway_down`.
 */
export const GapSchema = z.object({
  atSample: z.int().min(0),
  lengthSamples: z.int().min(1).max(Number.MAX_SAFE_INTEGER),
  cause: shortText,
});

const commonHeaderShape = {
  /** The recording's UUID (v7 from the gateway; any 128-bit value is stored). */
  recordingId: RecordingIdSchema,
  /** Stream name, e.g. `ecg`, `beats`. */
  stream: StreamNameSchema,
  /** Index of this chunk in its (recording, stream): 0, 1, 2, … without holes. */
  chunkIndex: z
    .int()
    .min(0)
    .max(2 ** 32 - 1),
  /** Sampled: the run's anchor time (UTC epoch ms of run sample 0). Records: the chunk's start time. */
  anchorMs: EpochMsSchema,
};

/** Header of a sampled chunk. Invariant: gaps sorted by strictly increasing `atSample` ≤ `sampleCount`. */
export const SampledChunkHeaderSchema = z
  .object({
    kind: z.literal('sampled'),
    ...commonHeaderShape,
    /** Run index of the chunk's first sample slot (a leading gap, `atSample = 0`, comes before it is used). */
    firstSampleIndex: z.int().min(0).max(Number.MAX_SAFE_INTEGER),
    /** Sample rate in Hz (a number, not necessarily an integer: 12.5 Hz is 80 ms). */
    sampleRateHz: z.number().refine((v) => Number.isFinite(v) && v > 0 && v <= 1e9, 'finite, > 0, ≤ 1e9'),
    /** The channels, in the order of `samples`. At least one. */
    channels: z.array(ChannelSchema).min(1).max(255),
    /** Number of present samples per channel. */
    sampleCount: z
      .int()
      .min(0)
      .max(2 ** 32 - 1),
    /** Gaps inside the chunk (see {@link GapSchema}). */
    gaps: z.array(GapSchema),
  })
  .superRefine((h, ctx) => {
    let previous = -1;
    for (const [i, gap] of h.gaps.entries()) {
      if (gap.atSample <= previous || gap.atSample > h.sampleCount) {
        ctx.addIssue({
          code: 'custom',
          path: ['gaps', i, 'atSample'],
          message: 'gaps must be strictly increasing and ≤ sampleCount',
        });
      }
      previous = gap.atSample;
    }
  });

/** Header of a records chunk. */
export const RecordsChunkHeaderSchema = z.object({
  kind: z.literal('records'),
  ...commonHeaderShape,
  /** Number of records in the chunk. */
  recordCount: z
    .int()
    .min(0)
    .max(2 ** 32 - 1),
});

/** Header of either kind of chunk (what `decodeChunkHeader` returns). */
export const ChunkHeaderSchema = z.discriminatedUnion('kind', [
  SampledChunkHeaderSchema,
  RecordsChunkHeaderSchema,
]);

/**
 * One timestamped record: `tMs` (UTC epoch ms) plus any JSON-serialisable fields, e.g. a beat
 * `{ tMs, beatClass: 'N' }` (see BeatRecordSchema in api/streams.ts). Numbers must be finite (JSON has no NaN); `-0` decodes as `0`; arrays and
 * objects nest at most {@link MAX_RECORD_NESTING} levels; a key `tMs` is the time, never a field.
 */
export const ChunkRecordSchema = z.looseObject({ tMs: EpochMsSchema }).catchall(z.json());

/** A sampled chunk: header plus one Int32Array of `sampleCount` device counts per channel. */
export const SampledChunkSchema = z.object({
  header: SampledChunkHeaderSchema,
  samples: z.array(z.custom<Int32Array>((v) => v instanceof Int32Array, 'Int32Array of device counts')),
});

/** A records chunk: header plus `recordCount` records. */
export const RecordsChunkSchema = z.object({
  header: RecordsChunkHeaderSchema,
  records: z.array(ChunkRecordSchema),
});

/** Either kind of chunk: what `encodeChunk` takes and `decodeChunk` returns. */
export const ChunkSchema = z.union([SampledChunkSchema, RecordsChunkSchema]);

export type ChannelScale = z.infer<typeof ChannelScaleSchema>;
export type Channel = z.infer<typeof ChannelSchema>;
export type Gap = z.infer<typeof GapSchema>;
export type SampledChunkHeader = z.infer<typeof SampledChunkHeaderSchema>;
export type RecordsChunkHeader = z.infer<typeof RecordsChunkHeaderSchema>;
export type ChunkHeader = z.infer<typeof ChunkHeaderSchema>;
export type ChunkRecord = z.infer<typeof ChunkRecordSchema>;
export type SampledChunk = z.infer<typeof SampledChunkSchema>;
export type RecordsChunk = z.infer<typeof RecordsChunkSchema>;
export type Chunk = z.infer<typeof ChunkSchema>;

/** Limits `decodeChunk` enforces before allocating; exceeding one throws `too_large`. */
export const DecodeLimitsSchema = z.object({
  /** Largest accepted input, bytes. Default 64 MiB. */
  maxBytes: z
    .int()
    .min(0)
    .default(64 * 1024 * 1024),
  /** Largest accepted samples per chunk summed over channels. Default 16 Mi (one hour of 8 × 500 Hz is 14.4 M). */
  maxSamples: z
    .int()
    .min(0)
    .default(16 * 1024 * 1024),
  /** Largest accepted number of records. Default 1 Mi. */
  maxRecords: z
    .int()
    .min(0)
    .default(1024 * 1024),
  /** Largest accepted size of the records' inflated JSON, bytes. Default 64 MiB. */
  maxRecordsJsonBytes: z
    .int()
    .min(0)
    .default(64 * 1024 * 1024),
  /**
   * Largest accepted ratio of the records' inflated JSON to their deflated size. Default 2048
   * (above deflate's own limit of about 1032, so no bound); an inflate bomb is ~1000.
   */
  maxRecordsInflateRatio: z.number().min(1).default(2048),
});

/** Caller-supplied limits (every field optional). */
export type DecodeLimits = z.input<typeof DecodeLimitsSchema>;

/** Limits with defaults applied. */
export type ResolvedDecodeLimits = z.output<typeof DecodeLimitsSchema>;

/**
 * Run index of present sample `i` of a sampled chunk, honouring the gaps (see {@link GapSchema}).
 * The sample's time is `header.anchorMs + sampleRunIndex(header, i) * 1000 / header.sampleRateHz`.
 */
export function sampleRunIndex(header: SampledChunkHeader, i: number): number {
  let index = header.firstSampleIndex + i;
  for (const gap of header.gaps) {
    if (gap.atSample > i) break;
    index += gap.lengthSamples;
  }
  return index;
}

/**
 * UTC epoch time (ms, fractional) of present sample `i`: `anchorMs + runIndex × 1000 / sampleRateHz`,
 * computed from the run index, never accumulated from rounded chunk start times (DESIGN.md).
 */
export function sampleTimeMs(header: SampledChunkHeader, i: number): number {
  return header.anchorMs + (sampleRunIndex(header, i) * 1000) / header.sampleRateHz;
}

/** Narrows a decoded chunk to a sampled chunk. */
export function isSampledChunk(chunk: Chunk): chunk is SampledChunk {
  return chunk.header.kind === 'sampled';
}

/** Narrows a decoded chunk to a records chunk. */
export function isRecordsChunk(chunk: Chunk): chunk is RecordsChunk {
  return chunk.header.kind === 'records';
}
