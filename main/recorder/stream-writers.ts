/**
 * One writer per stream of a recording. Data goes into memory as it arrives, into the journal
 * on `flush()` (the recorder flushes every writer in one transaction at least once a second), and
 * is sealed into a chunk by `seal()` when the chunk is full, the device's run changes, or the
 * recording stops. Chunk indexes run 0, 1, 2, … per stream without holes: an index is taken
 * when a chunk opens, and a chunk opens only with data in it.
 *
 * Sampled chunks cover `chunkSlots` sample slots of one run (present samples plus gaps): the next
 * chunk of the same run starts at the slot where the previous one ended, so a hole that crosses
 * a chunk boundary is the next chunk's leading gap and every slot is accounted for.
 */
import type { Channel } from '../../server-contract/codec/index.js';
import type { ChunkKey, Journal, SampledHeader } from './journal.js';

/**
 * A record of a records stream (a contract record such as BeatRecord): JSON with a time `tMs`.
 * Validated against the codec's record schema when its chunk is sealed.
 */
export type TimedRecord = { tMs: number } & Record<string, unknown>;

/** What writers need from the recorder. */
export interface WriterContext {
  readonly recordingId: string;
  readonly journal: Journal;
  /** Seals a chunk from its journal rows and queues it (one transaction); false when it had no data. */
  seal(key: ChunkKey, priority: number): boolean;
  now(): number;
}

/** A device run: one anchor and rate (a new run after a reconnect or a rate change). */
export interface RunInfo {
  /** Anchor of run index 0, ms since the Unix epoch (rounded to an integer for the chunk). */
  anchorMs: number;
  sampleRateHz: number;
  channels: Channel[];
}

interface PendingSets {
  firstIndex: number;
  setCount: number;
  counts: Int32Array;
  gapCause: string | null;
}

/** See the file comment. */
export class SampledStreamWriter {
  private open: { index: number; header: SampledHeader; endSlot: number; limit: number } | undefined;
  private pending: PendingSets[] = [];
  /** Where the last sealed chunk of the current run ended (the next chunk of that run starts there). */
  private runEnd: { anchorMs: number; sampleRateHz: number; slot: number } | undefined;
  /** End of the last sample received, ms (for gaps across runs and gateway restarts). */
  lastEndMs: number | undefined;
  samplesReceived = 0;

  constructor(
    private readonly ctx: WriterContext,
    readonly stream: string,
    private readonly chunkSlots: number,
    private readonly priority: number,
    /** Chunks already sealed (continuing after a restart). */
    public sealedChunks: number,
  ) {}

  /** Slot after the last one received in the open chunk (undefined when none is open). */
  get nextSlot(): number | undefined {
    return this.open?.endSlot;
  }

  /**
   * Adds `setCount` channel-interleaved sets starting at run index `firstIndex` of `run`.
   * `gapCause` names the reason of a jump from the previous sets, if there is one.
   */
  push(
    run: RunInfo,
    firstIndex: number,
    setCount: number,
    counts: Int32Array,
    gapCause = 'frames_lost',
  ): void {
    const channels = run.channels.length;
    const anchorMs = Math.round(run.anchorMs);
    if (this.open !== undefined && !sameRun(this.open.header, anchorMs, run)) this.seal();
    let index = firstIndex;
    let offset = 0;
    let remaining = setCount;
    while (remaining > 0) {
      const held = this.heldUpTo(anchorMs, run);
      if (held !== undefined && index < held) {
        // already held (a repeat): keep the first copy
        const skip = Math.min(remaining, held - index);
        index += skip;
        offset += skip;
        remaining -= skip;
        continue;
      }
      this.open ??= this.openChunk(anchorMs, run, index);
      // an empty chunk whose leading gap is longer than a chunk covers the gap plus a chunk of data
      if (this.open.endSlot === this.open.header.firstSlot && index >= this.open.limit)
        this.open.limit = index + this.chunkSlots;
      if (index >= this.open.limit) {
        const next = this.open.limit;
        this.seal();
        this.open = this.openChunk(anchorMs, run, next);
        continue;
      }
      const take = Math.min(remaining, this.open.limit - index);
      const jump = index > this.open.endSlot;
      this.pending.push({
        firstIndex: index,
        setCount: take,
        counts: counts.slice(offset * channels, (offset + take) * channels),
        gapCause: jump ? gapCause : null,
      });
      this.open.endSlot = index + take;
      this.samplesReceived += take;
      this.lastEndMs = run.anchorMs + ((index + take) * 1000) / run.sampleRateHz;
      index += take;
      offset += take;
      remaining -= take;
      if (this.open.endSlot >= this.open.limit) this.seal();
    }
  }

