/**
 * A recording for the export tests, uploaded as real encoded chunks through the HTTP API: ECG in
 * two runs (a reconnect 10 s after the start) with a 50-sample gap inside a chunk, beats,
 * measurements and events. The samples are a deterministic function of (channel, run, run index),
 * so the tests compute every expected exported value on their own.
 */
import type { RecordsChunk, SampledChunk } from '../../../server-contract/codec/index.js';
import { v7 as uuidv7 } from 'uuid';
import { bearer, encoded, putChunk, T0, type TestServer } from './harness.js';

export const RATE_HZ = 500;
export const LSB_NV = 476.84;
const ACQUIRED = ['I', 'II', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'];

/** Device counts of acquired channel `c` at `runIndex` of run `run` (odd values test half counts). */
export function counts(c: number, run: number, runIndex: number): number {
  return 2 * Math.round(1500 * Math.sin(runIndex / 37 + c + run)) + 1 + c;
}

/** The ECG chunks: `[anchorMs, firstSampleIndex, sampleCount, gaps]`. */
const ECG = [
  { run: 0, anchorMs: T0, first: 0, count: 1000, gaps: [] },
  {
    run: 0,
    anchorMs: T0,
    first: 1000,
    count: 1000,
    gaps: [{ atSample: 300, lengthSamples: 50, cause: 'frames_lost' }],
  },
  { run: 0, anchorMs: T0, first: 2050, count: 1000, gaps: [] },
  { run: 1, anchorMs: T0 + 10_000, first: 0, count: 1000, gaps: [] },
];

/** Frames of the exported grid and the present ranges `[start, end)`. */
export const FRAME_COUNT = 6000;
export const PRESENT: [number, number][] = [
  [0, 1300],
  [1350, 3050],
  [5000, 6000],
];

/** The 8 acquired channels' counts at a grid frame, or undefined in a gap. */
export function acquiredAt(frame: number): number[] | undefined {
  if (frame >= 5000) return ACQUIRED.map((_, c) => counts(c, 1, frame - 5000));
  if (PRESENT.some(([a, b]) => frame >= a && frame < b)) return ACQUIRED.map((_, c) => counts(c, 0, frame));
  return undefined;
}

function ecgChunk(recordingId: string, index: number): SampledChunk {
  const spec = ECG[index]!;
  const runIndexes: number[] = [];
  let skipped = 0;
  for (let i = 0; i < spec.count; i++) {
    for (const g of spec.gaps) if (g.atSample === i) skipped += g.lengthSamples;
    runIndexes.push(spec.first + i + skipped);
  }
  return {
    header: {
      kind: 'sampled',
      recordingId,
      stream: 'ecg',
      chunkIndex: index,
      anchorMs: spec.anchorMs,
      firstSampleIndex: spec.first,
      sampleRateHz: RATE_HZ,
      channels: ACQUIRED.map((name) => ({ name, scale: { unit: 'nV', perCount: LSB_NV } })),
      sampleCount: spec.count,
      gaps: spec.gaps,
    },
    samples: ACQUIRED.map((_, c) => Int32Array.from(runIndexes, (r) => counts(c, spec.run, r))),
  };
}

function records(recordingId: string, stream: string, list: RecordsChunk['records']): RecordsChunk {
  return {
    header: { kind: 'records', recordingId, stream, chunkIndex: 0, anchorMs: T0, recordCount: list.length },
    records: list,
  };
}

/** Beats every 400 ms over both runs, classes cycling N N V S N Q. */
export const BEATS = Array.from({ length: 30 }, (_, k) => ({
  tMs: T0 + 100 + k * 400,
  beatClass: (['N', 'N', 'V', 'S', 'N', 'Q'] as const)[k % 6]!,
})).filter((b) => b.tMs < T0 + 6000 || b.tMs >= T0 + 10_000);

export const MEASUREMENTS = [2000, 4000].map((dt) => ({
  tMs: T0 + dt,
  windowMs: 2000,
  heartRateBpm: 150,
  rrMs: 400,
  prMs: 160,
  qrsMs: 92,
  qtMs: 300,
  qtcBazettMs: 474,
  qtcFridericiaMs: 407,
  qtcFraminghamMs: 392,
  qtcHodgesMs: 457,
  qrsAxisDeg: 45,
  stUv: { II: -50 },
  sdnnMs: 12,
  rmssdMs: null,
  pnn50Pct: null,
  withheld: { rmssdMs: 'insufficient_beats' as const, pnn50Pct: 'insufficient_beats' as const },
}));

export const EVENTS: RecordsChunk['records'] = [
  { tMs: T0 + 900, kind: 'pvc', leads: ['V1'] },
  { tMs: T0 + 6100, kind: 'gap', durationMs: 3900, note: 'device reconnected' },
  { tMs: T0 + 11_000, kind: 'marker', note: 'patient coughed' },
];

/** The processing provenance the gateway declares. */
export const PROCESSING = {
  softwareVersion: '0.1.0',
  detector: { name: 'pw-qrs', version: '2.1' },
  measurements: { name: 'pw-measure', version: '1.4' },
  filters: { highPassHz: 0.5, lowPassHz: 40, notchHz: 50 as const },
};

/** Creates a patient (with identifying details) and a recording declaring its processing. */
async function createRecording(t: TestServer, token: string, simulated: boolean) {
  const patientId = uuidv7();
  const studyCode = `X${uuidv7().slice(-6)}`;
  const p = await t.http
    .post('/v1/patients')
    .set(bearer(token))
    .send({
      id: patientId,
      studyCode,
      createdAtMs: T0,
      identity: { name: 'Ada Lovelace', phone: '+44 20 7946 0000' },
    });
  if (p.status !== 201) throw new Error(`patient: ${p.status} ${p.text}`);
  const recordingId = uuidv7();
  const r = await t.http
    .post('/v1/recordings')
    .set(bearer(token))
    .send({
      id: recordingId,
      patientId,
      operator: { id: uuidv7(), name: 'Nurse A' },
      devices: [{ kind: 'ecg12', serial: 'ECG-12345', name: 'ECG-12', firmware: '1.2.0', simulated }],
      simulated,
      startedAtMs: T0,
      ecgSampleRateHz: RATE_HZ,
      mainsHz: 50,
      processing: PROCESSING,
    });
  if (r.status !== 201) throw new Error(`recording: ${r.status} ${r.text}`);
  return { patientId, studyCode, recordingId };
}

/** Uploads the recording; returns its ids. */
export async function uploadExportRecording(t: TestServer, gatewayToken: string, simulated = true) {
  const ids = await createRecording(t, gatewayToken, simulated);
  const put = async (chunk: SampledChunk | RecordsChunk) => {
    const { bytes, sha256 } = encoded(chunk);
    const res = await putChunk(
      t,
      gatewayToken,
      ids.recordingId,
      chunk.header.stream,
      chunk.header.chunkIndex,
      bytes,
      sha256,
    );
    if (res.status !== 201)
      throw new Error(`chunk ${chunk.header.stream}/${chunk.header.chunkIndex}: ${res.status} ${res.text}`);
  };
  for (let i = 0; i < ECG.length; i++) await put(ecgChunk(ids.recordingId, i));
  await put(records(ids.recordingId, 'beats', BEATS));
  await put(records(ids.recordingId, 'measurements', MEASUREMENTS));
  await put(records(ids.recordingId, 'events', EVENTS));
  const end = await t.http
    .post(`/v1/recordings/${ids.recordingId}/end`)
    .set(bearer(gatewayToken))
    .send({
      endedAtMs: T0 + 12_000,
      finalChunkCounts: { ecg: 4, beats: 1, measurements: 1, events: 1 },
      summary: {
        durationMs: 12_000,
        beats: BEATS.length,
        meanHeartRateBpm: 150,
        pvcCount: 1,
        pacCount: 0,
        signalQualityPct: 90,
        gapCount: 2,
        gapMs: 4000,
        hrReadings: 0,
        accelSamples: 0,
      },
    });
  if (end.status !== 200) throw new Error(`end: ${end.status} ${end.text}`);
  return ids;
}
