/**
 * Streaming decoder for the unit → host side of the ECG-12 protocol (specs/ecg12-serial-protocol.md
 * §3–§4). Input may be split at any byte boundary. Rules implemented (§4):
 * - bytes before a sync `A5 5A` are discarded (counted in `bytesDiscarded`);
 * - a frame whose length exceeds 1024 or whose CRC fails is discarded and the search for the next
 *   sync resumes one byte after the rejected frame's start (its first byte counts as discarded);
 * - a CRC-valid frame of an unknown type is skipped (counted, not an error);
 * - LOG frames go to the `log` handler and are otherwise ignored;
 * - a jump in SAMPLES `seq` (modulo 2^32) records a gap of `(jump − 1) × K` sample sets at that
 *   point; sample indexes count the gap, samples are never invented.
 *
 * Steady state is allocation-free for SAMPLES and STATUS frames: the batch object and its
 * `counts` array are reused, so handlers must copy what they keep before returning.
 */
import type { Ecg12DecoderCounters } from './schemas.js';
import { crc16CcittFalse } from './crc16.js';
import {
  CHANNEL_COUNT,
  FRAME_HEADER_BYTES,
  FRAME_TRAILER_BYTES,
  FrameType,
  MAX_FRAME_BYTES,
  MAX_PAYLOAD_BYTES,
  MAX_SETS_PER_FRAME,
  SAMPLE_SET_BYTES,
  SAMPLES_HEADER_BYTES,
  SYNC_0,
  SYNC_1,
} from './protocol.js';

/** One SAMPLES frame's sample sets. Reused between calls: copy what you keep. */
export interface SamplesBatch {
  /** The frame's sequence number. */
  seq: number;
  /** Index in the run of the frame's first sample set (gaps counted). */
  firstIndex: number;
  /** Number of sample sets (K). */
  setCount: number;
  /** Electrode-off bitmask (bit 0 RA … bit 8 V6). */
  leadOffMask: number;
  /** `setCount × 8` signed ADC counts, interleaved I, II, V1…V6 per set; entries past that are stale. */
  counts: Int32Array;
}

/** A STATUS frame (§3). Reused between calls. */
export interface StatusFrame {
  batteryPercent: number;
  charging: boolean;
  streaming: boolean;
  leadOffMask: number;
}

/** Callbacks of the decoder; all optional. They run synchronously inside {@link Ecg12FrameDecoder.push}. */
export interface Ecg12DecoderHandlers {
  samples?(batch: SamplesBatch): void;
  /** `setCount` sample sets starting at run index `firstIndex` were lost. */
  gap?(firstIndex: number, setCount: number): void;
  /** `seq` went backwards within a run: the unit restarted streaming without a START from us. */
  runRestarted?(seq: number): void;
  status?(status: StatusFrame): void;
  /** Raw UTF-8 JSON of an INFO frame (validate with `Ecg12InfoSchema`). */
  info?(json: string): void;
  ack?(status: number, commandLine: string): void;
  log?(text: string): void;
  unknownFrame?(type: number, payloadBytes: number): void;
}

/** Zeroed decoder counters. */
export function emptyDecoderCounters(): Ecg12DecoderCounters {
  return {
    bytesReceived: 0,
    bytesInFrames: 0,
    bytesDiscarded: 0,
    framesAccepted: 0,
    crcRejects: 0,
    lengthRejects: 0,
    unknownTypeFrames: 0,
    malformedFrames: 0,
    logFrames: 0,
    samplesFrames: 0,
    samplesFramesOutsideRun: 0,
    sampleSetsReceived: 0,
    sampleSetsLost: 0,
    gapCount: 0,
    seqResets: 0,
  };
}

const BUFFER_BYTES = 4 * MAX_FRAME_BYTES;
const textDecoder = new TextDecoder('utf-8');

