/**
 * The ingest benchmark's uploads: each simulated gateway's round of one minute (an ECG chunk of
 * 8 leads at 500 Hz from LUDB or a synthetic signal, an hr chunk, an accelerometer chunk), encoded
 * and hashed as the gateway sends them.
 */
import { chunkSha256Hex, encodeChunk, type Chunk } from '../server-contract/codec/index.js';
import { buildSignal, CHANNEL_NAMES, LSB_NANOVOLTS } from './_ludb.js';

export const T0 = Date.UTC(2026, 0, 1);
export const ECG_RATE_HZ = 500;
export const ECG_PER_CHUNK = 60 * ECG_RATE_HZ;
export const ACCEL_RATE_HZ = 12.5;

/** One encoded chunk as a gateway uploads it. */
export interface Upload {
  round: number;
  stream: string;
  index: number;
  bytes: Buffer;
  sha256: string;
  samples: number;
}

/** 60 s of 8-lead ECG (counts) for one gateway's round. */
export type EcgSource = (gateway: number, round: number) => Int32Array[];

/** Real ECG: LUDB looped, a different stretch for every gateway and round. */
export function ludbSource(dir: string): EcgSource {
  const signal = buildSignal(dir, 100 * 5000);
  const total = signal[0]!.length;
  return (gateway, round) => {
    const start = ((gateway * 104_729 + round * ECG_PER_CHUNK) % (total - ECG_PER_CHUNK)) | 0;
    return signal.map((channel) => channel.slice(start, start + ECG_PER_CHUNK));
  };
}

/** Without the data: a QRS-ish spike train at 72 bpm over baseline wander and noise (compresses worse than real ECG). */
export function syntheticSource(gateway: number, round: number): Int32Array[] {
  return CHANNEL_NAMES.map((_, channel) => {
    const out = new Int32Array(ECG_PER_CHUNK);
    let state = (gateway * 7919 + channel * 104729) >>> 0;
    for (let i = 0; i < ECG_PER_CHUNK; i++) {
      const n = round * ECG_PER_CHUNK + i;
      const phase = (n % 417) / 417;
      const qrs = Math.exp(-(((phase - 0.3) / 0.012) ** 2)) * 2200 * (1 + channel / 10);
      const t = Math.exp(-(((phase - 0.6) / 0.05) ** 2)) * 400;
      state = (state * 1664525 + 1013904223) >>> 0;
      out[i] = Math.round(qrs + t + 300 * Math.sin(n / 900) + ((state >>> 24) - 128) / 8);
    }
    return out;
  });
}

/** One gateway's round: its ECG, hr and accelerometer chunks. */
export function roundChunks(recordingId: string, round: number, gateway: number, ecg: EcgSource): Chunk[] {
  const accelCount = 60 * ACCEL_RATE_HZ;
  const start = T0 + round * 60_000;
  return [
    {
      header: {
        kind: 'sampled',
        recordingId,
        stream: 'ecg',
        chunkIndex: round,
        anchorMs: T0,
        firstSampleIndex: round * ECG_PER_CHUNK,
        sampleRateHz: ECG_RATE_HZ,
        channels: CHANNEL_NAMES.map((name) => ({ name, scale: { unit: 'nV', perCount: LSB_NANOVOLTS } })),
        sampleCount: ECG_PER_CHUNK,
        gaps: [],
      },
      samples: ecg(gateway, round),
    },
    {
      header: {
        kind: 'records',
        recordingId,
        stream: 'hr',
        chunkIndex: round,
        anchorMs: start,
        recordCount: 60,
      },
      records: Array.from({ length: 60 }, (_, i) => ({
        tMs: start + i * 1000,
        bpm: 65 + ((i + gateway) % 20),
        confidence: 70 + (i % 30),
      })),
    },
    {
      header: {
        kind: 'sampled',
        recordingId,
        stream: 'accel',
        chunkIndex: round,
        anchorMs: T0,
        firstSampleIndex: round * accelCount,
        sampleRateHz: ACCEL_RATE_HZ,
        channels: ['x', 'y', 'z'].map((name) => ({ name, scale: { unit: 'mg', perCount: 1 } })),
        sampleCount: accelCount,
        gaps: [],
      },
      samples: [0, 1, 2].map((axis) =>
        Int32Array.from(
          { length: accelCount },
          (_, i) => (axis === 2 ? 1000 : 0) + Math.round(40 * Math.sin((i + gateway) / (5 + axis))),
        ),
      ),
    },
  ];
}

/** A chunk encoded and hashed for upload. */
export function toUpload(round: number, chunk: Chunk): Upload {
  const bytes = Buffer.from(encodeChunk(chunk));
  const samples = 'samples' in chunk ? chunk.samples.length * chunk.header.sampleCount : chunk.records.length;
  return {
    round,
    stream: chunk.header.stream,
    index: chunk.header.chunkIndex,
    bytes,
    sha256: chunkSha256Hex(bytes),
    samples,
  };
}
