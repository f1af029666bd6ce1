/**
 * What the server refuses, and what it lacks: a malformed chunk is failed, kept and reported
 * while later items still go; a study-code clash is failed and surfaced to staff; a chunk the
 * server's list lacks after the recording ended is sent again; reports go as multipart; error
 * reports carry the device and app, never patient details.
 */
import { v7 as uuidv7 } from 'uuid';
import { afterEach, describe, expect, it } from 'vitest';
import { PRIORITY } from '../../../main/queue/types.js';
import type { ErrorReport } from '../../../server-contract/api/reports.js';
import type { SyncAlarm } from '../../../main/sync/sync-service.js';
import { T0, bearer, ecgChunk, encoded, staffToken } from '../server/harness.js';
import {
  allAcked,
  countRows,
  issueCode,
  openGateway,
  queueChunk,
  queueRecording,
  serverChunks,
  startLiveServer,
  waitFor,
  type Gateway,
  type LiveServer,
} from './sync-harness.js';

let live: LiveServer | undefined;
let gw: Gateway | undefined;

afterEach(async () => {
  await gw?.close();
  await live?.close();
  gw = undefined;
  live = undefined;
});

async function enrolled(): Promise<{ live: LiveServer; gw: Gateway }> {
  live = await startLiveServer();
  gw = openGateway();
  gw.sync.start();
  await gw.sync.enroll(live.url, await issueCode(live));
  return { live, gw };
}

/** The one error report the server stored, as the gateway sent it. */
function storedErrorReport(server: LiveServer): ErrorReport {
  const rows = server.db.prepare('SELECT message, data_json FROM error_reports').all() as {
    message: string;
    data_json: string;
  }[];
  expect(rows).toHaveLength(1);
  return { message: rows[0]!.message, ...(JSON.parse(rows[0]!.data_json) as object) } as ErrorReport;
}

const settled = (g: Gateway) => () => {
  const s = g.queue.status();
  return s.pendingItems === 0 && s.sendingItems === 0;
};