/** See the file comment. */
export class Ecg12FrameDecoder {
  /** Live counters (mutated in place; copy with `{ ...decoder.counters }` for a snapshot). */
  readonly counters: Ecg12DecoderCounters = emptyDecoderCounters();
  private readonly buffer = new Uint8Array(BUFFER_BYTES);
  private readPos = 0;
  private writePos = 0;
  private inRun = false;
  private expectedSeq = 0;
  private nextIndex = 0;
  private readonly batch: SamplesBatch = {
    seq: 0,
    firstIndex: 0,
    setCount: 0,
    leadOffMask: 0,
    counts: new Int32Array(MAX_SETS_PER_FRAME * CHANNEL_COUNT),
  };
  private readonly statusFrame: StatusFrame = {
    batteryPercent: 0,
    charging: false,
    streaming: false,
    leadOffMask: 0,
  };

  constructor(private readonly handlers: Ecg12DecoderHandlers = {}) {}

  /**
   * Begins a run (call when sending START): the next SAMPLES frame is expected to carry
   * `firstSeq` (0 after START, §2) and sample indexes restart at 0. SAMPLES frames that arrive
   * while no run is open are counted in `samplesFramesOutsideRun` and dropped.
   */
  startRun(firstSeq = 0): void {
    this.inRun = true;
    this.expectedSeq = firstSeq >>> 0;
    this.nextIndex = 0;
  }

  /** Ends the current run (STOP sent, or the port closed). */
  endRun(): void {
    this.inRun = false;
  }

  /** Index the next sample set of the run will get (= sets received + sets lost so far). */
  get nextSampleIndex(): number {
    return this.nextIndex;
  }

  /** Bytes held waiting for the rest of a frame. */
  get pendingBytes(): number {
    return this.writePos - this.readPos;
  }

  /** Drops buffered bytes (e.g. after reopening the port) without counting them. */
  reset(): void {
    this.readPos = 0;
    this.writePos = 0;
    this.inRun = false;
  }

  /** Feeds received bytes; handlers run synchronously. */
  push(chunk: Uint8Array): void {
    this.counters.bytesReceived += chunk.length;
    let offset = 0;
    while (offset < chunk.length) {
      this.compact();
      const take = Math.min(chunk.length - offset, BUFFER_BYTES - this.writePos);
      // A whole chunk is copied without making a view of it (no allocation in steady state).
      this.buffer.set(take === chunk.length ? chunk : chunk.subarray(offset, offset + take), this.writePos);
      this.writePos += take;
      offset += take;
      this.parse();
    }
  }

  private compact(): void {
    if (this.readPos === 0) return;
    this.buffer.copyWithin(0, this.readPos, this.writePos);
    this.writePos -= this.readPos;
    this.readPos = 0;
  }

  private discard(byteCount: number): void {
    this.counters.bytesDiscarded += byteCount;
    this.readPos += byteCount;
  }

  private parse(): void {
    const buf = this.buffer;
    for (;;) {
      const p = this.readPos;
      const end = this.writePos;
      if (p >= end) return;
      if (buf[p] !== SYNC_0) {
        const next = buf.indexOf(SYNC_0, p);
        this.discard((next === -1 || next >= end ? end : next) - p);
        continue;
      }
      if (p + 1 >= end) return;
      if (buf[p + 1] !== SYNC_1) {
        this.discard(1);
        continue;
      }
      if (p + FRAME_HEADER_BYTES > end) return;
      const length = buf[p + 3]! | (buf[p + 4]! << 8);
      if (length > MAX_PAYLOAD_BYTES) {
        this.counters.lengthRejects++;
        this.discard(1);
        continue;
      }
      const crcAt = p + FRAME_HEADER_BYTES + length;
      if (crcAt + FRAME_TRAILER_BYTES > end) return;
      if (crc16CcittFalse(buf, p + 2, crcAt) !== (buf[crcAt]! | (buf[crcAt + 1]! << 8))) {
        this.counters.crcRejects++;
        this.discard(1);
        continue;
      }
      this.readPos = crcAt + FRAME_TRAILER_BYTES;
      this.counters.framesAccepted++;
      this.counters.bytesInFrames += crcAt + FRAME_TRAILER_BYTES - p;
      this.dispatch(buf[p + 2]!, p + FRAME_HEADER_BYTES, length);
    }
  }