  /** Slot up to which this run's samples are already held (open chunk, or the last sealed one). */
  private heldUpTo(anchorMs: number, run: RunInfo): number | undefined {
    if (this.open !== undefined) return this.open.endSlot;
    const end = this.runEnd;
    return end !== undefined && end.anchorMs === anchorMs && end.sampleRateHz === run.sampleRateHz
      ? end.slot
      : undefined;
  }

  /** Writes what arrived since the last flush to the journal (inside the recorder's transaction). */
  flush(): void {
    const open = this.open;
    if (open === undefined || this.pending.length === 0) return;
    const key = this.key(open.index);
    for (const p of coalesce(this.pending))
      this.ctx.journal.appendSamples(key, open.header, p.firstIndex, p.setCount, p.counts, p.gapCause);
    this.pending = [];
  }

  /** Seals the open chunk, if any. */
  seal(): void {
    const open = this.open;
    if (open === undefined) return;
    this.flush();
    this.open = undefined;
    this.runEnd = {
      anchorMs: open.header.anchorMs,
      sampleRateHz: open.header.sampleRateHz,
      slot: open.endSlot,
    };
    if (this.ctx.seal(this.key(open.index), this.priority)) this.sealedChunks = open.index + 1;
  }

  private openChunk(anchorMs: number, run: RunInfo, index: number) {
    const end = this.runEnd;
    // continuing the run of the last sealed chunk: start where it ended, so a hole is a leading gap
    const firstSlot =
      end !== undefined &&
      end.anchorMs === anchorMs &&
      end.sampleRateHz === run.sampleRateHz &&
      end.slot <= index
        ? end.slot
        : index;
    const header: SampledHeader = {
      kind: 'sampled',
      anchorMs,
      sampleRateHz: run.sampleRateHz,
      channels: run.channels,
      firstSlot,
    };
    return { index: this.sealedChunks, header, endSlot: firstSlot, limit: firstSlot + this.chunkSlots };
  }

  private key(chunkIndex: number): ChunkKey {
    return { recordingId: this.ctx.recordingId, stream: this.stream, chunkIndex };
  }
}

/** Joins contiguous stretches (one journal row per stretch rather than per device frame). */
function coalesce(parts: PendingSets[]): PendingSets[] {
  const out: PendingSets[] = [];
  let run: PendingSets[] = [];
  const close = () => {
    if (run.length === 0) return;
    const first = run[0]!;
    if (run.length === 1) out.push(first);
    else {
      const length = run.reduce((n, p) => n + p.counts.length, 0);
      const counts = new Int32Array(length);
      let at = 0;
      for (const p of run) {
        counts.set(p.counts, at);
        at += p.counts.length;
      }
      const setCount = run.reduce((n, p) => n + p.setCount, 0);
      out.push({ firstIndex: first.firstIndex, setCount, counts, gapCause: first.gapCause });
    }
    run = [];
  };
  for (const p of parts) {
    const last = run[run.length - 1];
    if (last !== undefined && p.firstIndex !== last.firstIndex + last.setCount) close();
    run.push(p);
  }
  close();
  return out;
}

function sameRun(header: SampledHeader, anchorMs: number, run: RunInfo): boolean {
  return (
    header.anchorMs === anchorMs &&
    header.sampleRateHz === run.sampleRateHz &&
    header.channels.length === run.channels.length &&
    header.channels.every(
      (c, i) => c.name === run.channels[i]!.name && c.scale.perCount === run.channels[i]!.scale.perCount,
    )
  );
}

/** Timestamped records (beats, measurements, events, hr, battery), sealed every `chunkMs`. */
export class RecordsStreamWriter {
  private open: { index: number; anchorMs: number; openedAtMs: number } | undefined;
  private pending: TimedRecord[] = [];
  recordsReceived = 0;

  constructor(
    private readonly ctx: WriterContext,
    readonly stream: string,
    private readonly chunkMs: number,
    private readonly priority: number,
    public sealedChunks: number,
  ) {}

  push(record: TimedRecord): void {
    this.open ??= {
      index: this.sealedChunks,
      anchorMs: Math.round(record.tMs),
      openedAtMs: this.ctx.now(),
    };
    this.pending.push(record);
    this.recordsReceived++;
  }

  /** True when the open chunk has been open for its full length. */
  due(nowMs: number): boolean {
    return this.open !== undefined && nowMs - this.open.openedAtMs >= this.chunkMs;
  }

  flush(): void {
    if (this.open === undefined || this.pending.length === 0) return;
    this.ctx.journal.appendRecords(this.key(this.open.index), this.open.anchorMs, this.pending);
    this.pending = [];
  }

  seal(): void {
    const open = this.open;
    if (open === undefined) return;
    this.flush();
    this.open = undefined;
    if (this.ctx.seal(this.key(open.index), this.priority)) this.sealedChunks = open.index + 1;
  }

  private key(chunkIndex: number): ChunkKey {
    return { recordingId: this.ctx.recordingId, stream: this.stream, chunkIndex };
  }
}
