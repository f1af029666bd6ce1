import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../../server/store/sqlite.js';
import { v7 as uuidv7 } from 'uuid';
import {
  batteryChunk,
  bearer,
  createPatientAndRecording,
  encoded,
  enrollGateway,
  hrChunk,
  items,
  putChunk,
  staffToken,
  startTestServer,
  T0,
  type EnrolledGateway,
  type TestServer,
} from './harness.js';

let t: TestServer;
let admin: string;
let clinician: string;
let researcher: string;
let gw: EnrolledGateway;
let otherGw: EnrolledGateway;

const IDENTITY = { name: 'Maria Identifiable', phone: '+44 7700 900123', address: '1 Secret Lane' };

beforeAll(async () => {
  t = await startTestServer();
  admin = await staffToken(t, 'admin');
  clinician = await staffToken(t, 'clinician');
  researcher = await staffToken(t, 'researcher');
  gw = await enrollGateway(t, admin);
  otherGw = await enrollGateway(t, admin);
});

afterAll(async () => {
  await t.close();
});

async function patientWithIdentity() {
  const id = uuidv7();
  const res = await t.http
    .post('/v1/patients')
    .set(bearer(gw.token))
    .send({ id, studyCode: `P${id.slice(-7)}`, createdAtMs: T0, studyGroup: 'control', identity: IDENTITY });
  expect(res.status).toBe(201);
  return id;
}

describe('patients', () => {
  it('creates a patient idempotently and reports a study code clash', async () => {
    const id = uuidv7();
    const body = { id, studyCode: `C${id.slice(-7)}`, createdAtMs: T0 };
    expect((await t.http.post('/v1/patients').set(bearer(gw.token)).send(body)).status).toBe(201);
    expect((await t.http.post('/v1/patients').set(bearer(gw.token)).send(body)).status).toBe(200);
    const clash = await t.http
      .post('/v1/patients')
      .set(bearer(gw.token))
      .send({ ...body, id: uuidv7() });
    expect(clash.status).toBe(409);
    expect(clash.body.error.code).toBe('study_code_taken');
  });

  it('keeps identifying details encrypted at rest and shows them only to admin and clinician', async () => {
    const id = await patientWithIdentity();
    const raw = await t.store.getPatient(id);
    expect(raw?.identitySealed).toMatch(/^v2\./);
    expect(raw?.identitySealed).not.toContain('Maria');
    expect((await t.http.get(`/v1/patients/${id}`).set(bearer(clinician))).body.identity).toEqual(IDENTITY);
    expect((await t.http.get(`/v1/patients/${id}`).set(bearer(researcher))).body.identity).toBeUndefined();
    const list = await t.http.get('/v1/patients?limit=500').set(bearer(admin));
    expect(JSON.stringify(list.body)).not.toContain('Maria');
  });

  it('keeps notes encrypted at rest and shows them only to those who see the identity', async () => {
    const id = uuidv7();
    const notes = 'Lives with her daughter Anna Identifiable';
    const created = await t.http
      .post('/v1/patients')
      .set(bearer(gw.token))
      .send({ id, studyCode: `N${id.slice(-7)}`, createdAtMs: T0, notes });
    expect(created.body.notes).toBe(notes);
    const raw = await t.store.getPatient(id);
    expect(raw?.notes).not.toContain('Anna');
    expect((await t.http.get(`/v1/patients/${id}`).set(bearer(clinician))).body.notes).toBe(notes);
    expect((await t.http.get(`/v1/patients/${id}`).set(bearer(researcher))).body.notes).toBeUndefined();
    const list = await t.http.get('/v1/patients?limit=500').set(bearer(researcher));
    expect(JSON.stringify(list.body)).not.toContain('Anna');
    const updated = await t.http
      .patch(`/v1/patients/${id}`)
      .set(bearer(gw.token))
      .send({ notes: `${notes}!` });
    expect(updated.body.notes).toBe(`${notes}!`);
    expect((await t.store.getPatient(id))?.notes).not.toContain('Anna');
  });

  it('never writes identifying details to the logs', async () => {
    await patientWithIdentity();
    const all = t.logs.join('\n');
    for (const value of Object.values(IDENTITY)) expect(all).not.toContain(value);
  });

  it('lets a gateway edit only its own patients', async () => {
    const id = await patientWithIdentity();
    expect(
      (await t.http.patch(`/v1/patients/${id}`).set(bearer(otherGw.token)).send({ notes: 'x' })).status,
    ).toBe(403);
    const ok = await t.http.patch(`/v1/patients/${id}`).set(bearer(gw.token)).send({ ageYears: 71 });
    expect(ok.body.ageYears).toBe(71);
  });

  it('refuses a recording on another gateway’s patient (403, and no study code in the reply)', async () => {
    const { patientId, studyCode } = await createPatientAndRecording(t, otherGw.token);
    const res = await t.http
      .post('/v1/recordings')
      .set(bearer(gw.token))
      .send({
        id: uuidv7(),
        patientId,
        operator: { id: uuidv7(), name: 'Nurse B' },
        devices: [{ kind: 'ecg12', serial: 'ECG-2', simulated: true }],
        simulated: true,
        startedAtMs: T0,
        ecgSampleRateHz: 500,
      });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
    expect(res.text).not.toContain(studyCode);
  });

  it('pages through patients with an opaque cursor and rejects a forged one', async () => {
    const first = await t.http.get('/v1/patients?limit=1').set(bearer(admin));
    expect(first.body.items).toHaveLength(1);
    const second = await t.http
      .get(`/v1/patients?limit=1&cursor=${first.body.nextCursor}`)
      .set(bearer(admin));
    expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
    const forged = await t.http.get('/v1/patients?cursor=%27%20OR%201%3D1').set(bearer(admin));
    expect(forged.status).toBe(400);
  });
});

