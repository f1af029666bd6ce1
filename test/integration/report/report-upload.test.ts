/**
 * A report goes to the server like any other queued item: a real recording on the gateway's real
 * database, the report made through the API handler, the real uploader (sync service) enrolled
 * with the real ingest server on 127.0.0.1. The server stores the same PDF bytes and lists the
 * report under its recording; the gateway lists it as uploaded.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { afterEach, describe, expect, it } from 'vitest';
import { GATEWAY_DB_FILE } from '../../../main/queue/database.js';
import { applyMigrations } from '../../../main/queue/migrate.js';
import { SYNC_MIGRATIONS } from '../../../main/sync/migrations.js';
import { SyncService } from '../../../main/sync/sync-service.js';
import { bearer } from '../server/harness.js';
import { allAcked, issueCode, startLiveServer, waitFor, type LiveServer } from '../sync/sync-harness.js';
import { ReportRig } from './report-rig.js';

let rig: ReportRig | undefined;
let sync: SyncService | undefined;
let live: LiveServer | undefined;

afterEach(async () => {
  await sync?.stop();
  rig?.close();
  await live?.close();
  rig = undefined;
  sync = undefined;
  live = undefined;
});

describe('report upload', () => {
  it('reaches the ingest server with its recording and is listed on both sides', async () => {
    live = await startLiveServer();
    rig = new ReportRig();
    rig.clock.nowMs = Date.now(); // the server sees real times; the uploader's backoff uses the wall clock
    applyMigrations(rig.db, join(rig.dataDir, GATEWAY_DB_FILE), [SYNC_MIGRATIONS]);
    const recordingId = rig.recordEcg(25, 'P042');
    const info = await rig.handlers['reports.create']({ recordingId, paper: 'A4' });
    expect(await rig.handlers['reports.list']({ recordingId })).toMatchObject([
      { id: info.id, upload: 'queued' },
    ]);
    const pdf = rig.reports.pdf(info.id)!;
    // the desk saves the same bytes, under a name that carries the study code
    const saved = await rig.handlers['reports.pdf']({ reportId: info.id });
    expect(saved.fileName).toMatch(/^P042-ecg-report-\d{4}-\d\d-\d\dT\d{4}Z(-SIMULATED)?\.pdf$/);
    expect(Buffer.from(saved.pdfBase64, 'base64').equals(Buffer.from(pdf))).toBe(true);

    sync = new SyncService({
      db: rig.db,
      queue: rig.queue,
      gateway: { id: uuidv7(), name: 'Desk 1', platform: 'linux test', appVersion: '0.1.0' },
      requestTimeoutMs: 5000,
      serverBackoff: { initialMs: 20, maxMs: 200 },
      itemBackoff: { initialMs: 20, maxMs: 200 },
    });
    sync.start();
    await sync.enroll(live.url, await issueCode(live));
    await waitFor(
      () => allAcked(rig!.queue),
      'every item acked',
      60_000,
      () => rig!.queue.status(),
    );

    expect(await rig.handlers['reports.list']({ recordingId })).toMatchObject([
      { id: info.id, upload: 'uploaded', uploadError: null },
    ]);
    const listed = await live.t.http
      .get(`/v1/reports?recordingId=${recordingId}`)
      .set(bearer(live.adminToken));
    expect(listed.status).toBe(200);
    const items = (
      listed.body as {
        items: { id: string; recordingId: string; simulated: boolean; sha256: string; kind: string }[];
      }
    ).items;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      id: info.id,
      recordingId,
      simulated: true,
      kind: 'resting_12_lead',
      sha256: createHash('sha256').update(pdf).digest('hex'),
    });
    const other = await live.t.http
      .get('/v1/reports?recordingId=01900000-0000-7000-8000-000000000000')
      .set(bearer(live.adminToken));
    expect((other.body as { items: unknown[] }).items).toEqual([]);
    const download = await live.t.http
      .get(`/v1/reports/${info.id}/pdf`)
      .set(bearer(live.adminToken))
      .buffer(true)
      .parse((res, done) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => done(null, Buffer.concat(parts)));
      });
    expect(download.status).toBe(200);
    expect(Buffer.compare(download.body as Buffer, Buffer.from(pdf))).toBe(0);
  });
});
