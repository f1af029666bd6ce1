/**
 * A recording's ECG as the exports see it: the stored chunks, read page by page, placed on one
 * sample grid (frame 0 = the first exported sample; frame n at `t0Ms + n × 1000 / rate`), with
 * the 12 leads derived as exact integers (`server-contract/formats/ecg-leads.ts`).
 *
 * Two passes over the store: `ecgLayout` reads only chunk headers and says how many frames the
 * export has and where the gaps are (the file headers need it first); `ecgBlocks` then decodes
 * the chunks one at a time. Both place samples with the same `Placer`, so they agree exactly.
 * Memory is one page of chunks, whatever the recording's length.
 */
import {
  ChunkDecodeError,
  decodeChunk,
  decodeChunkHeader,
  SampleDecodeScratch,
  type SampledChunkHeader,
} from '../../server-contract/codec/index.js';
import { MAX_CHUNK_BYTES, MAX_CHUNK_SAMPLES } from '../../server-contract/api/index.js';
import {
  EXPORT_LEADS,
  checkAcquiredLeads,
  deriveExportLeads,
} from '../../server-contract/formats/ecg-leads.js';
import { HttpError } from '../errors.js';
import type { Store, TimeRange } from '../store/store.js';

/** Chunks read from the store per query (60-s chunks: 8 minutes of ECG). */
const PAGE_CHUNKS = 8;
/** Pass 1 reads only the head of each chunk, in larger pages. */
const HEAD_PAGE_CHUNKS = 64;
const HEAD_BYTES = 4096;
const LIMITS = { maxBytes: MAX_CHUNK_BYTES, maxSamples: MAX_CHUNK_SAMPLES };
const NANOVOLTS_PER: Record<string, number> = { nv: 1, uv: 1_000, µv: 1_000, mv: 1_000_000 };

/** Where the exported frames are. `present` lists `[start, end)` frame ranges with samples. */
export interface EcgLayout {
  sampleRateHz: number;
  /** Nanovolts per acquired count. */
  lsbNanovolts: number;
  /** Time of frame 0 (UTC epoch ms, fractional). */
  t0Ms: number;
  frameCount: number;
  present: [number, number][];
  presentFrames: number;
  /** Samples dropped because they overlapped earlier ones (a clock step between runs). */
  overlapFrames: number;
}

/** A contiguous block of frames: `leads[l][k]` is frame `startFrame + k` of lead l. */
export interface EcgBlock {
  startFrame: number;
  length: number;
  leads: Int32Array[];
  /** True for a block of fill values standing for missing frames (from {@link ecgFrames}). */
  gap?: boolean;
}

interface Segment {
  /** Present samples `[i0, i1)` of the chunk. */
  i0: number;
  i1: number;
  frame0: number;
}

/** Places chunk samples on the grid, clipping to the range and dropping overlaps; stateful. */
class Placer {
  t0Ms: number | undefined;
  nextFrame = 0;
  overlapFrames = 0;
  rateHz: number | undefined;
  lsbNanovolts = 0;

  constructor(private readonly range: TimeRange) {}

  place(h: SampledChunkHeader): Segment[] {
    this.check(h);
    const rate = h.sampleRateHz;
    const out: Segment[] = [];
    let i = 0;
    let skipped = 0;
    const bounds = [...h.gaps.map((g) => g.atSample), h.sampleCount];
    for (let g = 0; g <= h.gaps.length; g++) {
      const end = Math.min(bounds[g]!, h.sampleCount);
      if (end > i) out.push(...this.clip(h, i, end, h.firstSampleIndex + i + skipped, rate));
      i = Math.max(i, end);
      skipped += h.gaps[g]?.lengthSamples ?? 0;
    }
    return out;
  }

  private clip(h: SampledChunkHeader, i0: number, i1: number, run0: number, rate: number): Segment[] {
    const timeOf = (i: number) => h.anchorMs + ((run0 + i - i0) * 1000) / rate;
    let a = i0;
    let b = i1;
    while (a < b && timeOf(a) < this.range.fromMs) a++;
    while (b > a && timeOf(b - 1) >= this.range.toMs) b--;
    if (a >= b) return [];
    this.t0Ms ??= timeOf(a);
    let frame0 = Math.round(((timeOf(a) - this.t0Ms) * rate) / 1000);
    if (frame0 < this.nextFrame) {
      const drop = Math.min(this.nextFrame - frame0, b - a);
      this.overlapFrames += drop;
      a += drop;
      frame0 += drop;
      if (a >= b) return [];
    }
    this.nextFrame = frame0 + (b - a);
    return [{ i0: a, i1: b, frame0 }];
  }

  private check(h: SampledChunkHeader): void {
    checkAcquiredLeads(h.channels.map((c) => c.name));
    const unit = h.channels[0]!.scale;
    const lsb = unit.perCount * (NANOVOLTS_PER[unit.unit.toLowerCase()] ?? NaN);
    if (!Number.isFinite(lsb) || h.channels.some((c) => c.scale.perCount !== unit.perCount)) {
      throw new HttpError(409, 'conflict', `ECG chunk ${h.chunkIndex} has an unusable scale (${unit.unit})`);
    }
    if (this.rateHz === undefined) {
      this.rateHz = h.sampleRateHz;
      this.lsbNanovolts = lsb;
    } else if (this.rateHz !== h.sampleRateHz || this.lsbNanovolts !== lsb) {
      throw new HttpError(409, 'conflict', 'the ECG changes rate or scale within the recording');
    }
  }
}

