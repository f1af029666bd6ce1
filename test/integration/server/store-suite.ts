/**
 * The store contract: one suite run against every `Store` implementation (SQLite here,
 * PostgreSQL on a real embedded server), so the two dialects cannot drift.
 */
import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import type { ChunkInput, NewRecording, PatientRecord, Store } from '../../../server/store/store.js';

const T0 = 1_763_700_000_000;

export function patient(overrides: Partial<PatientRecord> = {}): PatientRecord {
  return {
    id: uuidv7(),
    studyCode: `P${Math.floor(Math.random() * 1e9)}`,
    ageYears: 54,
    sex: 'female',
    studyGroup: 'A',
    notes: null,
    identitySealed: null,
    gatewayId: null,
    createdAtMs: T0,
    updatedAtMs: T0,
    ...overrides,
  };
}

export function recording(patientId: string, overrides: Partial<NewRecording> = {}): NewRecording {
  return {
    id: uuidv7(),
    patientId,
    gatewayId: uuidv7(),
    operatorId: uuidv7(),
    operatorName: 'Nurse A',
    devices: [{ kind: 'bangle', serial: 'aa:bb', simulated: true }],
    simulated: true,
    startedAtMs: T0,
    ecgSampleRateHz: 500,
    mainsHz: 50,
    createdAtMs: T0,
    ...overrides,
  };
}

function hrChunk(recordingId: string, index: number, sha: string, count = 60): ChunkInput {
  const startMs = T0 + index * 60_000;
  return {
    recordingId,
    stream: 'hr',
    index,
    sha256: sha.padEnd(64, '0'),
    startMs,
    endMs: startMs + 60_000,
    sampleCount: count,
    bytes: new Uint8Array([1, 2, 3, index & 255]),
    receivedAtMs: T0,
    rows: {
      hr: Array.from({ length: count }, (_, i) => ({
        tMs: startMs + i * 1000,
        bpm: 60 + (i % 20),
        confidence: 90,
      })),
    },
  };
}

async function collect<T>(gen: AsyncGenerator<T[]>): Promise<{ rows: T[]; batches: number }> {
  const rows: T[] = [];
  let batches = 0;
  for await (const batch of gen) {
    rows.push(...batch);
    batches++;
  }
  return { rows, batches };
}

