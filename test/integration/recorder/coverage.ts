/**
 * The data promise as a check: over each sampled stream's span, every moment is either a chunk's
 * sample slot (present, or inside the chunk's own gap list) or inside a recorded gap event for
 * that stream (`note` "<stream>: <cause>"); and no slot is held twice. Used by the recorder
 * tests on queue items and by the chaos harness on what the server holds.
 */
import { decodeChunk, type Chunk, type SampledChunk } from '../../../server-contract/codec/index.js';

export interface CoverageResult {
  /** Time inside a stream's span that neither data nor a recorded gap accounts for, ms. */
  uncoveredMs: number;
  /** Time held by more than one chunk of the same stream, ms. */
  duplicateMs: number;
  /** Chunk indexes that occur twice in one stream. */
  duplicateChunks: number;
  /** Holes found, for a readable failure. */
  holes: { stream: string; fromMs: number; toMs: number }[];
}

interface GapEvent {
  tMs: number;
  kind: string;
  durationMs?: number;
  note?: string;
}

type Interval = [number, number];

/** Checks decoded chunks and the recording's events (see the file comment). */
export function coverageOfChunks(chunks: Chunk[], events: GapEvent[]): CoverageResult {
  const result: CoverageResult = { uncoveredMs: 0, duplicateMs: 0, duplicateChunks: 0, holes: [] };
  const byStream = new Map<string, SampledChunk[]>();
  const seen = new Set<string>();
  for (const chunk of chunks) {
    const key = `${chunk.header.stream}#${chunk.header.chunkIndex}`;
    if (seen.has(key)) result.duplicateChunks++;
    seen.add(key);
    if (chunk.header.kind !== 'sampled') continue;
    const list = byStream.get(chunk.header.stream) ?? [];
    list.push(chunk as SampledChunk);
    byStream.set(chunk.header.stream, list);
  }
  for (const [stream, list] of byStream) {
    const rate = list[0]!.header.sampleRateHz;
    const toleranceMs = 1.5 * (1000 / rate) + 1;
    const data: Interval[] = list.map((c) => {
      const slots = c.header.sampleCount + c.header.gaps.reduce((n, g) => n + g.lengthSamples, 0);
      const start = c.header.anchorMs + (c.header.firstSampleIndex * 1000) / c.header.sampleRateHz;
      return [start, start + (slots * 1000) / c.header.sampleRateHz];
    });
    data.sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < data.length; i++) {
      const overlap = data[i - 1]![1] - data[i]![0];
      if (overlap > toleranceMs) result.duplicateMs += overlap;
    }
    const gaps: Interval[] = events
      .filter((e) => e.kind === 'gap' && (e.note ?? '').startsWith(`${stream}:`))
      .map((e) => [e.tMs, e.tMs + (e.durationMs ?? 0)]);
    const covered = union([...data, ...gaps]);
    const span: Interval = [data[0]![0], Math.max(...data.map((d) => d[1]))];
    let at = span[0];
    for (const [from, to] of covered) {
      if (from > at + toleranceMs && from < span[1]) {
        result.uncoveredMs += from - at;
        result.holes.push({ stream, fromMs: at, toMs: from });
      }
      at = Math.max(at, to);
    }
  }
  return result;
}

/** The same check on queue items (chunks as their encoded bytes). */
export function coverage(items: { kind: string; bytes: Uint8Array | null }[]): CoverageResult {
  const chunks = items
    .filter((i) => i.kind === 'chunk' && i.bytes !== null)
    .map((i) => decodeChunk(i.bytes!));
  const events = chunks
    .filter((c) => c.header.kind === 'records' && c.header.stream === 'events')
    .flatMap((c) => ('records' in c ? (c.records as unknown as GapEvent[]) : []));
  return coverageOfChunks(chunks, events);
}

function union(intervals: Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  const out: Interval[] = [];
  for (const [from, to] of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && from <= last[1]) last[1] = Math.max(last[1], to);
    else out.push([from, to]);
  }
  return out;
}
