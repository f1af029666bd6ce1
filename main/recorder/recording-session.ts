/**
 * One recording while it is being made: a writer per stream, the recording's totals, and the
 * gaps between what arrived. Everything that reaches it is journaled by `flush()` (the recorder
 * calls it at least once a second) and sealed into chunks as they fill (`sealDue`, `sealAll`).
 *
 * Gaps: a sampled stream whose next sample starts later than one and a half sample periods after
 * the last one has a hole; inside a device run the chunk itself records it (its gap list), and
 * across runs (unit unplugged, watch out of range, gateway down) an `events` record of kind
 * `gap` does, naming the cause and the stream, so no hole is ever unrecorded.
 */
import type { EventRecord } from '../../server-contract/api/streams.js';
import { ACQUIRED_LEADS } from '../../server-contract/api/streams.js';
import type { Channel } from '../../server-contract/codec/index.js';
import { PRIORITY } from '../queue/types.js';
import type { RecordingRow, RecordingsStore, StreamState } from './recordings-store.js';
import {
  RecordsStreamWriter,
  SampledStreamWriter,
  type RunInfo,
  type TimedRecord,
  type WriterContext,
} from './stream-writers.js';
import { SummaryAccumulator } from './summary.js';

export const RECORDS_STREAMS = ['beats', 'measurements', 'events', 'hr', 'battery'] as const;
const WATCH_RECORDS = new Set(['hr', 'battery']);

export interface SessionOptions {
  ecgChunkSeconds: number;
  watchChunkSeconds: number;
}

/** A sampled batch from any device: `setCount` interleaved sets of `run` from `firstIndex`. */
export interface SampledInput {
  run: RunInfo;
  firstIndex: number;
  setCount: number;
  counts: Int32Array;
}

export class RecordingSession {
  readonly summary: SummaryAccumulator;
  private readonly sampled = new Map<string, SampledStreamWriter>();
  private readonly records = new Map<string, RecordsStreamWriter>();
  /** Sealed counts of streams from before a restart, used when their writer is created. */
  private readonly previous = new Map<string, StreamState>();
  /** Cause of the next cross-run hole of each stream (`gateway_down` after a restart). */
  private readonly nextGapCause = new Map<string, string>();
  /** Anchor of each sampled stream's current run (a different one is a new run). */
  private readonly anchors = new Map<string, number>();

  constructor(
    readonly row: RecordingRow,
    private readonly ctx: WriterContext,
    private readonly store: RecordingsStore,
    private readonly options: () => SessionOptions,
    streams: readonly StreamState[] = [],
    resumedAfter?: string,
  ) {
    this.summary = new SummaryAccumulator(row.totals);
    for (const s of streams) {
      this.previous.set(s.stream, s);
      if (resumedAfter !== undefined) this.nextGapCause.set(s.stream, resumedAfter);
    }
  }

  get id(): string {
    return this.row.id;
  }

  /**
   * Sampled data of `stream`; returns the cross-run gap event it revealed, if any. `causes` name
   * a hole inside the device's run and one between runs (after a restart: `gateway_down`).
   */
  pushSampled(
    stream: 'ecg' | 'accel' | 'ppg',
    input: SampledInput,
    causes: { inRun: string; acrossRuns: string },
  ): EventRecord | undefined {
    const previousAnchor = this.anchors.get(stream);
    const writer = this.sampledWriter(stream, input.run);
    const startMs = input.run.anchorMs + (input.firstIndex * 1000) / input.run.sampleRateHz;
    const periodMs = 1000 / input.run.sampleRateHz;
    const lastEndMs = writer.lastEndMs ?? this.previous.get(stream)?.lastEndMs ?? null;
    const newRun = previousAnchor !== Math.round(input.run.anchorMs);
    const cause = this.nextGapCause.get(stream) ?? (newRun ? causes.acrossRuns : causes.inRun);
    this.nextGapCause.delete(stream);
    let gap: EventRecord | undefined;
    // the chunk's gap list records a hole inside a run; the events stream records every hole
    if (lastEndMs !== null && startMs - lastEndMs > 1.5 * periodMs)
      gap = this.gap(stream, lastEndMs, startMs, cause);
    writer.push(input.run, input.firstIndex, input.setCount, input.counts, cause);
    return gap;
  }

  /** A records-stream record (beats, measurements, events, hr, battery). */
  pushRecord(stream: (typeof RECORDS_STREAMS)[number], record: TimedRecord): void {
    this.recordsWriter(stream).push(record);
  }