/** Registers the suite; `getStore` is called inside tests (after beforeAll opened it). */
export function storeSuite(name: string, getStore: () => Store): void {
  describe(`${name} store`, () => {
    it('answers ping', async () => {
      expect(await getStore().ping()).toBe(true);
    });

    it('rejects a second user with the same username', async () => {
      const s = getStore();
      const user = {
        id: uuidv7(),
        username: `u${uuidv7()}`,
        displayName: 'A',
        role: 'admin' as const,
        passwordHash: 'h',
        createdAtMs: T0,
        disabled: false,
        failedLogins: 0,
        lockedUntilMs: null,
      };
      await s.createUser(user);
      await expect(s.createUser({ ...user, id: uuidv7() })).rejects.toMatchObject({
        code: 'store_conflict',
        what: 'username',
      });
      expect((await s.getUserByUsername(user.username))?.id).toBe(user.id);
    });

    it('counts concurrent sign-in attempts atomically: 20 at once, a limit of 5, exactly 5 get through', async () => {
      const s = getStore();
      const user = {
        id: uuidv7(),
        username: `u${uuidv7()}`,
        displayName: 'A',
        role: 'clinician' as const,
        passwordHash: 'h',
        createdAtMs: T0,
        disabled: false,
        failedLogins: 0,
        lockedUntilMs: null,
      };
      await s.createUser(user);
      const claims = await Promise.all(
        Array.from({ length: 20 }, () => s.claimLoginAttempt(user.id, 5, T0, T0 + 60_000)),
      );
      expect(claims.filter((c) => c !== undefined).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5]);
      expect(await s.getUser(user.id)).toMatchObject({ failedLogins: 5, lockedUntilMs: T0 + 60_000 });
      // Once the lock has passed, the next attempt is counted again.
      expect(await s.claimLoginAttempt(user.id, 5, T0 + 60_000, T0 + 180_000)).toBe(6);
    });

    it('revokes a refresh token exactly once', async () => {
      const s = getStore();
      const user = {
        id: uuidv7(),
        username: `u${uuidv7()}`,
        displayName: 'A',
        role: 'clinician' as const,
        passwordHash: 'h',
        createdAtMs: T0,
        disabled: false,
        failedLogins: 0,
        lockedUntilMs: null,
      };
      await s.createUser(user);
      const token = {
        id: uuidv7(),
        userId: user.id,
        tokenHash: `hash-${uuidv7()}`,
        createdAtMs: T0,
        expiresAtMs: T0 + 1000,
        revokedAtMs: null,
      };
      await s.putRefreshToken(token);
      expect(await s.revokeRefreshToken(token.id, T0 + 1)).toBe(true);
      expect(await s.revokeRefreshToken(token.id, T0 + 2)).toBe(false);
      expect((await s.getRefreshTokenByHash(token.tokenHash))?.revokedAtMs).toBe(T0 + 1);
    });

    it('lets only one of many concurrent enrollments use a code', async () => {
      const s = getStore();
      const codeHash = `code-${uuidv7()}`;
      await s.putEnrollmentCode({
        codeHash,
        label: 'desk 1',
        createdBy: 'admin',
        createdAtMs: T0,
        expiresAtMs: T0 + 60_000,
        forGatewayId: null,
      });
      const results = await Promise.all(
        Array.from({ length: 8 }, () => s.consumeEnrollmentCode(codeHash, uuidv7(), T0 + 10)),
      );
      expect(results.filter((r) => r !== undefined)).toHaveLength(1);
    });

    it('refuses an expired enrollment code', async () => {
      const s = getStore();
      const codeHash = `code-${uuidv7()}`;
      await s.putEnrollmentCode({
        codeHash,
        label: 'desk 2',
        createdBy: 'admin',
        createdAtMs: T0,
        expiresAtMs: T0 + 60_000,
        forGatewayId: null,
      });
      expect(await s.consumeEnrollmentCode(codeHash, uuidv7(), T0 + 60_000)).toBeUndefined();
    });

    it('reads a gateway’s standing and a recording in one upload context, each undefined when unknown', async () => {
      const s = getStore();
      const p = patient();
      await s.createPatient(p);
      const gatewayId = uuidv7();
      const r = recording(p.id, { gatewayId });
      await s.createRecording(r);
      expect(await s.getUploadContext(gatewayId, r.id)).toEqual({ gateway: undefined, recording: undefined });
      await s.putGateway({
        id: gatewayId,
        name: 'Ward',
        platform: 'linux',
        appVersion: '1',
        secretHash: 'x',
        enrolledAtMs: T0,
        revokedAtMs: null,
        lastSeenAtMs: T0 + 1,
        backlogChunks: null,
        backlogBytes: null,
        oldestPendingAtMs: null,
      });
      const known = await s.getUploadContext(gatewayId, r.id);
      expect(known.gateway).toEqual({ revokedAtMs: null, lastSeenAtMs: T0 + 1 });
      expect(known.recording).toEqual(await s.getRecordingRecord(r.id));
      expect((await s.getUploadContext(gatewayId, uuidv7())).recording).toBeUndefined();
      expect(await s.revokeGateway(gatewayId, T0 + 9)).toBe(true);
      expect((await s.getUploadContext(gatewayId, r.id)).gateway).toEqual({
        revokedAtMs: T0 + 9,
        lastSeenAtMs: T0 + 1,
      });
    });

    it('records gateway contact and backlog', async () => {
      const s = getStore();
      const id = uuidv7();
      await s.putGateway({
        id,
        name: 'Desk',
        platform: 'linux',
        appVersion: '1',
        secretHash: 'x',
        enrolledAtMs: T0,
        revokedAtMs: null,
        lastSeenAtMs: null,
        backlogChunks: null,
        backlogBytes: null,
        oldestPendingAtMs: null,
      });
      await s.recordGatewayContact(id, T0 + 5, {
        appVersion: '2',
        backlogChunks: 7,
        backlogBytes: 7000,
        oldestPendingAtMs: T0,
      });
      const g = await s.getGateway(id);
      expect(g).toMatchObject({
        lastSeenAtMs: T0 + 5,
        appVersion: '2',
        backlogChunks: 7,
        backlogBytes: 7000,
        oldestPendingAtMs: T0,
      });
      expect(await s.revokeGateway(id, T0 + 6)).toBe(true);
      expect((await s.getGateway(id))?.revokedAtMs).toBe(T0 + 6);
    });

    it('creates a patient once and reports a taken study code', async () => {
      const s = getStore();
      const p = patient();
      expect((await s.createPatient(p)).created).toBe(true);
      expect((await s.createPatient(p)).created).toBe(false);
      await expect(s.createPatient(patient({ studyCode: p.studyCode }))).rejects.toMatchObject({
        what: 'study_code',
      });
    });

    it('keeps SQL-ish text exactly as given', async () => {
      const s = getStore();
      const nasty = `Robert'); DROP TABLE patients;-- "x" \\ %_`;
      const p = patient({ notes: nasty, studyGroup: "' OR 1=1 --" });
      await s.createPatient(p);
      expect(await s.getPatient(p.id)).toMatchObject({ notes: nasty, studyGroup: "' OR 1=1 --" });
      const listed = await s.listPatients({ limit: 10 }, { studyGroup: "' OR 1=1 --" });
      expect(listed.items.map((x) => x.id)).toEqual([p.id]);
    });

    it('pages patients with a keyset cursor', async () => {
      const s = getStore();
      const group = `G${uuidv7()}`.slice(0, 30);
      for (let i = 0; i < 5; i++) await s.createPatient(patient({ studyGroup: group }));
      const first = await s.listPatients({ limit: 2 }, { studyGroup: group });
      const second = await s.listPatients({ limit: 2, after: first.nextAfter! }, { studyGroup: group });
      const third = await s.listPatients({ limit: 2, after: second.nextAfter! }, { studyGroup: group });
      expect([first.items.length, second.items.length, third.items.length]).toEqual([2, 2, 1]);
      expect(third.nextAfter).toBeNull();
      const ids = [...first.items, ...second.items, ...third.items].map((x) => x.id);
      expect(new Set(ids).size).toBe(5);
    });

    it('stores a chunk once, acknowledges a repeat and flags a different hash', async () => {
      const s = getStore();
      const p = patient();
      await s.createPatient(p);
      const r = recording(p.id);
      await s.createRecording(r);
      expect(await s.putChunk(hrChunk(r.id, 0, 'aa'))).toBe('stored');
      expect(await s.putChunk(hrChunk(r.id, 0, 'aa'))).toBe('duplicate');
      expect(await s.putChunk(hrChunk(r.id, 0, 'bb'))).toBe('conflict');
      const rows = await s.seriesRows('hr', r.id, { fromMs: 0, toMs: T0 * 2 }, 1000);
      expect(rows).toHaveLength(60);
      expect(rows[0]).toEqual({ tMs: T0, bpm: 60, confidence: 90 });
    });

    it('stores exactly one copy of concurrent duplicate uploads', async () => {
      const s = getStore();
      const p = patient();
      await s.createPatient(p);
      const r = recording(p.id);
      await s.createRecording(r);
      const outcomes = await Promise.all(
        Array.from({ length: 10 }, () => s.putChunk(hrChunk(r.id, 3, 'cc'))),
      );
      expect(outcomes.filter((o) => o === 'stored')).toHaveLength(1);
      expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(9);
      expect(await s.seriesRows('hr', r.id, { fromMs: 0, toMs: T0 * 2 }, 1000)).toHaveLength(60);
      expect((await s.getRecording(r.id))?.chunksReceived).toBe(1);
    });

    it('lists chunk indexes and chunks overlapping a time range', async () => {
      const s = getStore();
      const p = patient();
      await s.createPatient(p);
      const r = recording(p.id);
      await s.createRecording(r);
      for (const i of [0, 1, 3]) await s.putChunk(hrChunk(r.id, i, `d${i}`));
      expect(await s.chunkIndexes(r.id)).toEqual(new Map([['hr', [0, 1, 3]]]));
      const hit = await s.chunksInRange(r.id, 'hr', { fromMs: T0 + 59_000, toMs: T0 + 61_000 });
      expect(hit.map((c) => c.index)).toEqual([0, 1]);
      expect(Array.from(hit[1]!.bytes)).toEqual([1, 2, 3, 1]);
    });

    it('pages the chunks of a time range by index, never more than the page size at once', async () => {
      const s = getStore();
      const p = patient();
      await s.createPatient(p);
      const r = recording(p.id);
      await s.createRecording({ ...r, processing: { softwareVersion: '0.1.0', filters: { notchHz: 50 } } });
      for (const i of [4, 0, 2, 1, 3, 6]) await s.putChunk(hrChunk(r.id, i, `p${i}`));
      const pages: number[][] = [];
      for await (const page of s.chunkPages(r.id, 'hr', { fromMs: T0 + 30_000, toMs: T0 + 5 * 60_000 }, 2)) {
        pages.push(page.map((c) => c.index));
      }
      expect(pages).toEqual([[0, 1], [2, 3], [4]]);
      expect((await s.getRecordingRecord(r.id))?.processing).toEqual({
        softwareVersion: '0.1.0',
        filters: { notchHz: 50 },
      });
    });

    it('exports a patient in time order across batches and leaves voided recordings out', async () => {
      const s = getStore();
      const p = patient();
      await s.createPatient(p);
      const a = recording(p.id, { simulated: false });
      const b = recording(p.id);
      const voided = recording(p.id);
      for (const r of [a, b, voided]) await s.createRecording(r);
      await s.putChunk(hrChunk(a.id, 0, 'e0', 25));
      await s.putChunk(hrChunk(b.id, 0, 'e1', 25));
      await s.putChunk(hrChunk(voided.id, 0, 'e2', 25));
      await s.voidRecording(voided.id, T0, 'wrong patient');
      const { rows, batches } = await collect(s.exportRows('hr', p.id, { fromMs: T0, toMs: T0 + 20_000 }, 7));
      expect(rows).toHaveLength(40);
      expect(batches).toBeGreaterThan(5);
      expect(rows.every((row, i) => i === 0 || row.tMs >= rows[i - 1]!.tMs)).toBe(true);
      expect(new Set(rows.map((row) => row.recordingId))).toEqual(new Set([a.id, b.id]));
      expect(rows.find((row) => row.recordingId === b.id)?.simulated).toBe(true);
      expect(rows.find((row) => row.recordingId === a.id)?.simulated).toBe(false);
    });

    it('reassigns a recording with its reports and erases a patient completely', async () => {
      const s = getStore();
      const wrong = patient();
      const right = patient();
      await s.createPatient(wrong);
      await s.createPatient(right);
      const r = recording(wrong.id);
      await s.createRecording(r);
      await s.putChunk(hrChunk(r.id, 0, 'f0'));
      const reportId = uuidv7();
      await s.putReport(
        {
          id: reportId,
          recordingId: r.id,
          patientId: wrong.id,
          gatewayId: null,
          title: 'ECG',
          fileName: 'a.pdf',
          sizeBytes: 4,
          sha256: 'x',
          simulated: true,
          createdAtMs: T0,
          kind: 'summary',
          uploadedAtMs: T0 + 1,
        },
        new Uint8Array([37, 80, 68, 70]),
      );
      await s.reassignRecording(r.id, right.id);
      expect((await s.getRecording(r.id))?.studyCode).toBe(right.studyCode);
      expect((await s.getReport(reportId))?.patientId).toBe(right.id);
      expect(await s.isPatientErased(right.id)).toBe(false);
      expect(await s.erasePatient(right.id, T0 + 5)).toBe(true);
      expect(await s.isPatientErased(right.id)).toBe(true);
      expect(await s.getPatient(right.id)).toBeUndefined();
      expect(await s.getRecording(r.id)).toBeUndefined();
      expect(await s.getReport(reportId)).toBeUndefined();
      expect(await s.seriesRows('hr', r.id, { fromMs: 0, toMs: T0 * 2 }, 10)).toHaveLength(0);
      expect(await s.erasePatient(right.id, T0 + 6)).toBe(false);
    });

    it('ends a recording with final counts and filters recordings by status', async () => {
      const s = getStore();
      const p = patient();
      await s.createPatient(p);
      const r = recording(p.id);
      expect((await s.createRecording(r)).created).toBe(true);
      expect((await s.createRecording(r)).created).toBe(false);
      await s.endRecording(r.id, T0 + 1000, { hr: 2 }, { durationMs: 1000 });
      const view = await s.getRecording(r.id);
      expect(view).toMatchObject({
        endedAtMs: T0 + 1000,
        finalChunkCounts: { hr: 2 },
        summary: { durationMs: 1000 },
      });
      const ended = await s.listRecordings({ limit: 10 }, { patientId: p.id, status: 'ended' });
      const live = await s.listRecordings({ limit: 10 }, { patientId: p.id, status: 'recording' });
      expect([ended.items.length, live.items.length]).toEqual([1, 0]);
    });

    it('lists one patient’s or one recording’s reports newest first, paging within the filter', async () => {
      const s = getStore();
      const a = patient();
      const b = patient();
      const a1 = recording(a.id);
      const a2 = recording(a.id);
      const b1 = recording(b.id);
      // Interleaved, so every page of a filtered listing has other reports between its items.
      const placed = [a1, b1, a2, a1, b1, a1, a2, b1, a1].map((r) => ({ id: uuidv7(), r }));
      for (const { id, r } of placed) {
        await s.putReport(
          {
            id,
            recordingId: r.id,
            patientId: r.patientId,
            gatewayId: null,
            title: 'ECG',
            fileName: 'r.pdf',
            sizeBytes: 4,
            sha256: 's',
            simulated: true,
            createdAtMs: T0,
            kind: 'summary',
            uploadedAtMs: T0,
          },
          new Uint8Array([37, 80, 68, 70]),
        );
      }
      const newestFirst = (where: (r: NewRecording) => boolean) =>
        placed
          .filter(({ r }) => where(r))
          .map(({ id }) => id)
          .sort()
          .reverse();
      const walk = async (filter: { patientId?: string; recordingId?: string }) => {
        const pages: string[][] = [];
        let after: string | undefined;
        do {
          const page = await s.listReports({ limit: 2, after }, filter);
          pages.push(page.items.map((x) => x.id));
          after = page.nextAfter ?? undefined;
        } while (after !== undefined && pages.length < 10);
        return pages;
      };
      const ofA = newestFirst((r) => r.patientId === a.id);
      expect(await walk({ patientId: a.id })).toEqual([ofA.slice(0, 2), ofA.slice(2, 4), ofA.slice(4)]);
      const ofA1 = newestFirst((r) => r === a1);
      expect(await walk({ recordingId: a1.id })).toEqual([ofA1.slice(0, 2), ofA1.slice(2)]);
      expect((await walk({ patientId: a.id, recordingId: a2.id })).flat()).toEqual(
        newestFirst((r) => r === a2),
      );
      expect(await walk({ patientId: b.id, recordingId: a1.id })).toEqual([[]]);
    });

    it('keeps report PDFs, error reports and audit entries', async () => {
      const s = getStore();
      const pdf = new Uint8Array([37, 80, 68, 70, 45, 0, 255]);
      const id = uuidv7();
      await s.putReport(
        {
          id,
          recordingId: null,
          patientId: uuidv7(),
          gatewayId: null,
          title: 't',
          fileName: 'r.pdf',
          sizeBytes: pdf.length,
          sha256: 's',
          simulated: false,
          createdAtMs: T0,
          kind: 'summary',
          uploadedAtMs: T0 + 1,
        },
        pdf,
      );
      expect(Array.from((await s.getReportPdf(id))!)).toEqual(Array.from(pdf));
      const gatewayId = uuidv7();
      await s.putErrorReport({
        id: uuidv7(),
        gatewayId,
        receivedAtMs: T0,
        occurredAtMs: T0,
        severity: 'error',
        message: 'boom',
        data: { stack: 'x' },
      });
      expect((await s.listErrorReports({ limit: 5 }, { gatewayId })).items[0]?.data).toEqual({ stack: 'x' });
      const auditId = uuidv7();
      await s.appendAudit({
        id: auditId,
        atMs: T0,
        actorKind: 'user',
        actorId: 'u',
        action: 'login',
        target: null,
        detail: { ok: true },
      });
      expect((await s.listAudit({ limit: 500 })).items.some((e) => e.id === auditId)).toBe(true);
      expect(
        (await s.listAudit({ limit: 500 }, { fromMs: T0 + 1 })).items.some((e) => e.id === auditId),
      ).toBe(false);
    });
  });
}