  private dispatch(type: number, start: number, length: number): void {
    switch (type) {
      case FrameType.samples:
        this.onSamples(start, length);
        return;
      case FrameType.status:
        this.onStatus(start, length);
        return;
      case FrameType.info:
        this.handlers.info?.(textDecoder.decode(this.buffer.subarray(start, start + length)));
        return;
      case FrameType.ack:
        if (length < 1) this.counters.malformedFrames++;
        else
          this.handlers.ack?.(
            this.buffer[start]!,
            textDecoder.decode(this.buffer.subarray(start + 1, start + length)),
          );
        return;
      case FrameType.log:
        this.counters.logFrames++;
        this.handlers.log?.(textDecoder.decode(this.buffer.subarray(start, start + length)));
        return;
      default:
        this.counters.unknownTypeFrames++;
        this.handlers.unknownFrame?.(type, length);
    }
  }

  private onStatus(start: number, length: number): void {
    if (length < 4) {
      this.counters.malformedFrames++;
      return;
    }
    const buf = this.buffer;
    const status = this.statusFrame;
    status.batteryPercent = buf[start]!;
    status.charging = (buf[start + 1]! & 1) !== 0;
    status.streaming = (buf[start + 1]! & 2) !== 0;
    status.leadOffMask = buf[start + 2]! | (buf[start + 3]! << 8);
    this.handlers.status?.(status);
  }

  private onSamples(start: number, length: number): void {
    const buf = this.buffer;
    const setCount = length >= SAMPLES_HEADER_BYTES ? buf[start + 6]! : 0;
    if (
      setCount < 1 ||
      setCount > MAX_SETS_PER_FRAME ||
      length !== SAMPLES_HEADER_BYTES + setCount * SAMPLE_SET_BYTES
    ) {
      this.counters.malformedFrames++;
      return;
    }
    if (!this.inRun) {
      this.counters.samplesFramesOutsideRun++;
      return;
    }
    const seq =
      (buf[start]! | (buf[start + 1]! << 8) | (buf[start + 2]! << 16) | (buf[start + 3]! << 24)) >>> 0;
    this.accountSeq(seq, setCount);
    const batch = this.batch;
    batch.seq = seq;
    batch.firstIndex = this.nextIndex;
    batch.setCount = setCount;
    batch.leadOffMask = buf[start + 4]! | (buf[start + 5]! << 8);
    const counts = batch.counts;
    const valueCount = setCount * CHANNEL_COUNT;
    let at = start + SAMPLES_HEADER_BYTES;
    for (let i = 0; i < valueCount; i++, at += 3) {
      counts[i] = ((buf[at]! | (buf[at + 1]! << 8) | (buf[at + 2]! << 16)) << 8) >> 8;
    }
    this.nextIndex += setCount;
    this.expectedSeq = (seq + 1) >>> 0;
    this.counters.samplesFrames++;
    this.counters.sampleSetsReceived += setCount;
    this.handlers.samples?.(batch);
  }

  /** Applies §4's gap rule; a backwards jump (modulo 2^32, ≥ 2^31) is a restart of the run. */
  private accountSeq(seq: number, setCount: number): void {
    let jump = (seq - this.expectedSeq) >>> 0;
    if (jump === 0) return;
    if (jump >= 0x80000000) {
      this.counters.seqResets++;
      this.nextIndex = 0;
      this.expectedSeq = 0;
      this.handlers.runRestarted?.(seq);
      jump = seq;
      if (jump === 0 || jump >= 0x80000000) return;
    }
    const lost = jump * setCount;
    this.counters.sampleSetsLost += lost;
    this.counters.gapCount++;
    this.handlers.gap?.(this.nextIndex, lost);
    this.nextIndex += lost;
  }
}
