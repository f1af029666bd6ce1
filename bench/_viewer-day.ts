/**
 * One gateway-day for the viewer benchmark: a 12-lead (8 acquired channels) 500 Hz recording in
 * 60-s ECG chunks of real LUDB signal (its 100 first records, repeated), with the records a live
 * recording makes beside it — measurements every 2 s, beats, events, the watch's heart rate every
 * second, accelerometer at 12.5 Hz and battery every 10 minutes — each stream in 60-s chunks.
 * Chunks are yielded ready for `Store.putChunk` (encoded bytes, hash, expanded rows).
 */
import {
  chunkSha256Hex,
  encodeChunk,
  type Chunk,
  type RecordsChunk,
} from '../server-contract/codec/index.js';
import type { StreamName } from '../server-contract/api/index.js';
import { expandChunk } from '../server/ingest/expand.js';
import type { ChunkInput } from '../server/store/store.js';
import { CHANNEL_NAMES, LSB_NANOVOLTS, SAMPLE_RATE_HZ } from './_ludb.js';

export const CHUNK_MS = 60_000;
const ECG_PER_CHUNK = (SAMPLE_RATE_HZ * CHUNK_MS) / 1000;

/** The encoded ECG chunks of `minutes`, made once and shared by every store. */
export function encodeEcgDay(
  recordingId: string,
  anchorMs: number,
  minutes: number,
  signal: Int32Array[],
): { bytes: Uint8Array; sha256: string }[] {
  const out: { bytes: Uint8Array; sha256: string }[] = [];
  const length = signal[0]!.length;
  for (let i = 0; i < minutes; i++) {
    const offset = (i * ECG_PER_CHUNK) % (length - ECG_PER_CHUNK);
    const chunk: Chunk = {
      header: {
        kind: 'sampled',
        recordingId,
        stream: 'ecg',
        chunkIndex: i,
        anchorMs,
        firstSampleIndex: i * ECG_PER_CHUNK,
        sampleRateHz: SAMPLE_RATE_HZ,
        channels: CHANNEL_NAMES.map((name) => ({ name, scale: { unit: 'nV', perCount: LSB_NANOVOLTS } })),
        sampleCount: ECG_PER_CHUNK,
        gaps: [],
      },
      samples: signal.map((c) => c.slice(offset, offset + ECG_PER_CHUNK)),
    };
    const bytes = encodeChunk(chunk);
    out.push({ bytes, sha256: chunkSha256Hex(bytes) });
  }
  return out;
}

function measurement(tMs: number, k: number) {
  const hr = 62 + 10 * Math.sin(k / 900);
  return {
    tMs,
    windowMs: 10_000,
    heartRateBpm: Math.round(hr),
    rrMs: Math.round(60_000 / hr),
    prMs: 160,
    qrsMs: 92,
    qtMs: 380,
    qtcBazettMs: 410 + (k % 7),
    qtcFridericiaMs: 400 + (k % 5),
    qtcFraminghamMs: 401,
    qtcHodgesMs: 402,
    qrsAxisDeg: 45,
    stUv: { I: 10, II: -20, V1: 5, V2: 15, V3: 20, V4: 10, V5: -5, V6: 0 },
    sdnnMs: 40,
    rmssdMs: 30,
    pnn50Pct: 8,
    withheld: {},
  };
}

type Records = RecordsChunk['records'];

function recordsOf(stream: StreamName, startMs: number, minute: number): Records {
  const seconds = Array.from({ length: CHUNK_MS / 1000 }, (_, s) => startMs + s * 1000);
  const k = startMs / 1000;
  if (stream === 'measurements')
    return seconds.filter((_, s) => s % 2 === 0).map((t, j) => measurement(t, k + j));
  if (stream === 'beats')
    return Array.from({ length: 72 }, (_, b) => ({
      tMs: startMs + b * 833,
      beatClass: b % 50 === 7 ? 'V' : 'N',
    }));
  if (stream === 'hr') return seconds.map((t, s) => ({ tMs: t, bpm: 60 + ((k + s) % 25), confidence: 90 }));
  if (stream === 'battery')
    return [{ tMs: startMs, pct: Math.max(5, 100 - Math.floor(minute / 20)), charging: false }];
  return [{ tMs: startMs + 30_000, kind: 'pvc', leads: ['V1'] }];
}

function accelChunk(recordingId: string, anchorMs: number, index: number): Chunk {
  const count = (12.5 * CHUNK_MS) / 1000;
  return {
    header: {
      kind: 'sampled',
      recordingId,
      stream: 'accel',
      chunkIndex: index,
      anchorMs,
      firstSampleIndex: index * count,
      sampleRateHz: 12.5,
      channels: ['x', 'y', 'z'].map((name) => ({ name, scale: { unit: 'mg', perCount: 1 } })),
      sampleCount: count,
      gaps: [],
    },
    samples: [0, 1, 2].map((axis) =>
      Int32Array.from(
        { length: count },
        (_, i) => (axis === 2 ? 1000 : 0) + Math.round(80 * Math.sin((i + index) / 3 + axis)),
      ),
    ),
  };
}

/** Streams besides the ECG, with how often each has a chunk (every n-th minute). */
const RECORD_STREAMS: [StreamName, number][] = [
  ['measurements', 1],
  ['beats', 1],
  ['events', 5],
  ['hr', 1],
  ['battery', 10],
];

function input(
  recordingId: string,
  stream: StreamName,
  index: number,
  chunk: Chunk,
  nowMs: number,
): ChunkInput {
  const bytes = encodeChunk(chunk);
  const expanded = expandChunk(stream, chunk, stream === 'ecg' ? SAMPLE_RATE_HZ : null);
  return {
    recordingId,
    stream,
    index,
    sha256: chunkSha256Hex(bytes),
    bytes,
    receivedAtMs: nowMs,
    ...expanded,
  };
}

/** Every chunk of minute `m`: its ECG chunk (pre-encoded) and the other streams due that minute. */
export function minuteChunks(
  recordingId: string,
  anchorMs: number,
  m: number,
  ecg: { bytes: Uint8Array; sha256: string },
): ChunkInput[] {
  const startMs = anchorMs + m * CHUNK_MS;
  const out: ChunkInput[] = [
    {
      recordingId,
      stream: 'ecg',
      index: m,
      sha256: ecg.sha256,
      bytes: ecg.bytes,
      receivedAtMs: startMs,
      startMs,
      endMs: startMs + CHUNK_MS,
      sampleCount: ECG_PER_CHUNK,
      rows: {},
    },
    input(recordingId, 'accel', m, accelChunk(recordingId, anchorMs, m), startMs),
  ];
  for (const [stream, every] of RECORD_STREAMS) {
    if (m % every !== 0) continue;
    const index = m / every;
    const records = recordsOf(stream, startMs, m);
    const chunk: Chunk = {
      header: {
        kind: 'records',
        recordingId,
        stream,
        chunkIndex: index,
        anchorMs: startMs,
        recordCount: records.length,
      },
      records,
    };
    out.push(input(recordingId, stream, index, chunk, startMs));
  }
  return out;
}
