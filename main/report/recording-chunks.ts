/**
 * A recording as its sealed chunks in the gateway's queue hold it: the report is made from these
 * (the bytes that are, or will be, on the server), never from the live buffers. ECG chunks are
 * indexed by their headers and decoded only where a window needs them; the records streams
 * (beats, measurements, events, hr) are small and decoded whole, each record validated.
 */
import type { z } from 'zod';
import { ACQUIRED_LEADS, RECORD_SCHEMAS } from '../../server-contract/api/streams.js';
import {
  decodeChunk,
  decodeChunkHeader,
  isSampledChunk,
  type SampledChunkHeader,
} from '../../server-contract/codec/index.js';
import type { UploadQueue } from '../queue/upload-queue.js';
import { ReportError } from './report-errors.js';

type RecordStream = keyof typeof RECORD_SCHEMAS;
export type RecordOf<S extends RecordStream> = z.infer<(typeof RECORD_SCHEMAS)[S]>;

/** Where one sealed ECG chunk has signal: its present samples as time ranges [startMs, endMs). */
export interface EcgChunkSpan {
  itemId: number;
  chunkIndex: number;
  header: SampledChunkHeader;
  /** Present-sample stretches (between the chunk's gaps), ms; end = last sample + one period. */
  present: [number, number][];
}

/** The acquired channels (I, II, V1–V6) of a window, µV; NaN where no sample was recorded. */
export interface EcgWindow {
  startMs: number;
  sampleRateHz: number;
  channelsUv: Float64Array[];
}

/** How many decoded ECG chunks are kept while windows are read (a window spans at most a few). */
const DECODED_CACHE = 4;

/** See the file comment. */
export class RecordingChunks {
  private readonly decoded = new Map<number, Int32Array[]>();

  private constructor(
    private readonly queue: UploadQueue,
    /** ECG chunks in index order. */
    readonly ecg: readonly EcgChunkSpan[],
    private readonly itemsByStream: ReadonlyMap<string, readonly number[]>,
  ) {}

  /**
   * Indexes the recording's chunks. `sealedChunks` is what the recorder sealed per stream: a
   * stream with fewer chunks here (pruned after upload, or lost) is refused, not half-printed.
   */
  static open(
    queue: UploadQueue,
    recordingId: string,
    sealedChunks: Readonly<Record<string, number>>,
  ): RecordingChunks {
    const byStream = new Map<string, { id: number; index: number }[]>();
    for (const item of queue.itemsOfRecording(recordingId)) {
      if (item.kind !== 'chunk' || item.stream === null || item.chunkIndex === null) continue;
      const list = byStream.get(item.stream) ?? [];
      list.push({ id: item.id, index: item.chunkIndex });
      byStream.set(item.stream, list);
    }
    for (const [stream, expected] of Object.entries(sealedChunks)) {
      const held = new Set((byStream.get(stream) ?? []).map((c) => c.index));
      let missing = 0;
      for (let i = 0; i < expected; i++) if (!held.has(i)) missing++;
      if (missing > 0)
        throw new ReportError(
          'signal_unavailable',
          `${missing} of ${expected} ${stream} chunks of this recording are no longer on this gateway (removed after upload); a report needs all of them.`,
        );
    }
    const ecgItems = (byStream.get('ecg') ?? []).sort((a, b) => a.index - b.index);
    const ecg = ecgItems.map((c) => ecgSpan(queue, c.id, c.index));
    const records = new Map(
      [...byStream].map(([s, list]) => [s, list.sort((a, b) => a.index - b.index).map((c) => c.id)]),
    );
    const chunks = new RecordingChunks(queue, ecg, records);
    chunks.checkEcgLayout();
    return chunks;
  }

  /** Every valid record of a records stream, in time order. */
  records<S extends RecordStream>(stream: S): RecordOf<S>[] {
    const out: RecordOf<S>[] = [];
    for (const id of this.itemsByStream.get(stream) ?? []) {
      const chunk = readChunk(this.queue, id);
      if (isSampledChunk(chunk)) continue;
      for (const record of chunk.records) {
        const parsed = RECORD_SCHEMAS[stream].safeParse(record);
        if (parsed.success) out.push(parsed.data as RecordOf<S>);
      }
    }
    return out.sort((a, b) => a.tMs - b.tMs);
  }

  /** First and last instant with ECG, ms, or null when the recording has none. */
  ecgExtent(): { startMs: number; endMs: number } | null {
    const stretches = this.ecg.flatMap((c) => c.present);
    if (stretches.length === 0) return null;
    return {
      startMs: Math.min(...stretches.map((s) => s[0])),
      endMs: Math.max(...stretches.map((s) => s[1])),
    };
  }

  /** Holes in the ECG between `fromMs` and `toMs` (gaps inside and between chunks), as [start, end). */
  ecgHoles(fromMs: number, toMs: number): [number, number][] {
    const stretches = this.ecg.flatMap((c) => c.present).sort((a, b) => a[0] - b[0]);
    const holes: [number, number][] = [];
    let covered = fromMs;
    for (const [s, e] of stretches) {
      if (s > covered + 1 && s < toMs) holes.push([covered, Math.min(s, toMs)]);
      covered = Math.max(covered, e);
    }
    if (covered + 1 < toMs) holes.push([covered, toMs]);
    return holes;
  }