async function* chunkHeaders(store: Store, recordingId: string, range: TimeRange) {
  for await (const page of store.chunkPages(recordingId, 'ecg', range, PAGE_CHUNKS)) {
    for (const c of page) {
      const h = decodeChunkHeader(c.bytes, LIMITS);
      if (h.kind === 'sampled') yield { header: h, bytes: c.bytes };
    }
  }
}

/**
 * The headers alone, from the first {@link HEAD_BYTES} of each chunk (pass 1 would otherwise read
 * and allocate every blob of the recording once more, ~100 MB for a day, faster than the
 * collector frees them). A header longer than that (many gaps) is read from its whole chunk.
 */
async function* headersOnly(store: Store, recordingId: string, range: TimeRange) {
  const pages = store.chunkPages(recordingId, 'ecg', range, HEAD_PAGE_CHUNKS, HEAD_BYTES);
  for await (const page of pages) {
    for (const c of page) {
      let h;
      try {
        h = decodeChunkHeader(c.bytes, LIMITS);
      } catch (err) {
        if (!(err instanceof ChunkDecodeError && err.code === 'truncated')) throw err;
        const at = { fromMs: c.startMs - 1, toMs: c.endMs + 1 };
        const whole = (await store.chunksInRange(recordingId, 'ecg', at)).find((x) => x.index === c.index);
        if (whole === undefined) throw err;
        h = decodeChunkHeader(whole.bytes, LIMITS);
      }
      if (h.kind === 'sampled') yield { header: h };
    }
  }
}

/** Pass 1: the grid of the ECG of `recordingId` in `range`, or undefined when it has none. */
export async function ecgLayout(
  store: Store,
  recordingId: string,
  range: TimeRange,
): Promise<EcgLayout | undefined> {
  const placer = new Placer(range);
  const present: [number, number][] = [];
  for await (const { header } of headersOnly(store, recordingId, range)) {
    for (const s of placer.place(header)) {
      const end = s.frame0 + s.i1 - s.i0;
      const last = present[present.length - 1];
      if (last !== undefined && last[1] === s.frame0) last[1] = end;
      else present.push([s.frame0, end]);
    }
  }
  if (placer.t0Ms === undefined || placer.rateHz === undefined) return undefined;
  return {
    sampleRateHz: placer.rateHz,
    lsbNanovolts: placer.lsbNanovolts,
    t0Ms: placer.t0Ms,
    frameCount: placer.nextFrame,
    present,
    presentFrames: present.reduce((n, [a, b]) => n + b - a, 0),
    overlapFrames: placer.overlapFrames,
  };
}

/** Pass 2: the 12 leads in blocks of contiguous frames, in frame order. */
export async function* ecgBlocks(
  store: Store,
  recordingId: string,
  range: TimeRange,
): AsyncGenerator<EcgBlock> {
  const placer = new Placer(range);
  let buffers: Int32Array[] = [];
  // Decoded samples live in the scratch until the next chunk: derived leads are copied out first.
  const scratch = new SampleDecodeScratch();
  for await (const { header, bytes } of chunkHeaders(store, recordingId, range)) {
    const segments = placer.place(header);
    if (segments.length === 0) continue;
    const chunk = decodeChunk(bytes, LIMITS, scratch);
    if (!('samples' in chunk)) continue;
    for (const s of segments) {
      const length = s.i1 - s.i0;
      if (buffers.length === 0 || buffers[0]!.length < length) {
        buffers = EXPORT_LEADS.map(() => new Int32Array(length));
      }
      deriveExportLeads(chunk.samples, s.i0, s.i1, buffers);
      yield { startFrame: s.frame0, length, leads: buffers.map((b) => b.subarray(0, length)) };
    }
  }
}

/** Every block of frames `[0, frameCount)`, the gaps as blocks filled with `fill` (e.g. WFDB's −32768). */
export async function* ecgFrames(
  blocks: AsyncIterable<EcgBlock>,
  frameCount: number,
  fill: number,
  maxGapBlock = 5_000,
): AsyncGenerator<EcgBlock> {
  let next = 0;
  let gapBuffers: Int32Array[] | undefined;
  const gap = function* (until: number): Generator<EcgBlock> {
    while (next < until) {
      const length = Math.min(until - next, maxGapBlock);
      gapBuffers ??= EXPORT_LEADS.map(() => new Int32Array(maxGapBlock).fill(fill));
      yield { startFrame: next, length, leads: gapBuffers.map((b) => b.subarray(0, length)), gap: true };
      next += length;
    }
  };
  for await (const block of blocks) {
    yield* gap(block.startFrame);
    yield block;
    next = block.startFrame + block.length;
  }
  yield* gap(frameCount);
}
