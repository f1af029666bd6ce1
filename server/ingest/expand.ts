/**
 * Turns a decoded chunk into what the store keeps beside the blob: its time span and the rows
 * of the queryable streams (hr, accel, measurements, beats, events, battery). Records are
 * checked against the contract's record schemas; a chunk whose records do not fit its stream
 * is rejected as corrupt rather than stored half-understood.
 */
import type { z } from 'zod';
import { RECORD_SCHEMAS, SAMPLED_STREAMS, type StreamName } from '../../server-contract/api/index.js';
import { sampleRunIndex, type Chunk, type SampledChunk } from '../../server-contract/codec/index.js';
import { HttpError } from '../errors.js';
import { checkSampledHeader } from './chunk-rules.js';
import type { ExpandedRows } from '../store/store.js';

export interface ExpandedChunk {
  startMs: number;
  endMs: number;
  /** Samples per channel (sampled) or records (records). */
  sampleCount: number;
  rows: ExpandedRows;
}

const corrupt = (message: string) => new HttpError(422, 'chunk_corrupt', message);

/** Time of present sample `i` of a sampled chunk (ms, fractional). */
export function sampleTimeMs(chunk: SampledChunk, i: number): number {
  return chunk.header.anchorMs + (sampleRunIndex(chunk.header, i) * 1000) / chunk.header.sampleRateHz;
}

function sampledSpan(chunk: SampledChunk): { startMs: number; endMs: number } {
  const h = chunk.header;
  const gapSlots = h.gaps.reduce((sum, g) => sum + g.lengthSamples, 0);
  const startMs = h.anchorMs + (h.firstSampleIndex * 1000) / h.sampleRateHz;
  const endMs = h.anchorMs + ((h.firstSampleIndex + h.sampleCount + gapSlots) * 1000) / h.sampleRateHz;
  return { startMs: Math.floor(startMs), endMs: Math.max(Math.ceil(endMs), Math.floor(startMs) + 1) };
}

/** Accelerometer counts to milli-g using the channel scale (units `mg` or `g`). */
function accelRows(chunk: SampledChunk): NonNullable<ExpandedRows['accel']> {
  const { channels } = chunk.header;
  const axis = (name: string, fallback: number) => {
    const found = channels.findIndex((c) => c.name.toLowerCase() === name);
    const index = found >= 0 ? found : fallback;
    const channel = channels[index];
    const samples = chunk.samples[index];
    if (!channel || !samples) throw corrupt(`accel chunk lacks axis ${name}`);
    const unit = channel.scale.unit.toLowerCase();
    if (unit !== 'mg' && unit !== 'g')
      throw corrupt(`accel axis ${name} has unit ${channel.scale.unit}; expected mg or g`);
    return { samples, toMg: channel.scale.perCount * (unit === 'g' ? 1000 : 1) };
  };
  const [x, y, z] = [axis('x', 0), axis('y', 1), axis('z', 2)];
  const rows: NonNullable<ExpandedRows['accel']> = [];
  for (let i = 0; i < chunk.header.sampleCount; i++) {
    rows.push({
      tMs: Math.round(sampleTimeMs(chunk, i)),
      xMg: Math.round(x.samples[i]! * x.toMg),
      yMg: Math.round(y.samples[i]! * y.toMg),
      zMg: Math.round(z.samples[i]! * z.toMg),
    });
  }
  return rows;
}

