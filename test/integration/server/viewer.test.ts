import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordsChunk } from '../../../server-contract/codec/index.js';
import {
  bearer,
  createPatientAndRecording,
  encoded,
  enrollGateway,
  putChunk,
  staffToken,
  startTestServer,
  T0,
  type EnrolledGateway,
  type TestServer,
  METRICS_TOKEN,
} from './harness.js';

let t: TestServer;
let gw: EnrolledGateway;
let researcher: string;
let recordingId: string;
let patientId: string;

function recordsChunk(stream: string, records: RecordsChunk['records']): RecordsChunk {
  return {
    header: {
      kind: 'records',
      recordingId,
      stream,
      chunkIndex: 0,
      anchorMs: T0,
      recordCount: records.length,
    },
    records,
  };
}

const measurement = (tMs: number, heartRateBpm: number) => ({
  tMs,
  windowMs: 10_000,
  heartRateBpm,
  rrMs: Math.round(60_000 / heartRateBpm),
  prMs: 160,
  qrsMs: 92,
  qtMs: 380,
  qtcBazettMs: 410,
  qtcFridericiaMs: 400,
  qtcFraminghamMs: 401,
  qtcHodgesMs: 402,
  qrsAxisDeg: 45,
  stUv: { II: -50, V5: 20 },
  sdnnMs: 40,
  rmssdMs: null,
  pnn50Pct: null,
  withheld: { rmssdMs: 'insufficient_beats', pnn50Pct: 'insufficient_beats' },
});

beforeAll(async () => {
  t = await startTestServer();
  const admin = await staffToken(t, 'admin');
  researcher = await staffToken(t, 'researcher');
  gw = await enrollGateway(t, admin);
  ({ recordingId, patientId } = await createPatientAndRecording(t, gw.token));
  const chunks: [string, RecordsChunk['records']][] = [
    ['measurements', [measurement(T0 + 2000, 72), measurement(T0 + 4000, 75), measurement(T0 + 6000, 71)]],
    [
      'beats',
      [
        { tMs: T0 + 100, beatClass: 'N' },
        { tMs: T0 + 930, beatClass: 'V' },
        { tMs: T0 + 1800, beatClass: 'N' },
      ],
    ],
    [
      'events',
      [
        { tMs: T0 + 930, kind: 'pvc', leads: ['V1'] },
        { tMs: T0 + 5000, kind: 'lead_off', durationMs: 1500, leads: ['RA'], note: 'electrode, "RA"' },
      ],
    ],
    ['battery', [{ tMs: T0, pct: 88, charging: false }]],
  ];
  for (const [stream, records] of chunks) {
    const { bytes, sha256 } = encoded(recordsChunk(stream, records));
    const res = await putChunk(t, gw.token, recordingId, stream, 0, bytes, sha256);
    if (res.status !== 201) throw new Error(`${stream}: ${res.status} ${JSON.stringify(res.body)}`);
  }
});

afterAll(async () => {
  await t.close();
});

describe('viewer data', () => {
  it('returns the measurements timeline as sent, with truncation when over the limit', async () => {
    const all = await t.http.get(`/v1/recordings/${recordingId}/measurements`).set(bearer(researcher));
    expect(all.status).toBe(200);
    expect(all.body).toEqual({
      simulated: true,
      truncated: false,
      items: [measurement(T0 + 2000, 72), measurement(T0 + 4000, 75), measurement(T0 + 6000, 71)],
    });
    const capped = await t.http
      .get(`/v1/recordings/${recordingId}/measurements?limit=2&fromMs=${T0}`)
      .set(bearer(researcher));
    expect(capped.body.truncated).toBe(true);
    expect(capped.body.items).toHaveLength(2);
  });

  it('returns beats and events in a time range', async () => {
    const beats = await t.http
      .get(`/v1/recordings/${recordingId}/beats?fromMs=${T0 + 500}&toMs=${T0 + 2000}`)
      .set(bearer(researcher));
    expect(beats.body.items).toEqual([
      { tMs: T0 + 930, beatClass: 'V' },
      { tMs: T0 + 1800, beatClass: 'N' },
    ]);
    const events = await t.http.get(`/v1/recordings/${recordingId}/events`).set(bearer(researcher));
    expect(events.body.items).toEqual([
      { tMs: T0 + 930, kind: 'pvc', leads: ['V1'] },
      { tMs: T0 + 5000, kind: 'lead_off', durationMs: 1500, leads: ['RA'], note: 'electrode, "RA"' },
    ]);
  });

  it('returns the watch battery series', async () => {
    const res = await t.http
      .get(`/v1/recordings/${recordingId}/watch?series=battery`)
      .set(bearer(researcher));
    expect(res.body).toEqual({
      series: 'battery',
      simulated: true,
      items: [{ tMs: T0, pct: 88, charging: false }],
    });
  });

  it('rejects a reversed time range naming the field', async () => {
    const res = await t.http
      .get(`/v1/recordings/${recordingId}/beats?fromMs=${T0 + 10}&toMs=${T0}`)
      .set(bearer(researcher));
    expect(res.status).toBe(400);
    expect(res.body.error.issues[0].path).toBe('query.toMs');
  });

  it('exports measurements and events as CSV with quoted text', async () => {
    const m = await t.http
      .get(`/v1/exports?series=measurements&patientId=${patientId}`)
      .set(bearer(researcher));
    const lines = m.text.trim().split('\r\n');
    expect(lines[0]).toContain('heart_rate_bpm,rr_ms,pr_ms,qrs_ms');
    expect(lines).toHaveLength(4);
    const header = lines[0]!.split(',');
    expect(lines[1]!.split(',')[header.indexOf('heart_rate_bpm')]).toBe('72');
    const e = await t.http.get(`/v1/exports?series=events&patientId=${patientId}`).set(bearer(researcher));
    expect(e.text).toContain('lead_off,1500,RA,"electrode, ""RA"""');
  });

  it('counts ingested chunks and bytes in the metrics', async () => {
    const metrics = await t.http.get('/metrics').set('authorization', `Bearer ${METRICS_TOKEN}`);
    expect(metrics.text).toContain(
      'pulsewatch_chunks_ingested_total{stream="measurements",outcome="stored"} 1',
    );
    expect(metrics.text).toMatch(/pulsewatch_chunk_bytes_ingested_total\{stream="beats"\} [1-9]/);
  });
});
