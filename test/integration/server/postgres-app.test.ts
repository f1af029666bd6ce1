/**
 * The chunk path and exports over HTTP against a real PostgreSQL (embedded, 15.x): concurrency
 * and idempotency rely on the database, so they are checked on both dialects.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../../../server/store/postgres.js';
import type { KyselyStore } from '../../../server/store/kysely-store.js';
import { startPostgres, type RunningPostgres } from './embedded-pg.js';
import {
  accelChunk,
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

let pg: RunningPostgres;
let store: KyselyStore;
let t: TestServer;
let gw: EnrolledGateway;
let admin: string;

beforeAll(async () => {
  pg = await startPostgres();
  store = await openPostgresStore(await pg.createDatabase('app_suite'));
  t = await startTestServer({ store });
  admin = await staffToken(t, 'admin');
  gw = await enrollGateway(t, admin);
});

afterAll(async () => {
  await t.close();
  await store.close();
  await pg.stop();
});

describe('ingest over PostgreSQL', () => {
  it('stores exactly one copy of 20 concurrent duplicate uploads and 409s a different hash', async () => {
    const { recordingId } = await createPatientAndRecording(t, gw.token);
    const { bytes, sha256 } = encoded(hrChunk(recordingId, 0));
    const results = await Promise.all(
      Array.from({ length: 20 }, () => putChunk(t, gw.token, recordingId, 'hr', 0, bytes, sha256)),
    );
    expect(results.map((r) => r.status).sort()).toEqual([...Array<number>(19).fill(200), 201]);
    expect(await store.seriesRows('hr', recordingId, { fromMs: 0, toMs: T0 * 2 }, 1000)).toHaveLength(60);
    const other = encoded(hrChunk(recordingId, 0, 30));
    expect((await putChunk(t, gw.token, recordingId, 'hr', 0, other.bytes, other.sha256)).status).toBe(409);
  });

  it('exports accelerometer CSV in time order with the simulated flag', async () => {
    const { recordingId, patientId } = await createPatientAndRecording(t, gw.token);
    for (const i of [1, 0]) {
      const { bytes, sha256 } = encoded(accelChunk(recordingId, i, 2));
      expect((await putChunk(t, gw.token, recordingId, 'accel', i, bytes, sha256)).status).toBe(201);
    }
    const researcher = await staffToken(t, 'researcher');
    const csv = await t.http.get(`/v1/exports?series=accel&patientId=${patientId}`).set(bearer(researcher));
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe('study_code,recording_id,simulated,t_ms,time_utc,x_mg,y_mg,z_mg');
    expect(lines).toHaveLength(51);
    const times = lines.slice(1).map((l) => Number(l.split(',')[3]));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(lines.slice(1).every((l) => l.split(',')[2] === 'true')).toBe(true);
  });

  it('refuses an ECG chunk at 1e-300 Hz with 422 (it used to be a 500 here), storing nothing', async () => {
    const { recordingId } = await createPatientAndRecording(t, gw.token);
    const chunk = ecgChunk(recordingId, 0);
    const { bytes, sha256 } = encoded({ ...chunk, header: { ...chunk.header, sampleRateHz: 1e-300 } });
    const res = await putChunk(t, gw.token, recordingId, 'ecg', 0, bytes, sha256);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('chunk_corrupt');
    expect(await store.chunkIndexes(recordingId)).toEqual(new Map());
  });
});
