/**
 * A recording for the viewer spec, made the way a gateway makes one and uploaded through the
 * contract's typed client over the gateway's own HTTP transport: 4 minutes of synthetic 8-channel
 * ECG at 500 Hz (seeded, with PVCs and PACs) in 60-s chunks with a 4-s gap in the second chunk,
 * the generator's beats, 2-s measurements, events (PVCs, the gap, a staff marker), and the watch's
 * heart rate, battery and accelerometer; then the recording-end message with its summary.
 */
import { v7 as uuidv7 } from 'uuid';
import { SyntheticEcg } from '../../main/dsp/synthetic.js';
import { HttpTransport } from '../../main/sync/http-transport.js';
import {
  StreamNameSchema,
  createApiClient,
  routes,
  type ApiClient,
  type Routes,
} from '../../server-contract/api/index.js';
import {
  chunkSha256Hex,
  encodeChunk,
  type Chunk,
  type RecordsChunk,
  type SampledChunk,
} from '../../server-contract/codec/index.js';

export const RATE_HZ = 500;
export const CHUNK_S = 60;
export const CHUNKS = 4;
/** The gap: 4 s starting 20 s into the second chunk (run time 80–84 s). */
export const GAP = { chunk: 1, atSample: 20 * RATE_HZ, lengthSamples: 4 * RATE_HZ };
export const MARKER_AT_S = 150;
const LEADS = ['I', 'II', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'];
const LSB_NV = 476.84;

export interface UploadedRecording {
  patientId: string;
  recordingId: string;
  studyCode: string;
  startedAtMs: number;
  durationMs: number;
  beats: number;
}

type Client = ApiClient<Routes>;

async function put(client: Client, token: string, chunk: Chunk): Promise<void> {
  const bytes = encodeChunk(chunk);
  await client['chunks.upload']({
    authToken: token,
    params: {
      recordingId: chunk.header.recordingId,
      stream: StreamNameSchema.parse(chunk.header.stream),
      index: chunk.header.chunkIndex,
    },
    headers: { 'x-chunk-sha256': chunkSha256Hex(bytes) },
    body: bytes,
  });
}

function records(
  recordingId: string,
  stream: string,
  anchorMs: number,
  // the contract's record objects; their optional fields are simply absent in JSON
  items: readonly object[],
): RecordsChunk {
  return {
    header: { kind: 'records', recordingId, stream, chunkIndex: 0, anchorMs, recordCount: items.length },
    records: items as RecordsChunk['records'],
  };
}

/** The ECG chunks and the beats that fall where there is signal. */
function ecg(recordingId: string, t0: number) {
  const gen = new SyntheticEcg({ seed: 7, heartRateBpm: 72, pvcProbability: 0.06, pacProbability: 0.04 });
  const perChunk = CHUNK_S * RATE_HZ;
  const chunks: SampledChunk[] = [];
  const beats: { tMs: number; beatClass: 'N' | 'S' | 'V' }[] = [];
  for (let k = 0; k < CHUNKS; k++) {
    const block = gen.nextBlock(perChunk);
    const gap = k === GAP.chunk ? GAP : undefined;
    const keep = (i: number) =>
      gap === undefined || i < gap.atSample || i >= gap.atSample + gap.lengthSamples;
    const samples = block.counts.map((c) => Int32Array.from(c.filter((_, i) => keep(i))));
    for (const b of block.beats)
      if (keep(b.sampleIndex - k * perChunk))
        beats.push({ tMs: Math.round(t0 + (b.sampleIndex * 1000) / RATE_HZ), beatClass: b.beatClass });
    chunks.push({
      header: {
        kind: 'sampled',
        recordingId,
        stream: 'ecg',
        chunkIndex: k,
        anchorMs: t0,
        firstSampleIndex: k * perChunk,
        sampleRateHz: RATE_HZ,
        channels: LEADS.map((name) => ({ name, scale: { unit: 'nV', perCount: LSB_NV } })),
        sampleCount: samples[0]!.length,
        gaps:
          gap === undefined
            ? []
            : [{ atSample: gap.atSample, lengthSamples: gap.lengthSamples, cause: 'device' }],
      },
      samples,
    });
  }
  return { chunks, beats };
}

function measurements(t0: number, beats: { tMs: number }[]) {
  const out = [];
  for (let t = 10_000; t <= CHUNKS * CHUNK_S * 1000; t += 2000) {
    const inWindow = beats.filter((b) => b.tMs > t0 + t - 10_000 && b.tMs <= t0 + t);
    const inGap = t > 80_000 && t - 10_000 < 84_000;
    const hr =
      inWindow.length >= 2
        ? Math.round((60_000 * (inWindow.length - 1)) / (inWindow.at(-1)!.tMs - inWindow[0]!.tMs))
        : null;
    const rr = hr === null ? null : Math.round(60_000 / hr);
    out.push({
      tMs: t0 + t,
      windowMs: 10_000,
      heartRateBpm: inGap ? null : hr,
      rrMs: inGap ? null : rr,
      prMs: 160,
      qrsMs: 92,
      qtMs: 380,
      qtcBazettMs: rr === null || inGap ? null : Math.round(380 / Math.sqrt(rr / 1000)),
      qtcFridericiaMs: rr === null || inGap ? null : Math.round(380 / Math.cbrt(rr / 1000)),
      qtcFraminghamMs: null,
      qtcHodgesMs: null,
      qrsAxisDeg: 45,
      stUv: { I: 10, II: -40 + (t % 20_000) / 1000, V2: 30, V5: -20 },
      sdnnMs: 40,
      rmssdMs: null,
      pnn50Pct: null,
      withheld: inGap
        ? { heartRateBpm: 'poor_signal' as const, rrMs: 'poor_signal' as const }
        : { rmssdMs: 'insufficient_beats' as const, pnn50Pct: 'insufficient_beats' as const },
    });
  }
  return out;
}

function watch(recordingId: string, t0: number) {
  const seconds = CHUNKS * CHUNK_S;
  const hr = Array.from({ length: seconds }, (_, i) => ({
    tMs: t0 + i * 1000,
    bpm: 70 + Math.round(8 * Math.sin(i / 20)),
    confidence: 90,
  }));
  const battery = Array.from({ length: seconds / 30 }, (_, i) => ({
    tMs: t0 + i * 30_000,
    pct: 80 - i,
    charging: false,
  }));
  const count = seconds * 12.5;
  const accel: SampledChunk = {
    header: {
      kind: 'sampled',
      recordingId,
      stream: 'accel',
      chunkIndex: 0,
      anchorMs: t0,
      firstSampleIndex: 0,
      sampleRateHz: 12.5,
      channels: ['x', 'y', 'z'].map((name) => ({ name, scale: { unit: 'mg', perCount: 1 } })),
      sampleCount: count,
      gaps: [],
    },
    samples: [0, 1, 2].map((axis) =>
      Int32Array.from(
        { length: count },
        (_, i) =>
          (axis === 2 ? 1000 : 0) + (i > count / 2 ? ((i * 37 + axis * 11) % 400) - 200 : (i % 7) - 3),
      ),
    ),
  };
  return { hr, battery, accel };
}

/** Enrolls a gateway with `adminToken`'s code and uploads the recording; returns what the spec checks. */
export async function uploadRecording(
  baseUrl: string,
  adminToken: string,
  studyCode: string,
): Promise<UploadedRecording> {
  const t0 = Date.UTC(2025, 10, 21, 8, 30, 0);
  const recordingId = uuidv7();
  // generated before the first request: seconds of generation between requests would let the
  // server close the kept-alive connection under the next request
  const { chunks, beats } = ecg(recordingId, t0);
  const transport = new HttpTransport({ baseUrl });
  const client = createApiClient(routes, transport.send);
  const code = await client['enrollment.createCode']({
    authToken: adminToken,
    body: { label: 'Ward 3 desk' },
  });
  const gatewayId = uuidv7();
  const creds = await client['gateways.enroll']({
    body: { code: code.body.code, gatewayId, name: 'Ward 3 desk', platform: 'linux', appVersion: '0.1.0' },
  });
  const { body: gw } = await client['gateways.token']({ body: creds.body });
  const token = gw.accessToken;
  await client['gateways.heartbeat']({
    authToken: token,
    body: {
      appVersion: '0.1.0',
      backlogChunks: 3,
      backlogBytes: 150_000,
      oldestPendingAtMs: Date.now() - 600_000,
      sentAtMs: Date.now(),
    },
  });
  const patientId = uuidv7();
  await client['patients.create']({
    authToken: token,
    body: {
      id: patientId,
      studyCode,
      createdAtMs: t0,
      ageYears: 67,
      sex: 'female',
      studyGroup: 'Holter',
      identity: { name: 'Ada Example', phone: '+44 20 7946 0000' },
    },
  });
  await client['recordings.create']({
    authToken: token,
    body: {
      id: recordingId,
      patientId,
      operator: { id: uuidv7(), name: 'Nurse Ratched' },
      devices: [
        { kind: 'ecg12', serial: 'SIM-ECG12-0001', simulated: true },
        { kind: 'bangle', serial: 'aa:bb:cc:dd:ee:ff', simulated: true },
      ],
      simulated: true,
      startedAtMs: t0,
      ecgSampleRateHz: RATE_HZ,
    },
  });
  for (const chunk of chunks) await put(client, token, chunk);
  const m = measurements(t0, beats);
  const events = [
    ...beats
      .filter((b) => b.beatClass === 'V')
      .map((b) => ({ tMs: b.tMs, kind: 'pvc' as const, leads: ['V1'] })),
    { tMs: t0 + 80_000, kind: 'gap' as const, durationMs: 4000, note: 'ECG unit unplugged' },
    { tMs: t0 + MARKER_AT_S * 1000, kind: 'marker' as const, note: 'Patient climbs stairs' },
  ].sort((a, b) => a.tMs - b.tMs);
  const w = watch(recordingId, t0);
  await put(client, token, records(recordingId, 'beats', t0, beats));
  await put(client, token, records(recordingId, 'measurements', t0, m));
  await put(client, token, records(recordingId, 'events', t0, events));
  await put(client, token, records(recordingId, 'hr', t0, w.hr));
  await put(client, token, records(recordingId, 'battery', t0, w.battery));
  await put(client, token, w.accel);
  const durationMs = CHUNKS * CHUNK_S * 1000;
  const hrs = m.map((x) => x.heartRateBpm).filter((x): x is number => x !== null);
  await client['recordings.end']({
    authToken: token,
    params: { recordingId },
    body: {
      endedAtMs: t0 + durationMs,
      finalChunkCounts: { ecg: CHUNKS, beats: 1, measurements: 1, events: 1, hr: 1, battery: 1, accel: 1 },
      summary: {
        durationMs,
        beats: beats.length,
        meanHeartRateBpm: Math.round(hrs.reduce((a, b) => a + b, 0) / hrs.length),
        pvcCount: beats.filter((b) => b.beatClass === 'V').length,
        pacCount: beats.filter((b) => b.beatClass === 'S').length,
        signalQualityPct: Math.round((100 * (durationMs - 4000)) / durationMs),
        gapCount: 1,
        gapMs: 4000,
        hrReadings: w.hr.length,
        accelSamples: w.accel.header.sampleCount,
        minHeartRateBpm: Math.min(...hrs),
        maxHeartRateBpm: Math.max(...hrs),
        endReason: 'stopped',
      },
    },
  });
  const report = await transport.send({
    method: 'POST',
    path: '/v1/reports',
    query: {},
    headers: { authorization: `Bearer ${token}` },
    body: {
      kind: 'multipart',
      fields: {
        metadata: JSON.stringify({
          id: uuidv7(),
          recordingId,
          kind: 'summary',
          createdAtMs: t0 + durationMs,
          title: 'Holter summary',
          simulated: true,
        }),
      },
      file: {
        field: 'file',
        bytes: new TextEncoder().encode(MINIMAL_PDF),
        contentType: 'application/pdf',
        fileName: 'report.pdf',
      },
    },
  });
  if (report.status !== 201)
    throw new Error(`report upload: ${report.status} ${JSON.stringify(report.body)}`);
  return { patientId, recordingId, studyCode, startedAtMs: t0, durationMs, beats: beats.length };
}

/** The smallest well-formed one-page PDF. */
const MINIMAL_PDF = `%PDF-1.4
1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj
2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj
3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj
trailer<</Root 1 0 R>>
%%EOF
`;
