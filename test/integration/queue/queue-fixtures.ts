/**
 * Shared by the queue's tests: a gateway database in a temp folder, real chunks made with the
 * contract codec (deterministic functions of recording, stream, index and seed), and valid
 * control messages of the ingest API.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeChunk } from '../../../server-contract/codec/index.js';
import { openGatewayDatabase, type GatewayDatabase } from '../../../main/queue/database.js';
import { PATIENTS_MIGRATIONS } from '../../../main/recorder/migrations.js';
import { UploadQueue, type UploadQueueOptions } from '../../../main/queue/upload-queue.js';
import { PRIORITY, type EnqueueInput } from '../../../main/queue/types.js';

export const RECORDING_A = '019a0000-0000-7000-8000-00000000000a';
export const RECORDING_B = '019a0000-0000-7000-8000-00000000000b';
export const PATIENT_ID = '019a0000-0000-7000-8000-0000000000f1';

export function tempDataDir(prefix = 'pulsewatch-queue-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function openDb(dataDir: string): GatewayDatabase {
  return openGatewayDatabase(dataDir, [PATIENTS_MIGRATIONS]);
}

/** A queue with a settable clock (`clock.nowMs`) and quota. */
export function openQueue(
  db: GatewayDatabase,
  clock: { nowMs: number },
  options: Partial<UploadQueueOptions> = {},
): UploadQueue {
  return new UploadQueue(db, { quotaBytes: () => 1e12, now: () => clock.nowMs, ...options });
}

/** xorshift32: deterministic pseudo-random integers from a seed. */
export function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 2 ** 32;
  };
}

/** Encoded ECG-like sampled chunk: 2 channels × `samples` counts, a function of its arguments. */
export function chunkBytes(
  recordingId: string,
  stream: string,
  chunkIndex: number,
  samples = 250,
): Uint8Array {
  const random = rng(chunkIndex * 7919 + stream.length * 31 + 1);
  const channel = (): Int32Array => {
    const out = new Int32Array(samples);
    for (let i = 0, v = 0; i < samples; i++) out[i] = v += Math.round((random() - 0.5) * 200);
    return out;
  };
  return encodeChunk({
    header: {
      kind: 'sampled',
      recordingId,
      stream,
      chunkIndex,
      anchorMs: 1_767_225_600_000,
      firstSampleIndex: chunkIndex * samples,
      sampleRateHz: 500,
      channels: [
        { name: 'I', scale: { unit: 'nV', perCount: 476.84 } },
        { name: 'II', scale: { unit: 'nV', perCount: 476.84 } },
      ],
      sampleCount: samples,
      gaps: [],
    },
    samples: [channel(), channel()],
  });
}

export function chunkInput(
  recordingId: string,
  stream: string,
  chunkIndex: number,
  extra: { priority?: number; afterId?: number | null; samples?: number } = {},
): EnqueueInput {
  return {
    kind: 'chunk',
    recordingId,
    stream,
    chunkIndex,
    bytes: chunkBytes(recordingId, stream, chunkIndex, extra.samples),
    priority: extra.priority ?? PRIORITY.samples,
    afterId: extra.afterId ?? null,
  };
}

export function patientInput(studyCode = 'P001', priority: number = PRIORITY.control): EnqueueInput {
  return {
    kind: 'control',
    route: 'patients.create',
    body: { id: PATIENT_ID, studyCode, createdAtMs: 1_767_225_600_000 },
    priority,
  };
}

export function voidInput(recordingId: string, priority: number = PRIORITY.control): EnqueueInput {
  return {
    kind: 'control',
    route: 'recordings.void',
    params: { recordingId },
    body: { reason: 'wrong patient attached' },
    recordingId,
    priority,
  };
}
