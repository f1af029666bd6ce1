import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KyselyStore } from '../../../server/store/kysely-store.js';
import { openPostgresStore } from '../../../server/store/postgres.js';
import { startPostgres, type RunningPostgres } from './embedded-pg.js';
import { patient, recording } from './store-suite.js';

const T0 = Date.UTC(2026, 0, 1);
let postgres: RunningPostgres;
let store: KyselyStore;

beforeAll(async () => {
  postgres = await startPostgres();
  store = await openPostgresStore(await postgres.createDatabase('upload_context'));
});

afterAll(async () => {
  await store.close();
  await postgres.stop();
});

describe('PostgreSQL upload context (read as text through our own wire path)', () => {
  it('answers the recording exactly as the query builder reads it, every column filled', async () => {
    const p = patient();
    await store.createPatient(p);
    const gatewayId = uuidv7();
    await store.putGateway({
      id: gatewayId,
      name: 'Ward',
      platform: 'linux',
      appVersion: '1',
      secretHash: 'x',
      enrolledAtMs: T0,
      revokedAtMs: T0 + 5,
      lastSeenAtMs: T0 + 3,
      backlogChunks: null,
      backlogBytes: null,
      oldestPendingAtMs: null,
    });
    const r = recording(p.id, {
      gatewayId,
      ecgSampleRateHz: 128.5,
      mainsHz: 60,
      simulated: false,
      processing: { software: 'gw 1.2', filters: ['notch "60"', 'hp 0.5'] },
    });
    await store.createRecording(r);
    await store.endRecording(r.id, T0 + 3_600_000, { ecg: 60, hr: 59 }, { note: 'ended \\ early' });
    await store.voidRecording(r.id, T0 + 7_200_000, 'wrong patient, "really"');
    const context = await store.getUploadContext(gatewayId, r.id);
    expect(context.gateway).toEqual({ revokedAtMs: T0 + 5, lastSeenAtMs: T0 + 3 });
    const expected = await store.getRecordingRecord(r.id);
    expect(expected?.voidReason).toBe('wrong patient, "really"');
    expect(expected?.processing).toEqual({ software: 'gw 1.2', filters: ['notch "60"', 'hp 0.5'] });
    expect(context.recording).toEqual(expected);
  });

  it('answers no gateway for an unknown one and no recording for an unknown id', async () => {
    expect(await store.getUploadContext(uuidv7(), uuidv7())).toEqual({
      gateway: undefined,
      recording: undefined,
    });
  });
});
