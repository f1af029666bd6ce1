/**
 * After the e2e-sync drain: what the server's database holds for the recording, checked against
 * the gateway's queue (every chunk present once, byte for byte the sealed bytes, the recording
 * ended with final counts that match) and against the source (every ECG sample equal to what the
 * simulator's synthetic source produced at its index). Returns the decoded chunks the clinic-JSON
 * comparison needs.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import {
  decodeChunk,
  sampleRunIndex,
  type RecordsChunk,
  type SampledChunk,
} from '../server-contract/codec/index.js';
import { syntheticSource } from '../main/devices/ecg12/sim/synthetic-source.js';
import { readServerRecording } from '../test/integration/chaos/verify.js';
import { ECG_LSB_NANOVOLTS, ECG_RATE_HZ, ECG_SEED, REALISTIC_NOISE } from './_e2e-feed.js';

export interface E2eVerification {
  serverChunks: number;
  gatewayChunks: number;
  /** Chunks the gateway sealed that the server lacks, or holds with other bytes. */
  missingOrDifferent: string[];
  /** Chunk rows beyond the gateway's (there is a primary key, so this should be impossible). */
  extraChunks: number;
  finalCountsMatch: boolean;
  ended: boolean;
  ecgSamplesChecked: number;
  ecgSamplesWrong: number;
  ecg: SampledChunk[];
  measurements: RecordsChunk[];
  events: RecordsChunk[];
}

interface Row {
  stream: string;
  chunk_index: number;
  blob: Buffer;
}

function gatewayChunks(gatewayDir: string, recordingId: string): Map<string, Buffer> {
  const db = new Database(join(gatewayDir, 'gateway.db'), { readonly: true });
  try {
    const rows = db
      .prepare(
        `SELECT i.stream, i.chunk_index, p.bytes AS blob FROM queue_items i
         JOIN queue_payloads p ON p.item_id = i.id WHERE i.kind = 'chunk' AND i.recording_id = ?`,
      )
      .all(recordingId) as Row[];
    return new Map(rows.map((r) => [`${r.stream}#${r.chunk_index}`, r.blob]));
  } finally {
    db.close();
  }
}

/** Checks the server's copy; `serverDbFile` is read after the server stopped. */
export function verifyServerCopy(
  serverDbFile: string,
  gatewayDir: string,
  recordingId: string,
  noisy: boolean,
): E2eVerification {
  const sealed = gatewayChunks(gatewayDir, recordingId);
  const { finalCounts, ended, rows } = readServerRecording(serverDbFile, recordingId);
  const held = new Map(rows.map((r) => [`${r.stream}#${r.chunk_index}`, r.blob]));
  const missingOrDifferent = [...sealed]
    .filter(([key, bytes]) => !(held.get(key)?.equals(bytes) ?? false))
    .map(([key]) => key);
  const perStream: Record<string, number> = {};
  for (const key of sealed.keys()) {
    const stream = key.split('#')[0]!;
    perStream[stream] = (perStream[stream] ?? 0) + 1;
  }
  const finalCountsMatch = Object.entries(perStream).every(([s, n]) => (finalCounts[s] ?? 0) === n);
  const decoded = rows.map((r) => decodeChunk(new Uint8Array(r.blob)));
  const ecg = decoded.filter(
    (c): c is SampledChunk => c.header.kind === 'sampled' && c.header.stream === 'ecg',
  );
  const records = (stream: string) =>
    decoded.filter((c): c is RecordsChunk => c.header.kind === 'records' && c.header.stream === stream);
  const wrong = checkEcg(ecg, noisy);
  return {
    serverChunks: rows.length,
    gatewayChunks: sealed.size,
    missingOrDifferent,
    extraChunks: rows.length - (sealed.size - missingOrDifferent.length),
    finalCountsMatch,
    ended,
    ecgSamplesChecked: wrong.checked,
    ecgSamplesWrong: wrong.wrong,
    ecg,
    measurements: records('measurements'),
    events: records('events'),
  };
}

/** Sample sets that differ from the source at their run index. */
function checkEcg(ecg: SampledChunk[], noisy: boolean): { checked: number; wrong: number } {
  const sorted = [...ecg].sort((a, b) => a.header.firstSampleIndex - b.header.firstSampleIndex);
  const source = syntheticSource(ECG_RATE_HZ, ECG_LSB_NANOVOLTS, {
    seed: ECG_SEED,
    ...(noisy ? { noise: REALISTIC_NOISE } : {}),
  });
  const expected = new Int32Array(8);
  let checked = 0;
  let wrong = 0;
  for (const chunk of sorted) {
    for (let i = 0; i < chunk.header.sampleCount; i++) {
      source.fill(sampleRunIndex(chunk.header, i), expected, 0);
      checked++;
      for (let c = 0; c < 8; c++) {
        if (chunk.samples[c]![i] !== expected[c]) {
          wrong++;
          break;
        }
      }
    }
  }
  return { checked, wrong };
}