  /** The sample rate of the ECG around `atMs` (the chunk holding it, else the last chunk). */
  rateAt(atMs: number): number {
    const chunk = this.ecg.find((c) => c.present.some(([s, e]) => s <= atMs && atMs < e)) ?? this.ecg.at(-1);
    if (chunk === undefined) throw new ReportError('signal_unavailable', 'This recording has no ECG.');
    return chunk.header.sampleRateHz;
  }

  /**
   * The acquired channels over `sampleCount` samples at `sampleRateHz` from `startMs`, µV. A
   * recorded sample lands on the nearest slot; slots with none stay NaN (gaps are never filled).
   */
  readEcg(startMs: number, sampleRateHz: number, sampleCount: number): EcgWindow {
    const channelsUv = ACQUIRED_LEADS.map(() => new Float64Array(sampleCount).fill(Number.NaN));
    const endMs = startMs + (sampleCount * 1000) / sampleRateHz;
    for (const span of this.ecg) {
      if (!span.present.some(([s, e]) => s < endMs && e > startMs)) continue;
      const samples = this.samplesOf(span);
      const h = span.header;
      const scales = h.channels.map((c) => c.scale.perCount / 1000);
      let gap = 0;
      let runIndex = h.firstSampleIndex;
      for (let i = 0; i < h.sampleCount; i++, runIndex++) {
        while (gap < h.gaps.length && h.gaps[gap]!.atSample === i) runIndex += h.gaps[gap++]!.lengthSamples;
        const t = h.anchorMs + (runIndex * 1000) / h.sampleRateHz;
        const k = Math.round(((t - startMs) * sampleRateHz) / 1000);
        if (k < 0 || k >= sampleCount) continue;
        for (let c = 0; c < channelsUv.length; c++) channelsUv[c]![k] = samples[c]![i]! * scales[c]!;
      }
    }
    return { startMs, sampleRateHz, channelsUv };
  }

  private samplesOf(span: EcgChunkSpan): Int32Array[] {
    const cached = this.decoded.get(span.itemId);
    if (cached !== undefined) return cached;
    const chunk = readChunk(this.queue, span.itemId);
    if (!isSampledChunk(chunk)) throw invalid(`ECG chunk ${span.chunkIndex} is not sampled`);
    if (this.decoded.size >= DECODED_CACHE) this.decoded.delete(this.decoded.keys().next().value!);
    this.decoded.set(span.itemId, chunk.samples);
    return chunk.samples;
  }

  private checkEcgLayout(): void {
    for (const span of this.ecg) {
      const names = span.header.channels.map((c) => c.name);
      if (names.length !== ACQUIRED_LEADS.length || names.some((n, i) => n !== ACQUIRED_LEADS[i]))
        throw invalid(
          `ECG chunk ${span.chunkIndex} holds ${names.join(', ')}, not the unit's ${ACQUIRED_LEADS.join(', ')}`,
        );
    }
  }
}

function invalid(detail: string): ReportError {
  return new ReportError('signal_invalid', `The recording's ECG cannot be printed: ${detail}.`);
}

/** A queue item's bytes, decoded; a damaged item or chunk is a clear error, not a crash. */
function readChunk(queue: UploadQueue, itemId: number) {
  try {
    const bytes = queue.get(itemId).bytes;
    if (bytes === null) throw new Error('no bytes stored');
    return decodeChunk(bytes);
  } catch (error) {
    throw new ReportError(
      'signal_unavailable',
      `A chunk of this recording cannot be read (queue item ${itemId}): ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

function ecgSpan(queue: UploadQueue, itemId: number, chunkIndex: number): EcgChunkSpan {
  let header;
  try {
    const bytes = queue.get(itemId).bytes;
    if (bytes === null) throw new Error('no bytes stored');
    header = decodeChunkHeader(bytes);
  } catch (error) {
    throw new ReportError(
      'signal_unavailable',
      `ECG chunk ${chunkIndex} of this recording cannot be read: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (header.kind !== 'sampled') throw invalid(`ECG chunk ${chunkIndex} is not sampled`);
  return { itemId, chunkIndex, header, present: presentStretches(header) };
}

/** The chunk's present samples as time stretches, split at its gaps. */
export function presentStretches(h: SampledChunkHeader): [number, number][] {
  const periodMs = 1000 / h.sampleRateHz;
  const out: [number, number][] = [];
  let runIndex = h.firstSampleIndex;
  let at = 0;
  const close = (count: number) => {
    if (count > 0) out.push([h.anchorMs + runIndex * periodMs, h.anchorMs + (runIndex + count) * periodMs]);
    runIndex += count;
  };
  for (const gap of h.gaps) {
    close(gap.atSample - at);
    at = gap.atSample;
    runIndex += gap.lengthSamples;
  }
  close(h.sampleCount - at);
  return out;
}