function parseRecords<S extends z.ZodType>(
  schema: S,
  records: readonly unknown[],
  stream: string,
): z.output<S>[] {
  return records.map((record, i) => {
    const parsed = schema.safeParse(record);
    if (!parsed.success)
      throw corrupt(`${stream} record ${i}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    return parsed.data;
  });
}

/** An integer field's bounds, read from its schema (NaN where it names none: never plain then). */
function bounds(field: { minValue: number | null; maxValue: number | null }): [number, number] {
  return [field.minValue ?? Number.NaN, field.maxValue ?? Number.NaN];
}
const HR_FIELDS = RECORD_SCHEMAS.hr.shape;
const HR_BOUNDS = {
  tMs: bounds(HR_FIELDS.tMs),
  bpm: bounds(HR_FIELDS.bpm),
  confidence: bounds(HR_FIELDS.confidence),
};
const intIn = (v: unknown, [min, max]: [number, number]): v is number =>
  Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max;

/**
 * The hr rows when every record is one HrRecordSchema accepts as it is (exactly tMs, bpm and
 * confidence, integers in its ranges), checked without zod: a minute's 60 records cost ~0.035 ms
 * through the schema. Otherwise undefined, and the schema decides (and names the bad record).
 */
function plainHrRows(records: readonly unknown[]): NonNullable<ExpandedRows['hr']> | undefined {
  const rows: NonNullable<ExpandedRows['hr']> = [];
  for (const record of records) {
    if (typeof record !== 'object' || record === null || Object.keys(record).length !== 3) return undefined;
    const { tMs, bpm, confidence } = record as Record<string, unknown>;
    if (!intIn(tMs, HR_BOUNDS.tMs) || !intIn(bpm, HR_BOUNDS.bpm) || !intIn(confidence, HR_BOUNDS.confidence))
      return undefined;
    rows.push({ tMs, bpm, confidence });
  }
  return rows;
}

function recordRows(stream: StreamName, records: readonly unknown[]): ExpandedRows {
  switch (stream) {
    case 'hr':
      return {
        hr:
          plainHrRows(records) ??
          parseRecords(RECORD_SCHEMAS.hr, records, stream).map((r) => ({
            tMs: r.tMs,
            bpm: r.bpm,
            confidence: r.confidence,
          })),
      };
    case 'beats':
      return {
        beats: parseRecords(RECORD_SCHEMAS.beats, records, stream).map((r) => ({
          tMs: r.tMs,
          beatClass: r.beatClass,
        })),
      };
    case 'battery':
      return {
        battery: parseRecords(RECORD_SCHEMAS.battery, records, stream).map((r) => ({
          tMs: r.tMs,
          pct: r.pct,
          charging: r.charging,
        })),
      };
    case 'measurements':
      return {
        measurements: parseRecords(RECORD_SCHEMAS.measurements, records, stream).map(({ tMs, ...data }) => ({
          tMs,
          data,
        })),
      };
    case 'events':
      return {
        events: parseRecords(RECORD_SCHEMAS.events, records, stream).map(({ tMs, kind, ...data }) => ({
          tMs,
          kind,
          endMs: data.durationMs === undefined ? null : tMs + data.durationMs,
          data,
        })),
      };
    default:
      throw corrupt(`stream ${stream} does not carry records`);
  }
}

/**
 * Expands a decoded chunk of `stream` (already checked to match the upload path);
 * `recordingEcgRateHz` is the ECG rate its recording was started with (null: none named).
 */
export function expandChunk(
  stream: StreamName,
  chunk: Chunk,
  recordingEcgRateHz: number | null = null,
): ExpandedChunk {
  const sampled = SAMPLED_STREAMS.includes(stream);
  if ('samples' in chunk) {
    if (!sampled) throw corrupt(`stream ${stream} takes records chunks, got a sampled chunk`);
    const span = sampledSpan(chunk);
    checkSampledHeader(stream, chunk.header, span, recordingEcgRateHz);
    return {
      ...span,
      sampleCount: chunk.header.sampleCount,
      rows: stream === 'accel' ? { accel: accelRows(chunk) } : {},
    };
  }
  if (sampled) throw corrupt(`stream ${stream} takes sampled chunks, got a records chunk`);
  const rows = recordRows(stream, chunk.records);
  const times = chunk.records.map((r) => r.tMs);
  const startMs = times.length > 0 ? Math.min(...times) : chunk.header.anchorMs;
  const endMs = times.length > 0 ? Math.max(...times) + 1 : chunk.header.anchorMs + 1;
  return { startMs, endMs, sampleCount: chunk.records.length, rows };
}
