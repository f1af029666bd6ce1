/**
 * The journal of open chunks: what a device delivered for a chunk that is not sealed yet, written
 * to the gateway database at least once a second (WAL, synchronous FULL), so a crash or power cut
 * loses at most the last second. Sealing builds the chunk from these rows — the same code path
 * live and after a crash — so the bytes a chunk is sealed with depend only on what was journaled.
 *
 * A sampled row is a contiguous stretch of sample sets (run indexes `firstIndex …
 * firstIndex + setCount − 1`, channel-interleaved little-endian int32 counts); a jump between rows
 * becomes one of the chunk's gaps, with the cause the later row names. A records row holds a JSON
 * array of records.
 */
import { z } from 'zod';
import {
  ChannelSchema,
  ChunkRecordSchema,
  type Chunk,
  type ChunkRecord,
  type Gap,
} from '../../server-contract/codec/index.js';
import type { GatewayDatabase } from '../queue/database.js';

/** What is constant over a sampled chunk. */
export const SampledHeaderSchema = z.strictObject({
  kind: z.literal('sampled'),
  /** The run's anchor, integer ms since the Unix epoch. */
  anchorMs: z.int(),
  sampleRateHz: z.number().positive(),
  channels: z.array(ChannelSchema).min(1),
  /** Run index of the chunk's first sample slot (a leading gap fills up to the first row). */
  firstSlot: z.int().min(0),
});
export type SampledHeader = z.infer<typeof SampledHeaderSchema>;

const RecordsHeaderSchema = z.strictObject({ kind: z.literal('records'), anchorMs: z.int() });
const HeaderSchema = z.discriminatedUnion('kind', [SampledHeaderSchema, RecordsHeaderSchema]);

export interface ChunkKey {
  recordingId: string;
  stream: string;
  chunkIndex: number;
}

interface JournalRow {
  header_json: string;
  first_index: number | null;
  set_count: number | null;
  gap_cause: string | null;
  payload: Buffer;
}

/** A journal row or chunk that cannot be read back: named, never silently skipped. */
export class JournalError extends Error {
  readonly code = 'journal_damaged';
  constructor(key: ChunkKey, detail: string) {
    super(`journal of ${key.recordingId}/${key.stream}#${key.chunkIndex} is damaged: ${detail}`);
    this.name = 'JournalError';
  }
}

/** See the file comment. Every method is synchronous and may run inside the caller's transaction. */
export class Journal {
  private readonly insert;
  private readonly select;
  private readonly remove;
  private readonly openKeys;

