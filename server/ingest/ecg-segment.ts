/**
 * An ECG segment for a time range, decoded from the stored chunks: integer counts per channel
 * split into runs wherever the sample clock is not contiguous, plus the gaps the chunks record.
 */
import { LeadNameSchema, type LeadName } from '../../server-contract/api/index.js';
import { decodeChunk, type SampledChunk } from '../../server-contract/codec/index.js';
import { notFound } from '../errors.js';
import type { RecordingRecord, StoredChunk, TimeRange } from '../store/store.js';

interface Run {
  startMs: number;
  sampleCount: number;
  channels: number[][];
}

const NANOVOLTS_PER: Record<string, number> = { nv: 1, uv: 1_000, µv: 1_000, mv: 1_000_000 };

function lsbNanovolts(chunk: SampledChunk): number {
  const scale = chunk.header.channels[0]!.scale;
  const factor = NANOVOLTS_PER[scale.unit.toLowerCase()];
  if (factor === undefined) throw new Error(`stored ECG chunk has unit ${scale.unit}`);
  return scale.perCount * factor;
}

function gapsInRange(chunk: SampledChunk, range: TimeRange) {
  const h = chunk.header;
  const msPerSample = 1000 / h.sampleRateHz;
  let skipped = 0;
  const out: { startMs: number; durationMs: number; cause: string }[] = [];
  for (const gap of h.gaps) {
    const startMs = h.anchorMs + (h.firstSampleIndex + gap.atSample + skipped) * msPerSample;
    skipped += gap.lengthSamples;
    const durationMs = gap.lengthSamples * msPerSample;
    if (startMs < range.toMs && startMs + durationMs > range.fromMs)
      out.push({ startMs, durationMs, cause: gap.cause });
  }
  return out;
}

/** Decodes a stored chunk (a cache may stand in: stored chunks never change under their hash). */
export type ChunkDecoder = (stored: StoredChunk) => ReturnType<typeof decodeChunk>;

const plainDecode: ChunkDecoder = (c) => decodeChunk(c.bytes);

/** A stretch of present samples `[begin, end)` of one chunk whose run indexes are contiguous. */
interface Piece {
  begin: number;
  end: number;
  /** Run index of present sample 0 of the piece's numbering: runIndex(i) = offset + i. */
  offset: number;
}

/** The chunk's present samples split at its gaps (`sampleRunIndex` without a per-sample loop). */
function pieces(chunk: SampledChunk): Piece[] {
  const h = chunk.header;
  const out: Piece[] = [];
  let begin = 0;
  let offset = h.firstSampleIndex;
  for (const gap of h.gaps) {
    out.push({ begin, end: Math.min(gap.atSample, h.sampleCount), offset });
    begin = Math.min(gap.atSample, h.sampleCount);
    offset += gap.lengthSamples;
  }
  out.push({ begin, end: h.sampleCount, offset });
  return out.filter((p) => p.end > p.begin);
}

/** First present sample of `piece` at or after `ms` (the same float expression as the sample times). */
function firstAtOrAfter(chunk: SampledChunk, piece: Piece, ms: number): number {
  const h = chunk.header;
  const time = (i: number) => h.anchorMs + ((piece.offset + i) * 1000) / h.sampleRateHz;
  let i = Math.ceil(((ms - h.anchorMs) * h.sampleRateHz) / 1000) - piece.offset;
  i = Math.max(piece.begin, Math.min(piece.end, i));
  while (i > piece.begin && time(i - 1) >= ms) i--;
  while (i < piece.end && time(i) < ms) i++;
  return i;
}

/** Builds the segment; 404 when no ECG chunk overlaps the range. */
export function ecgSegment(
  recording: RecordingRecord,
  stored: StoredChunk[],
  range: TimeRange,
  decode: ChunkDecoder = plainDecode,
) {
  const chunks = stored.map(decode).filter((c): c is SampledChunk => 'samples' in c);
  const first = chunks[0];
  if (!first) throw notFound('ECG in this time range');
  const leads: LeadName[] = first.header.channels.map((c) => LeadNameSchema.parse(c.name));
  const runs: Run[] = [];
  const gaps = [];
  let current: Run | undefined;
  let previous: { anchorMs: number; runIndex: number } | undefined;
  for (const chunk of chunks) {
    const h = chunk.header;
    gaps.push(...gapsInRange(chunk, range));
    for (const piece of pieces(chunk)) {
      const a = firstAtOrAfter(chunk, piece, range.fromMs);
      const b = firstAtOrAfter(chunk, piece, range.toMs);
      if (b <= a) continue;
      const runIndex = piece.offset + a;
      const contiguous =
        previous !== undefined && previous.anchorMs === h.anchorMs && previous.runIndex + 1 === runIndex;
      if (!current || !contiguous) {
        current = {
          startMs: h.anchorMs + (runIndex * 1000) / h.sampleRateHz,
          sampleCount: 0,
          channels: h.channels.map(() => []),
        };
        runs.push(current);
      }
      for (let c = 0; c < chunk.samples.length; c++) {
        const part = chunk.samples[c]!.subarray(a, b);
        const into = current.channels[c]!;
        for (let k = 0; k < part.length; k++) into.push(part[k]!);
      }
      current.sampleCount += b - a;
      previous = { anchorMs: h.anchorMs, runIndex: piece.offset + b - 1 };
    }
  }
  return {
    recordingId: recording.id,
    simulated: recording.simulated,
    sampleRateHz: first.header.sampleRateHz,
    lsbNanovolts: lsbNanovolts(first),
    leads,
    runs,
    gaps,
  };
}
