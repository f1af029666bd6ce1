import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordsChunk } from '../../../server-contract/codec/index.js';
import type { EcgPage, Trend } from '../../../server-contract/api/index.js';
import { KyselyStore } from '../../../server/store/kysely-store.js';
import { backfillTrendRows } from '../../../server/store/trend-backfill.js';
import {
  accelChunk,
  batteryChunk,
  bearer,
  createPatientAndRecording,
  ecgChunk,
  encoded,
  enrollGateway,
  hrChunk,
  putChunk,
  staffToken,
  startTestServer,
  T0,
  type EnrolledGateway,
  type TestServer,
} from './harness.js';

let t: TestServer;
let gw: EnrolledGateway;
let admin: string;
let clinician: string;
let researcher: string;
let recordingId: string;
let patientId: string;

/** Heart rate 60 + i bpm, QTc 400 + i ms, ST(II) −10·i µV; every 4th snapshot withheld for poor signal. */
function snapshot(tMs: number, i: number): RecordsChunk['records'][number] {
  const poor = i % 4 === 3;
  return {
    tMs,
    windowMs: 10_000,
    heartRateBpm: poor ? null : 60 + i,
    rrMs: null,
    prMs: null,
    qrsMs: null,
    qtMs: null,
    qtcBazettMs: poor ? null : 400 + i,
    qtcFridericiaMs: poor ? null : 390 + i,
    qtcFraminghamMs: null,
    qtcHodgesMs: null,
    qrsAxisDeg: null,
    stUv: poor ? {} : { II: -10 * i },
    sdnnMs: null,
    rmssdMs: null,
    pnn50Pct: null,
    withheld: poor ? { heartRateBpm: 'poor_signal' } : {},
  };
}

function records(stream: string, index: number, list: RecordsChunk['records']): RecordsChunk {
  return {
    header: {
      kind: 'records',
      recordingId,
      stream,
      chunkIndex: index,
      anchorMs: T0,
      recordCount: list.length,
    },
    records: list,
  };
}

async function upload(stream: string, index: number, chunk: Parameters<typeof encoded>[0]) {
  const { bytes, sha256 } = encoded(chunk);
  const res = await putChunk(t, gw.token, recordingId, stream, index, bytes, sha256);
  if (res.status !== 201) throw new Error(`${stream} ${index}: ${res.status} ${JSON.stringify(res.body)}`);
}

beforeAll(async () => {
  t = await startTestServer();
  admin = await staffToken(t, 'admin');
  clinician = await staffToken(t, 'clinician');
  researcher = await staffToken(t, 'researcher');
  gw = await enrollGateway(t, admin);
  ({ recordingId, patientId } = await createPatientAndRecording(t, gw.token));
  // 3 minutes of ECG in 60-s chunks; the second has a 1-s gap at 30 s.
  await upload('ecg', 0, ecgChunk(recordingId, 0, { seconds: 60 }));
  await upload(
    'ecg',
    1,
    ecgChunk(recordingId, 1, {
      seconds: 60,
      gaps: [{ atSample: 15_000, lengthSamples: 500, cause: 'lead_off' }],
    }),
  );
  // Snapshots every 2 s over minutes 0 and 1, split across two chunks in the middle of minute 0.
  const snaps = Array.from({ length: 60 }, (_, i) => snapshot(T0 + i * 2000, i));
  await upload('measurements', 0, records('measurements', 0, snaps.slice(0, 15)));
  await upload('measurements', 1, records('measurements', 1, snaps.slice(15)));
  const beats = Array.from({ length: 180 }, (_, i) => ({
    tMs: T0 + i * 1000,
    beatClass: i % 10 === 5 ? 'V' : 'N',
  }));
  await upload('beats', 0, records('beats', 0, beats));
  await upload(
    'events',
    0,
    records('events', 0, [
      { tMs: T0 + 55_000, kind: 'signal_quality', durationMs: 10_000, leads: ['V2'] },
      { tMs: T0 + 65_000, kind: 'pvc', leads: ['V1'] },
      { tMs: T0 + 150_000, kind: 'marker', note: 'stairs' },
    ]),
  );
  await upload('hr', 0, hrChunk(recordingId, 0));
  await upload('accel', 0, accelChunk(recordingId, 0, 8));
  await upload('battery', 0, batteryChunk(recordingId, 0));
});

afterAll(async () => {
  await t.close();
});