  constructor(db: GatewayDatabase) {
    this.insert = db.prepare(
      `INSERT INTO journal (recording_id, stream, chunk_index, header_json, first_index, set_count, gap_cause, payload)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.select = db.prepare(
      `SELECT header_json, first_index, set_count, gap_cause, payload FROM journal
       WHERE recording_id = ? AND stream = ? AND chunk_index = ? ORDER BY seq`,
    );
    this.remove = db.prepare('DELETE FROM journal WHERE recording_id = ? AND stream = ? AND chunk_index = ?');
    this.openKeys = db.prepare(
      'SELECT DISTINCT stream, chunk_index AS chunkIndex FROM journal WHERE recording_id = ? ORDER BY stream, chunk_index',
    );
  }

  /** Journals `setCount` sets (interleaved counts) starting at run index `firstIndex`. */
  appendSamples(
    key: ChunkKey,
    header: SampledHeader,
    firstIndex: number,
    setCount: number,
    counts: Int32Array,
    gapCause: string | null,
  ): void {
    const bytes = Buffer.from(counts.buffer, counts.byteOffset, setCount * header.channels.length * 4);
    this.insert.run(
      key.recordingId,
      key.stream,
      key.chunkIndex,
      JSON.stringify(header),
      firstIndex,
      setCount,
      gapCause,
      bytes,
    );
  }

  /** Journals records of a records chunk whose start time is `anchorMs`. */
  appendRecords(key: ChunkKey, anchorMs: number, records: readonly object[]): void {
    this.insert.run(
      key.recordingId,
      key.stream,
      key.chunkIndex,
      JSON.stringify({ kind: 'records', anchorMs }),
      null,
      null,
      null,
      Buffer.from(JSON.stringify(records), 'utf8'),
    );
  }

  /** Open chunks of a recording (after a crash: what must be sealed). */
  openChunks(recordingId: string): { stream: string; chunkIndex: number }[] {
    return this.openKeys.all(recordingId) as { stream: string; chunkIndex: number }[];
  }

  /** Forgets a chunk's rows (in the same transaction as enqueuing the sealed chunk). */
  discard(key: ChunkKey): void {
    this.remove.run(key.recordingId, key.stream, key.chunkIndex);
  }

  /** Builds the chunk from its rows; undefined when it has none (or only empty rows). */
  build(key: ChunkKey): Chunk | undefined {
    const rows = this.select.all(key.recordingId, key.stream, key.chunkIndex) as JournalRow[];
    if (rows.length === 0) return undefined;
    const first = parseHeader(key, rows[0]!.header_json);
    return first.kind === 'records'
      ? buildRecords(key, first.anchorMs, rows)
      : buildSampled(key, first, rows);
  }
}

function parseHeader(key: ChunkKey, json: string): z.infer<typeof HeaderSchema> {
  try {
    return HeaderSchema.parse(JSON.parse(json));
  } catch (error) {
    throw new JournalError(key, `bad header (${error instanceof Error ? error.message : String(error)})`);
  }
}

function buildRecords(key: ChunkKey, anchorMs: number, rows: JournalRow[]): Chunk | undefined {
  const records: ChunkRecord[] = [];
  for (const row of rows) {
    const parsed = z.array(ChunkRecordSchema).safeParse(JSON.parse(row.payload.toString('utf8')));
    if (!parsed.success) throw new JournalError(key, `bad records (${parsed.error.message})`);
    records.push(...parsed.data);
  }
  if (records.length === 0) return undefined;
  records.sort((a, b) => a.tMs - b.tMs);
  return {
    header: {
      kind: 'records',
      recordingId: key.recordingId,
      stream: key.stream,
      chunkIndex: key.chunkIndex,
      anchorMs,
      recordCount: records.length,
    },
    records,
  };
}

function buildSampled(key: ChunkKey, header: SampledHeader, rows: JournalRow[]): Chunk | undefined {
  const channelCount = header.channels.length;
  const gaps: Gap[] = [];
  const parts: { counts: Int32Array; skip: number; sets: number }[] = [];
  let slot = header.firstSlot;
  let present = 0;
  for (const row of rows) {
    if (
      row.first_index === null ||
      row.set_count === null ||
      row.payload.length !== row.set_count * channelCount * 4
    )
      throw new JournalError(key, 'a sample row does not match its header');
    const counts = new Int32Array(
      row.payload.buffer.slice(row.payload.byteOffset, row.payload.byteOffset + row.payload.length),
    );
    // Sets already present (a device repeating itself) are kept once, the first time.
    const skip = Math.max(0, slot - row.first_index);
    const sets = row.set_count - skip;
    if (sets <= 0) continue;
    if (row.first_index > slot) {
      const length = row.first_index - slot;
      const last = gaps[gaps.length - 1];
      if (last !== undefined && last.atSample === present) last.lengthSamples += length;
      else gaps.push({ atSample: present, lengthSamples: length, cause: row.gap_cause ?? 'frames_lost' });
    }
    parts.push({ counts, skip, sets });
    present += sets;
    slot = row.first_index + skip + sets;
  }
  if (present === 0) return undefined;
  const samples = header.channels.map(() => new Int32Array(present));
  let at = 0;
  for (const part of parts) {
    for (let s = 0; s < part.sets; s++) {
      const base = (part.skip + s) * channelCount;
      for (let c = 0; c < channelCount; c++) samples[c]![at + s] = part.counts[base + c]!;
    }
    at += part.sets;
  }
  return {
    header: {
      kind: 'sampled',
      recordingId: key.recordingId,
      stream: key.stream,
      chunkIndex: key.chunkIndex,
      anchorMs: header.anchorMs,
      firstSampleIndex: header.firstSlot,
      sampleRateHz: header.sampleRateHz,
      channels: header.channels,
      sampleCount: present,
      gaps,
    },
    samples,
  };
}