describe('corrections, erasure and exports', () => {
  it('reassigns a recording (audited) and exports follow it', async () => {
    const { recordingId, patientId: wrong } = await createPatientAndRecording(t, gw.token);
    const { bytes, sha256 } = encoded(hrChunk(recordingId, 0, 10));
    await putChunk(t, gw.token, recordingId, 'hr', 0, bytes, sha256);
    const right = uuidv7();
    await t.http
      .post('/v1/patients')
      .set(bearer(gw.token))
      .send({ id: right, studyCode: `R${right.slice(-7)}`, createdAtMs: T0 });
    const moved = await t.http
      .post(`/v1/recordings/${recordingId}/reassign`)
      .set(bearer(clinician))
      .send({ patientId: right, reason: 'wrong patient selected' });
    expect(moved.status).toBe(200);
    expect(moved.body.patientId).toBe(right);
    const oldCsv = await t.http.get(`/v1/exports?series=hr&patientId=${wrong}`).set(bearer(researcher));
    expect(oldCsv.text.trim().split('\r\n')).toHaveLength(1);
    const newCsv = await t.http.get(`/v1/exports?series=hr&patientId=${right}`).set(bearer(researcher));
    expect(newCsv.text.trim().split('\r\n')).toHaveLength(11);
    const audit = await t.http.get('/v1/audit?limit=500').set(bearer(admin));
    expect(
      items<{ action: string; target: string }>(audit.body).some(
        (e) => e.action === 'recordings.reassign' && e.target === recordingId,
      ),
    ).toBe(true);
  });

  it('exports CSV with the simulated flag, leaves voided recordings out, and adds identity only for an admin who asks', async () => {
    const patientId = await patientWithIdentity();
    const create = async (simulated: boolean) => {
      const id = uuidv7();
      await t.http
        .post('/v1/recordings')
        .set(bearer(gw.token))
        .send({
          id,
          patientId,
          operator: { id: uuidv7(), name: 'Op' },
          devices: [],
          simulated,
          startedAtMs: T0,
        });
      return id;
    };
    const real = await create(false);
    const sim = await create(true);
    const voided = await create(false);
    for (const [i, id] of [real, sim, voided].entries()) {
      const chunk = hrChunk(id, 0, 3);
      chunk.records = chunk.records.map((r) => ({ ...r, tMs: r.tMs + i * 100 }));
      const { bytes, sha256 } = encoded(chunk);
      expect((await putChunk(t, gw.token, id, 'hr', 0, bytes, sha256)).status).toBe(201);
    }
    expect(
      (
        await t.http
          .post(`/v1/recordings/${voided}/void`)
          .set(bearer(gw.token))
          .send({ reason: 'test strip' })
      ).body.status,
    ).toBe('voided');
    const csv = await t.http
      .get(`/v1/exports?series=hr&patientId=${patientId}&fromMs=${T0}&toMs=${T0 + 60_000}`)
      .set(bearer(researcher));
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe('study_code,recording_id,simulated,t_ms,time_utc,bpm,confidence');
    expect(lines).toHaveLength(7);
    expect(lines.filter((l) => l.includes(`,${sim},true,`))).toHaveLength(3);
    expect(lines.filter((l) => l.includes(`,${real},false,`))).toHaveLength(3);
    expect(csv.text).not.toContain(voided);
    expect(csv.text).not.toContain('Maria');
    expect(
      (
        await t.http
          .get(`/v1/exports?series=hr&patientId=${patientId}&includeIdentity=true`)
          .set(bearer(researcher))
      ).status,
    ).toBe(403);
    const withIdentity = await t.http
      .get(`/v1/exports?series=hr&patientId=${patientId}&includeIdentity=true`)
      .set(bearer(admin));
    expect(withIdentity.text.split('\r\n')[1]).toContain('Maria Identifiable');
  });

  it('exports the watch battery series uploaded as chunks, flagging the simulated recording', async () => {
    const {
      patientId,
      studyCode,
      recordingId: real,
    } = await createPatientAndRecording(t, gw.token, {
      simulated: false,
    });
    const sim = uuidv7();
    const created = await t.http
      .post('/v1/recordings')
      .set(bearer(gw.token))
      .send({
        id: sim,
        patientId,
        operator: { id: uuidv7(), name: 'Op' },
        devices: [],
        simulated: true,
        startedAtMs: T0,
      });
    expect(created.status).toBe(201);
    for (const [id, index] of [
      [real, 0],
      [sim, 1],
    ] as const) {
      const { bytes, sha256 } = encoded(batteryChunk(id, index));
      expect((await putChunk(t, gw.token, id, 'battery', index, bytes, sha256)).status).toBe(201);
    }
    const csv = await t.http.get(`/v1/exports?series=battery&patientId=${patientId}`).set(bearer(researcher));
    expect(csv.status).toBe(200);
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="${studyCode}-battery.csv"`);
    const row = (id: string, simulated: boolean, tMs: number, pct: number, charging: boolean) =>
      [studyCode, id, simulated, tMs, new Date(tMs).toISOString(), pct, charging].join(',');
    expect(csv.text.trim().split('\r\n')).toEqual([
      'study_code,recording_id,simulated,t_ms,time_utc,pct,charging',
      row(real, false, T0, 90, false),
      row(real, false, T0 + 10_000, 89, true),
      row(real, false, T0 + 20_000, 88, false),
      row(sim, true, T0 + 60_000, 90, false),
      row(sim, true, T0 + 70_000, 89, true),
      row(sim, true, T0 + 80_000, 88, false),
    ]);
  });

  it('erases a patient completely (audited)', async () => {
    const { recordingId, patientId } = await createPatientAndRecording(t, gw.token);
    const { bytes, sha256 } = encoded(hrChunk(recordingId, 0, 5));
    await putChunk(t, gw.token, recordingId, 'hr', 0, bytes, sha256);
    expect(
      (
        await t.http
          .post(`/v1/patients/${patientId}/erase`)
          .set(bearer(clinician))
          .send({ reason: 'consent withdrawn' })
      ).status,
    ).toBe(403);
    expect(
      (
        await t.http
          .post(`/v1/patients/${patientId}/erase`)
          .set(bearer(admin))
          .send({ reason: 'consent withdrawn' })
      ).status,
    ).toBe(200);
    expect((await t.http.get(`/v1/patients/${patientId}`).set(bearer(admin))).status).toBe(404);
    expect((await t.http.get(`/v1/recordings/${recordingId}`).set(bearer(admin))).status).toBe(404);
    expect(await t.store.chunkIndexes(recordingId)).toEqual(new Map());
  });
});

describe('erasure leaves a tombstone and no plaintext', () => {
  it('answers 410 gone to a late create of an erased patient and to a recording on it', async () => {
    const patient = { id: uuidv7(), studyCode: `P${uuidv7().slice(-7)}`, createdAtMs: T0 };
    expect((await t.http.post('/v1/patients').set(bearer(gw.token)).send(patient)).status).toBe(201);
    const erase = await t.http
      .post(`/v1/patients/${patient.id}/erase`)
      .set(bearer(admin))
      .send({ reason: 'consent withdrawn' });
    expect(erase.status).toBe(200);
    // The gateway's queue still held the create: it must not bring the patient back.
    const late = await t.http.post('/v1/patients').set(bearer(gw.token)).send(patient);
    expect(late.status).toBe(410);
    expect(late.body.error.code).toBe('gone');
    expect((await t.http.get(`/v1/patients/${patient.id}`).set(bearer(admin))).status).toBe(404);
    const recording = await t.http
      .post('/v1/recordings')
      .set(bearer(gw.token))
      .send({
        id: uuidv7(),
        patientId: patient.id,
        operator: { id: uuidv7(), name: 'Nurse A' },
        devices: [{ kind: 'ecg12', serial: 'ECG-1', simulated: true }],
        simulated: true,
        startedAtMs: T0,
      });
    expect(recording.status).toBe(410);
  });

  it('leaves none of an erased patient’s plaintext in the SQLite file or its WAL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pulsewatch-erase-'));
    const file = join(dir, 'erase.sqlite');
    const store = await openSqliteStore(file);
    const own = await startTestServer({ store });
    try {
      const ownAdmin = await staffToken(own, 'admin');
      const ownGw = await enrollGateway(own, ownAdmin);
      const marker = 'ZEBRA-NOTE-7731-PLAINTEXT';
      const id = uuidv7();
      const created = await own.http
        .post('/v1/patients')
        .set(bearer(ownGw.token))
        .send({ id, studyCode: 'STUDYMARK42', createdAtMs: T0, notes: `${marker} allergic to latex` });
      expect(created.status).toBe(201);
      const contents = () =>
        [file, `${file}-wal`]
          .filter((f) => existsSync(f))
          .map((f) => readFileSync(f).toString('latin1'))
          .join('');
      expect(contents()).toContain('STUDYMARK42');
      const erased = await own.http
        .post(`/v1/patients/${id}/erase`)
        .set(bearer(ownAdmin))
        .send({ reason: 'consent withdrawn' });
      expect(erased.status).toBe(200);
      expect(contents()).not.toContain(marker);
      expect(contents()).not.toContain('STUDYMARK42');
    } finally {
      await own.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('reports and error reports', () => {
  const pdf = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

  function upload(token: string, recordingId: string, file: Buffer, type = 'application/pdf', id = uuidv7()) {
    const metadata = {
      id,
      recordingId,
      kind: 'rhythm_strip',
      createdAtMs: T0,
      title: 'Rhythm strip',
      simulated: false,
    };
    return t.http
      .post('/v1/reports')
      .set(bearer(token))
      .field('metadata', JSON.stringify(metadata))
      .attach('file', file, { filename: 'r.pdf', contentType: type });
  }

  it('accepts a PDF, keeps the simulated flag of its recording, and serves it back', async () => {
    const { recordingId } = await createPatientAndRecording(t, gw.token, { simulated: true });
    const res = await upload(gw.token, recordingId, pdf);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ recordingId, simulated: true, sizeBytes: pdf.length });
    const back = await t.http
      .get(`/v1/reports/${res.body.id}/pdf`)
      .set(bearer(clinician))
      .buffer(true)
      .parse((r, done) => {
        const parts: Buffer[] = [];
        r.on('data', (d: Buffer) => parts.push(d));
        r.on('end', () => done(null, Buffer.concat(parts)));
      });
    expect(back.headers['content-type']).toBe('application/pdf');
    expect(Buffer.compare(back.body as Buffer, pdf)).toBe(0);
  });

  it('rejects a file that is not a PDF, whatever its declared type', async () => {
    const { recordingId } = await createPatientAndRecording(t, gw.token);
    expect((await upload(gw.token, recordingId, Buffer.from('<html>'), 'application/pdf')).status).toBe(415);
    expect((await upload(gw.token, recordingId, pdf, 'text/plain')).status).toBe(415);
    const noMeta = await t.http
      .post('/v1/reports')
      .set(bearer(gw.token))
      .attach('file', pdf, { filename: 'r.pdf', contentType: 'application/pdf' });
    expect(noMeta.status).toBe(400);
    expect(noMeta.body.error.issues[0].path).toBe('body.metadata');
  });

  it('lists one patient’s reports newest first, following the cursor, and one recording’s', async () => {
    const mine = await createPatientAndRecording(t, gw.token);
    const other = await createPatientAndRecording(t, gw.token);
    const second = uuidv7();
    const created = await t.http
      .post('/v1/recordings')
      .set(bearer(gw.token))
      .send({
        id: second,
        patientId: mine.patientId,
        operator: { id: uuidv7(), name: 'Op' },
        devices: [],
        simulated: true,
        startedAtMs: T0,
      });
    expect(created.status).toBe(201);
    const uploaded: { id: string; recordingId: string }[] = [];
    for (const recordingId of [mine.recordingId, other.recordingId, second, other.recordingId, second]) {
      const res = await upload(gw.token, recordingId, pdf);
      expect(res.status).toBe(201);
      uploaded.push({ id: res.body.id, recordingId });
    }
    const newestFirst = (recordingIds: string[]) =>
      uploaded
        .filter((u) => recordingIds.includes(u.recordingId))
        .map((u) => u.id)
        .sort()
        .reverse();
    const walk = async (filter: string) => {
      const ids: string[] = [];
      let query = `/v1/reports?limit=1&${filter}`;
      for (let page = 0; page < 10; page++) {
        const res = await t.http.get(query).set(bearer(clinician));
        expect(res.status).toBe(200);
        ids.push(...items<{ id: string }>(res.body).map((r) => r.id));
        if (res.body.nextCursor === null) break;
        query = `/v1/reports?limit=1&${filter}&cursor=${res.body.nextCursor}`;
      }
      return ids;
    };
    expect(await walk(`patientId=${mine.patientId}`)).toEqual(newestFirst([mine.recordingId, second]));
    expect(await walk(`recordingId=${second}`)).toEqual(newestFirst([second]));
    expect(await walk(`patientId=${other.patientId}&recordingId=${second}`)).toEqual([]);
    const bad = await t.http.get('/v1/reports?patientId=P123').set(bearer(clinician));
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues[0].path).toBe('query.patientId');
  });

  it('stores a gateway error report once and lists it for admins', async () => {
    const report = {
      id: uuidv7(),
      occurredAtMs: T0,
      severity: 'error',
      appVersion: '0.1.0',
      platform: 'linux',
      message: 'serial port lost',
      context: { port: '/dev/ttyUSB0' },
    };
    expect((await t.http.post('/v1/error-reports').set(bearer(gw.token)).send(report)).status).toBe(201);
    expect((await t.http.post('/v1/error-reports').set(bearer(gw.token)).send(report)).status).toBe(200);
    const list = await t.http.get(`/v1/error-reports?gatewayId=${gw.id}`).set(bearer(admin));
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({
      message: 'serial port lost',
      gatewayId: gw.id,
      context: { port: '/dev/ttyUSB0' },
    });
  });
});