describe('rejected and missing items', () => {
  it('fails a malformed chunk, keeps its bytes, reports it, and still sends what comes after', async () => {
    const { live, gw } = await enrolled();
    const rec = queueRecording(gw.queue, { ecgChunks: 1, hrChunks: 0, end: false });
    // A valid header over a damaged body: the queue takes it (it checks the header), the server cannot decode it.
    const garbage = encoded(ecgChunk(rec.recordingId, 1)).bytes.subarray(0, -40);
    const bad = queueChunk(gw.queue, rec.recordingId, 'ecg', 1, garbage, null);
    const after = queueRecording(gw.queue, { ecgChunks: 2, hrChunks: 1 });
    await waitFor(settled(gw), 'queue settled', 30_000, () => gw.sync.status());

    const kept = gw.queue.get(bad.item.id);
    expect(kept.state).toBe('failed');
    expect(Buffer.from(kept.bytes!)).toEqual(garbage);
    expect(kept.lastError).toMatch(/rejected by the server: .*\(422 chunk_corrupt\)/);
    expect(gw.sync.status().failedItems).toBe(1);
    // The later recording arrived whole.
    const stored = serverChunks(live);
    for (const c of after.chunks)
      expect(stored.get(`${after.recordingId}/${c.stream}/${c.index}`)).toBe(c.sha256);
    expect(stored.has(`${rec.recordingId}/ecg/1`)).toBe(false);
    // The rejection became an error report on the server, naming the chunk, not the patient.
    await waitFor(() => countRows(live, 'error_reports') === 1, 'error report stored');
    const report = storedErrorReport(live);
    expect(report.message).toContain(`chunk ecg/1 of recording ${rec.recordingId}`);
    expect(report.message).not.toContain(rec.studyCode);
    expect(report.context).toMatchObject({ stream: 'ecg', chunkIndex: 1, sha256: bad.sha256 });

    // Staff "retry failed": it is sent again, and rejected again, still kept.
    expect(gw.sync.retryFailed()).toBe(1);
    await waitFor(
      () => gw.queue.get(bad.item.id).state === 'failed' && gw.queue.get(bad.item.id).attempts === 2,
      'retried',
    );
  });

  it('surfaces a study-code clash to staff, naming the code, and keeps the patient', async () => {
    const { live, gw } = await enrolled();
    const clinician = await staffToken(live.t, 'clinician');
    const taken = await live.t.http
      .post('/v1/patients')
      .set(bearer(clinician))
      .send({ id: uuidv7(), studyCode: 'P042', createdAtMs: T0 });
    expect(taken.status).toBe(201);
    const alarms: SyncAlarm[] = [];
    gw.sync.onAlarm((a) => alarms.push(a));
    const rec = queueRecording(gw.queue, { studyCode: 'P042', ecgChunks: 1, hrChunks: 0 });
    await waitFor(
      () => alarms.length === 1,
      'clash alarm',
      30_000,
      () => gw.sync.status(),
    );
    expect(alarms[0]).toMatchObject({ code: 'study_code_clash', severity: 'critical' });
    expect(alarms[0]!.message).toContain('Study code P042 is already used by another patient');
    // The recording waits on this gateway (its start answers 404 until the patient exists there).
    const waiting = gw.queue.itemsOfRecording(rec.recordingId);
    expect(waiting.every((i) => i.state !== 'acked')).toBe(true);
    expect(gw.queue.status().failedItems).toBe(1);
    expect(countRows(live, 'patients', 'id = ?', rec.patientId)).toBe(0);
  });

  it('sends again a chunk the server lost after the recording ended, then marks the recording verified', async () => {
    const { live, gw } = await enrolled();
    const rec = queueRecording(gw.queue, { ecgChunks: 4, hrChunks: 0, end: false });
    await waitFor(() => allAcked(gw.queue), 'chunks acked');
    await gw.sync.stop();
    // The server loses chunk 2 (as a restore from an older backup would).
    live.db
      .prepare('DELETE FROM chunks WHERE recording_id = ? AND stream = ? AND chunk_index = 2')
      .run(rec.recordingId, 'ecg');
    rec.end();
    const restarted = openGateway({ dir: gw.dir, gatewayId: gw.gatewayId });
    try {
      restarted.sync.start();
      await waitFor(
        () =>
          (restarted.db.prepare('SELECT COUNT(*) AS n FROM sync_verify').get() as { n: number }).n === 0 &&
          allAcked(restarted.queue),
        'hole refilled and recording verified',
        30_000,
        () => restarted.sync.status(),
      );
    } finally {
      await restarted.close();
    }
    const stored = serverChunks(live);
    for (const c of rec.chunks) expect(stored.get(`${rec.recordingId}/ecg/${c.index}`)).toBe(c.sha256);
    const puts = live.log.filter((e) => e.method === 'PUT' && e.url.endsWith('/streams/ecg/chunks/2'));
    expect(puts.map((e) => e.status)).toEqual([201, 201]);
  });

  it('uploads a PDF report as multipart and queues error reports without patient details', async () => {
    const { live, gw } = await enrolled();
    const rec = queueRecording(gw.queue, { ecgChunks: 1, hrChunks: 0 });
    const reportId = uuidv7();
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
    gw.queue.enqueue({
      kind: 'control',
      route: 'reports.upload',
      recordingId: rec.recordingId,
      body: {
        id: reportId,
        recordingId: rec.recordingId,
        kind: 'summary',
        createdAtMs: T0,
        title: 'Summary',
        simulated: true,
      },
      file: pdf,
      priority: PRIORITY.report,
      afterId: null,
    });
    expect(
      gw.sync.reportError(new Error('unit ECG-12345 unplugged'), {
        deviceSerial: 'ECG-12345',
        patientName: 'Jane Doe',
        studyCode: rec.studyCode,
        phone: '555-0100',
        framesLost: 3,
      }),
    ).toBe(true);
    await waitFor(
      () => allAcked(gw.queue),
      'all acked',
      30_000,
      () => gw.sync.status(),
    );
    const stored = live.db.prepare('SELECT size_bytes, sha256 FROM reports WHERE id = ?').get(reportId) as {
      size_bytes: number;
    };
    expect(stored.size_bytes).toBe(pdf.length);
    const report = storedErrorReport(live);
    expect(report.message).toContain('unit ECG-12345 unplugged');
    expect(report.appVersion).toBe('0.1.0');
    expect(report.platform).toMatch(/^linux /);
    expect(report.context).toEqual({ deviceSerial: 'ECG-12345', framesLost: 3 });
    expect(JSON.stringify(report)).not.toMatch(/Jane|555-0100|P[0-9a-f]{6}/);
  });

  it('reports once a hole it cannot fill (the chunk was rejected) and keeps the recording unverified', async () => {
    const { live, gw } = await enrolled();
    const rec = queueRecording(gw.queue, { ecgChunks: 1, hrChunks: 0, end: false });
    queueChunk(
      gw.queue,
      rec.recordingId,
      'ecg',
      1,
      encoded(ecgChunk(rec.recordingId, 1)).bytes.subarray(0, -40),
      null,
    );
    gw.queue.enqueue({
      kind: 'control',
      route: 'recordings.end',
      recordingId: rec.recordingId,
      params: { recordingId: rec.recordingId },
      body: {
        endedAtMs: T0 + 4_000,
        finalChunkCounts: { ecg: 2 },
        summary: {
          durationMs: 4_000,
          beats: null,
          meanHeartRateBpm: null,
          pvcCount: null,
          pacCount: null,
          signalQualityPct: null,
          gapCount: 0,
          gapMs: 0,
          hrReadings: 0,
          accelSamples: 0,
        },
      },
      priority: PRIORITY.recordingEnd,
      afterId: null,
    });
    await waitFor(
      () => countRows(live, 'error_reports') === 2,
      'rejection and hole reported',
      30_000,
      () => gw.sync.status(),
    );
    const messages = (
      live.db.prepare('SELECT message FROM error_reports ORDER BY message').all() as { message: string }[]
    ).map((r) => r.message);
    expect(
      messages.some(
        (m) => m.includes(`lacks 1 chunk(s) of recording ${rec.recordingId}`) && m.includes('ecg/1'),
      ),
    ).toBe(true);
    const verify = gw.db
      .prepare('SELECT state FROM sync_verify WHERE recording_id = ?')
      .get(rec.recordingId) as {
      state: string;
    };
    expect(verify.state).toBe('parked');
    // Parked: no further chunk-list reads while nothing of the recording changes.
    const reads = live.log.filter((e) => e.url.endsWith(`/${rec.recordingId}/chunks`)).length;
    gw.sync.syncNow();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(live.log.filter((e) => e.url.endsWith(`/${rec.recordingId}/chunks`)).length).toBe(reads);
    expect(countRows(live, 'error_reports')).toBe(2);
  });
});
