/**
 * Builds the export benchmark's recording straight into stores: 12-lead-capable ECG (the unit's 8
 * channels) at 500 Hz from LUDB record 1 looped, in 60-s chunks encoded with the contract's codec,
 * plus its beats (LUDB's lead II QRS annotations, looped) and a measurement snapshot every 2 s,
 * each chunk stored with its expanded rows as the upload path would. One chunk at a time is in
 * memory, whatever the length.
 */
import { v7 as uuidv7 } from 'uuid';
import { loadWfdbAnnotations } from '../main/devices/record-files.js';
import { chunkSha256Hex, decodeChunk, encodeChunk, type Chunk } from '../server-contract/codec/index.js';
import { expandChunk } from '../server/ingest/expand.js';
import type { Store } from '../server/store/store.js';
import { CHANNEL_NAMES, LSB_NANOVOLTS, loadCounts, SAMPLE_RATE_HZ } from './_ludb.js';

export const T0_MS = Date.UTC(2026, 0, 5, 8, 0, 0);
const CHUNK_SECONDS = 60;
const RECORD_SAMPLES = 5000;

export interface BenchRecording {
  patientId: string;
  recordingId: string;
  durationMs: number;
}

function measurement(tMs: number, k: number) {
  return {
    tMs,
    windowMs: 10_000,
    heartRateBpm: 70 + (k % 7),
    rrMs: 850,
    prMs: 160,
    qrsMs: 92,
    qtMs: 380,
    qtcBazettMs: 412,
    qtcFridericiaMs: 401,
    qtcFraminghamMs: 403,
    qtcHodgesMs: 398,
    qrsAxisDeg: 40,
    stUv: { II: -20 },
    sdnnMs: 45,
    rmssdMs: 30,
    pnn50Pct: 8,
    withheld: {},
  };
}

async function putAll(stores: Store[], recordingId: string, stream: string, chunk: Chunk): Promise<void> {
  const bytes = encodeChunk(chunk);
  const expanded = expandChunk(stream as 'ecg', decodeChunk(bytes));
  for (const store of stores) {
    const outcome = await store.putChunk({
      recordingId,
      stream,
      index: chunk.header.chunkIndex,
      sha256: chunkSha256Hex(bytes),
      startMs: expanded.startMs,
      endMs: expanded.endMs,
      sampleCount: expanded.sampleCount,
      bytes,
      receivedAtMs: Date.now(),
      rows: expanded.rows,
    });
    if (outcome !== 'stored') throw new Error(`chunk ${stream}/${chunk.header.chunkIndex}: ${outcome}`);
  }
}

async function createRows(
  stores: Store[],
  ids: { gatewayId: string; patientId: string; recordingId: string },
) {
  const now = Date.now();
  for (const store of stores) {
    await store.putGateway({
      id: ids.gatewayId,
      name: 'bench',
      platform: 'linux',
      appVersion: '0.1.0',
      secretHash: 'x',
      enrolledAtMs: now,
      revokedAtMs: null,
      lastSeenAtMs: null,
      backlogChunks: null,
      backlogBytes: null,
      oldestPendingAtMs: null,
    });
    await store.createPatient({
      id: ids.patientId,
      studyCode: 'B001',
      ageYears: 60,
      sex: null,
      studyGroup: null,
      notes: null,
      identitySealed: null,
      gatewayId: ids.gatewayId,
      createdAtMs: now,
      updatedAtMs: now,
    });
    await store.createRecording({
      id: ids.recordingId,
      patientId: ids.patientId,
      gatewayId: ids.gatewayId,
      operatorId: uuidv7(),
      operatorName: 'bench',
      devices: [{ kind: 'ecg12', serial: 'ECG-12345', name: 'ECG-12', firmware: '1.2.0', simulated: true }],
      simulated: true,
      startedAtMs: T0_MS,
      ecgSampleRateHz: SAMPLE_RATE_HZ,
      mainsHz: 50,
      createdAtMs: now,
      processing: { softwareVersion: '0.1.0', filters: { highPassHz: 0.5, lowPassHz: 40, notchHz: 50 } },
    });
  }
}

/** Writes a recording of `minutes` into every store. */
export async function buildRecording(
  stores: Store[],
  ludbDir: string,
  minutes: number,
): Promise<BenchRecording> {
  const ids = { gatewayId: uuidv7(), patientId: uuidv7(), recordingId: uuidv7() };
  await createRows(stores, ids);
  const record = loadCounts(ludbDir, '1');
  const beatSamples = loadWfdbAnnotations(ludbDir, '1', 'ii')
    .filter((a) => a.symbol === 'N')
    .map((a) => a.sample);
  const perChunk = CHUNK_SECONDS * SAMPLE_RATE_HZ;
  const samples = record.map((lead) =>
    Int32Array.from({ length: perChunk }, (_, i) => lead[i % RECORD_SAMPLES]!),
  );
  for (let index = 0; index < minutes; index++) {
    const anchorMs = T0_MS + index * CHUNK_SECONDS * 1000;
    await putAll(stores, ids.recordingId, 'ecg', {
      header: {
        kind: 'sampled',
        recordingId: ids.recordingId,
        stream: 'ecg',
        chunkIndex: index,
        anchorMs: T0_MS,
        firstSampleIndex: index * perChunk,
        sampleRateHz: SAMPLE_RATE_HZ,
        channels: CHANNEL_NAMES.map((name) => ({ name, scale: { unit: 'nV', perCount: LSB_NANOVOLTS } })),
        sampleCount: perChunk,
        gaps: [],
      },
      samples,
    });
    const beats = [];
    for (let loop = 0; loop < perChunk / RECORD_SAMPLES; loop++) {
      for (const s of beatSamples)
        beats.push({ tMs: anchorMs + ((loop * RECORD_SAMPLES + s) * 1000) / SAMPLE_RATE_HZ, beatClass: 'N' });
    }
    const header = { kind: 'records' as const, recordingId: ids.recordingId, chunkIndex: index, anchorMs };
    await putAll(stores, ids.recordingId, 'beats', {
      header: { ...header, stream: 'beats', recordCount: beats.length },
      records: beats,
    });
    const measurements = Array.from({ length: CHUNK_SECONDS / 2 }, (_, k) =>
      measurement(anchorMs + 2000 * (k + 1), k),
    );
    await putAll(stores, ids.recordingId, 'measurements', {
      header: { ...header, stream: 'measurements', recordCount: measurements.length },
      records: measurements,
    });
  }
  const durationMs = minutes * CHUNK_SECONDS * 1000;
  for (const store of stores) {
    await store.endRecording(
      ids.recordingId,
      T0_MS + durationMs,
      { ecg: minutes, beats: minutes, measurements: minutes },
      null,
    );
  }
  return { patientId: ids.patientId, recordingId: ids.recordingId, durationMs };
}