  /** Records a gap event on the `events` stream and counts it. */
  gap(stream: string, fromMs: number, toMs: number, cause: string): EventRecord {
    const event: EventRecord = {
      tMs: Math.floor(fromMs),
      kind: 'gap',
      durationMs: Math.max(0, Math.ceil(toMs) - Math.floor(fromMs)),
      note: `${stream}: ${cause}`,
    };
    // the summary counts the recording's holes once: the ECG's (or, without ECG, the watch's), and
    // a restart's downtime once, when the recording is continued (see Recorder.continue)
    const counted =
      stream === 'gateway' || (cause !== 'gateway_down' && (stream === 'ecg' || !this.sampled.has('ecg')));
    if (counted) this.summary.gap(toMs - fromMs);
    this.pushRecord('events', event);
    return event;
  }

  /** Journals everything received since the last flush and the totals (one transaction, by the caller). */
  flush(aliveMs: number): void {
    for (const w of this.sampled.values()) {
      w.flush();
      this.store.saveStream(this.id, {
        stream: w.stream,
        sealedChunks: w.sealedChunks,
        lastEndMs: w.lastEndMs ?? null,
      });
    }
    for (const w of this.records.values()) {
      w.flush();
      this.store.saveStream(this.id, { stream: w.stream, sealedChunks: w.sealedChunks, lastEndMs: null });
    }
    this.store.saveProgress(this.id, this.summary.totals, aliveMs);
  }

  /** Seals records chunks that have been open for their full length. */
  sealDue(nowMs: number): void {
    for (const w of this.records.values()) {
      if (w.due(nowMs)) {
        w.seal();
        this.store.saveStream(this.id, { stream: w.stream, sealedChunks: w.sealedChunks, lastEndMs: null });
      }
    }
  }

  /** Seals every open chunk (stop, quota, shutdown). */
  sealAll(): void {
    for (const w of [...this.sampled.values(), ...this.records.values()]) w.seal();
    for (const w of this.sampled.values())
      this.store.saveStream(this.id, {
        stream: w.stream,
        sealedChunks: w.sealedChunks,
        lastEndMs: w.lastEndMs ?? null,
      });
    for (const w of this.records.values())
      this.store.saveStream(this.id, { stream: w.stream, sealedChunks: w.sealedChunks, lastEndMs: null });
  }

  /** Each stream's final chunk count (streams from before a restart included). */
  finalCounts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const [stream, s] of this.previous) counts[stream] = s.sealedChunks;
    for (const w of [...this.sampled.values(), ...this.records.values()]) counts[w.stream] = w.sealedChunks;
    return counts;
  }

  /** Chunks sealed so far, all streams. */
  chunksSealed(): number {
    return Object.values(this.finalCounts()).reduce((a, b) => a + b, 0);
  }

  private sampledWriter(stream: string, run: RunInfo): SampledStreamWriter {
    let writer = this.sampled.get(stream);
    if (writer === undefined) {
      const seconds = stream === 'ecg' ? this.options().ecgChunkSeconds : this.options().watchChunkSeconds;
      writer = new SampledStreamWriter(
        this.ctx,
        stream,
        Math.max(1, Math.round(seconds * run.sampleRateHz)),
        PRIORITY.samples,
        this.previous.get(stream)?.sealedChunks ?? 0,
      );
      this.sampled.set(stream, writer);
    }
    this.anchors.set(stream, Math.round(run.anchorMs));
    return writer;
  }

  private recordsWriter(stream: string): RecordsStreamWriter {
    let writer = this.records.get(stream);
    if (writer === undefined) {
      const seconds = WATCH_RECORDS.has(stream)
        ? this.options().watchChunkSeconds
        : this.options().ecgChunkSeconds;
      writer = new RecordsStreamWriter(
        this.ctx,
        stream,
        seconds * 1000,
        PRIORITY.records,
        this.previous.get(stream)?.sealedChunks ?? 0,
      );
      this.records.set(stream, writer);
    }
    return writer;
  }
}

/** The ECG unit's 8 acquired channels as chunk channels (counts × lsbNanovolts nV). */
export function ecgChannels(lsbNanovolts: number): Channel[] {
  return ACQUIRED_LEADS.map((name) => ({ name, scale: { unit: 'nV', perCount: lsbNanovolts } }));
}

/** The watch accelerometer's channels (milli-g). */
export const ACCEL_CHANNELS: Channel[] = ['x', 'y', 'z'].map((name) => ({
  name,
  scale: { unit: 'mg', perCount: 1 },
}));

/** The watch's raw PPG channel (sensor counts). */
export const PPG_CHANNELS: Channel[] = [{ name: 'ppg', scale: { unit: 'count', perCount: 1 } }];