describe('ECG page', () => {
  it('returns one 10-s page of every stored channel with its beats (with class) and overlapping events', async () => {
    const res = await t.http
      .get(`/v1/recordings/${recordingId}/page`)
      .query({ fromMs: T0 + 60_000 })
      .set(bearer(researcher));
    expect(res.status).toBe(200);
    const page = res.body as EcgPage;
    expect(page.toMs - page.fromMs).toBe(10_000);
    expect(page.simulated).toBe(true);
    expect(page.recordingStartMs).toBe(T0);
    expect(page.recordingEndMs).toBe(T0 + 121_000);
    expect(page.ecg?.leads).toEqual(['I', 'II', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6']);
    expect(page.ecg?.runs.map((r) => [r.startMs, r.sampleCount])).toEqual([[T0 + 60_000, 5000]]);
    expect(page.ecg?.runs[0]?.channels).toHaveLength(8);
    expect(page.beats).toHaveLength(10);
    expect(page.beats.filter((b) => b.beatClass === 'V').map((b) => b.tMs)).toEqual([T0 + 65_000]);
    expect(page.events.map((e) => e.kind)).toEqual(['signal_quality', 'pvc']);
  });

  it('draws a gap as a gap: two runs and the gap with its cause', async () => {
    const res = await t.http
      .get(`/v1/recordings/${recordingId}/page`)
      .query({ fromMs: T0 + 85_000 })
      .set(bearer(clinician));
    const page = res.body as EcgPage;
    // The gap shifts the chunk's later samples by its length: 30 s in, 1 s long.
    expect(page.ecg?.gaps).toEqual([{ startMs: T0 + 90_000, durationMs: 1000, cause: 'lead_off' }]);
    expect(page.ecg?.runs.map((r) => [r.startMs, r.sampleCount])).toEqual([
      [T0 + 85_000, 2500],
      [T0 + 91_000, 2000],
    ]);
  });

  it('answers a page past the ECG with no ECG rather than an error', async () => {
    const res = await t.http
      .get(`/v1/recordings/${recordingId}/page`)
      .query({ fromMs: T0 + 145_000, durationMs: 10_000 })
      .set(bearer(researcher));
    expect(res.status).toBe(200);
    expect((res.body as EcgPage).ecg).toBeNull();
    expect((res.body as EcgPage).events.map((e) => e.note)).toEqual(['stairs']);
  });

  it('rejects a page longer than a minute naming the field', async () => {
    const res = await t.http
      .get(`/v1/recordings/${recordingId}/page`)
      .query({ fromMs: T0, durationMs: 600_000 })
      .set(bearer(researcher));
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('query.durationMs');
  });
});

describe('trends', () => {
  it('merges per-minute partials written by two chunks into exact means, quality and ST', async () => {
    const res = await t.http.get(`/v1/recordings/${recordingId}/trends`).set(bearer(researcher));
    expect(res.status).toBe(200);
    const trend = res.body as Trend;
    expect(trend.bucketMs).toBe(60_000);
    expect(trend.fromMs).toBe(Math.floor(T0 / 60_000) * 60_000);
    const minute0 = trend.ecg.find((p) => p.tMs <= T0 && T0 < p.tMs + 60_000)!;
    // Snapshots in the first minute of T0's bucket: computed outside the server.
    const inBucket = Array.from({ length: 60 }, (_, i) => i).filter(
      (i) => T0 + i * 2000 < minute0.tMs + 60_000,
    );
    const good = inBucket.filter((i) => i % 4 !== 3);
    const mean = (xs: number[]) => Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 10) / 10;
    expect(minute0.snapshots).toBe(inBucket.length);
    expect(minute0.heartRateBpm).toBe(mean(good.map((i) => 60 + i)));
    expect(minute0.heartRateMinBpm).toBe(60 + good[0]!);
    expect(minute0.heartRateMaxBpm).toBe(60 + good[good.length - 1]!);
    expect(minute0.qtcBazettMs).toBe(mean(good.map((i) => 400 + i)));
    expect(minute0.stUv).toEqual({ II: mean(good.map((i) => -10 * i)) });
    expect(minute0.signalQualityPct).toBe(Math.round((good.length / inBucket.length) * 1000) / 10);
  });

  it('gives the watch heart rate, movement and last battery reading per bucket', async () => {
    const res = await t.http
      .get(`/v1/recordings/${recordingId}/trends`)
      .query({ bucketMs: 120_000 })
      .set(bearer(clinician));
    const trend = res.body as Trend;
    expect(trend.bucketMs).toBe(120_000);
    const first = trend.watch[0]!;
    expect(first.heartRateBpm).not.toBeNull();
    expect(first.batteryPct).toBe(88);
    expect(first.charging).toBe(false);
    // The test accelerometer's z axis is 1 g ± 25 mg: ENMO (clipped at 0) stays below 26 mg.
    expect(first.movementMg).toBeGreaterThan(0);
    expect(first.movementMg).toBeLessThan(26);
  });

  it('rejects a bucket that is not a whole number of minutes', async () => {
    const res = await t.http
      .get(`/v1/recordings/${recordingId}/trends`)
      .query({ bucketMs: 90_000 })
      .set(bearer(researcher));
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('query.bucketMs');
  });

  it('answers a repeated trend from its cache until a new chunk adds to it', async () => {
    const range = { fromMs: T0 - 60_000, toMs: T0 + 10 * 60_000 };
    const get = async () => {
      const res = await t.http
        .get(`/v1/recordings/${recordingId}/trends`)
        .query(range)
        .set(bearer(clinician));
      expect(res.status).toBe(200);
      return res.body as Trend;
    };
    const first = await get();
    expect(await get()).toEqual(first);
    const minute3 = T0 + 3 * 60_000;
    expect(first.ecg.some((p) => p.tMs >= minute3)).toBe(false);
    const late = Array.from({ length: 30 }, (_, i) => snapshot(minute3 + i * 2000, i));
    await upload('measurements', 2, records('measurements', 2, late));
    const after = await get();
    const bucket = Math.floor(minute3 / 60_000) * 60_000;
    const added = after.ecg.filter((p) => p.tMs >= bucket && p.tMs < bucket + 120_000);
    expect(added.reduce((n, p) => n + p.snapshots, 0)).toBe(30);
    expect(after.ecg.filter((p) => p.tMs < bucket)).toEqual(first.ecg);
  });

  it('rebuilds the same partials from stored rows (the migration of an existing database)', async () => {
    const store = t.store;
    if (!(store instanceof KyselyStore)) throw new Error('the test server runs the kysely store');
    const before = await store.trendPartials(recordingId, { fromMs: 0, toMs: T0 + 3_600_000 });
    await sql`delete from trend_rows`.execute(store.db);
    expect(await store.trendPartials(recordingId, { fromMs: 0, toMs: T0 + 3_600_000 })).toEqual([]);
    await backfillTrendRows(store.db, 'sqlite');
    const after = await store.trendPartials(recordingId, { fromMs: 0, toMs: T0 + 3_600_000 });
    const key = (r: { source: string; tMs: number }) => `${r.source}${r.tMs}`;
    const sort = <T extends { source: string; tMs: number }>(xs: T[]) =>
      [...xs].sort((a, b) => (key(a) < key(b) ? -1 : 1));
    expect(sort(after)).toEqual(sort(before));
  });
});

describe('lists and roles for the viewer', () => {
  it('lists a patient’s recordings with their gateway name and operator', async () => {
    const res = await t.http.get('/v1/recordings').query({ patientId }).set(bearer(clinician));
    const [rec] = (res.body as { items: { gatewayName: string; operator: { name: string } }[] }).items;
    expect(rec?.gatewayName).toBe('Desk 1');
    expect(rec?.operator.name).toBe('Nurse A');
  });

  it('lists enrollment codes for admins without the codes, with their state', async () => {
    const res = await t.http.get('/v1/enrollment-codes').set(bearer(admin));
    expect(res.status).toBe(200);
    const items = (res.body as { items: Record<string, unknown>[] }).items;
    expect(items[0]).toMatchObject({ label: 'Desk 1', status: 'used', usedByGatewayId: gw.id });
    expect(items.every((item) => !('code' in item))).toBe(true);
    // A whole code value (four groups of four, quoted): a UUID's digit-only groups must not match.
    expect(JSON.stringify(res.body)).not.toMatch(/"[A-Z0-9]{4}(-[A-Z0-9]{4}){3}"/);
  });

  it.each([['/v1/gateways'], ['/v1/enrollment-codes'], ['/v1/users'], ['/v1/audit'], ['/v1/error-reports']])(
    'keeps clinicians and researchers out of the IT page %s',
    async (path) => {
      for (const token of [clinician, researcher]) {
        const res = await t.http.get(path).set(bearer(token));
        expect(res.status).toBe(403);
      }
    },
  );

  it('shows researchers no identifying details', async () => {
    await t.http
      .patch(`/v1/patients/${patientId}`)
      .set(bearer(clinician))
      .send({ identity: { name: 'Jane Roe' }, notes: 'lives with Jane' });
    const asResearcher = await t.http.get(`/v1/patients/${patientId}`).set(bearer(researcher));
    expect(JSON.stringify(asResearcher.body)).not.toContain('Jane');
    const asClinician = await t.http.get(`/v1/patients/${patientId}`).set(bearer(clinician));
    expect(JSON.stringify(asClinician.body)).toContain('Jane Roe');
  });
});
