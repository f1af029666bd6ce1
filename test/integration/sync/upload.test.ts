/**
 * The uploader against the real ingest server on 127.0.0.1 and the real queue on a temp SQLite
 * file: enrollment with a code an admin issued, then patients, recordings, chunks (real codec
 * bytes) and control messages arrive exactly once and in order.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  allAcked,
  countRows,
  issueCode,
  openGateway,
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

describe('uploader against the real ingest server', () => {
  it('enrolls with a one-time code and shows the enrollment in its status', async () => {
    live = await startLiveServer();
    gw = openGateway();
    gw.sync.start();
    expect(gw.sync.status()).toMatchObject({ state: 'not_enrolled', enrolled: false });
    const status = await gw.sync.enroll(live.url, await issueCode(live));
    expect(status).toMatchObject({ enrolled: true, serverUrl: live.url, gatewayName: 'Desk 1' });
    expect(countRows(live, 'gateways', 'id = ?', gw.gatewayId)).toBe(1);
    await waitFor(
      () => countRows(live!, 'gateways', 'id = ? AND last_seen_at_ms IS NOT NULL', gw!.gatewayId) === 1,
      'heartbeat',
    );
  });

  it('refuses a code that was already used, in plain words', async () => {
    live = await startLiveServer();
    const code = await issueCode(live);
    gw = openGateway();
    await gw.sync.enroll(live.url, code);
    const other = openGateway();
    try {
      await expect(other.sync.enroll(live.url, code)).rejects.toMatchObject({
        code: 'unauthorized',
        message: expect.stringContaining('wrong, expired or already used'),
      });
    } finally {
      await other.close();
    }
  });

  it('delivers patient, recording, chunks and end exactly once, in order within each stream', async () => {
    live = await startLiveServer();
    gw = openGateway();
    gw.sync.start();
    const rec = queueRecording(gw.queue, { ecgChunks: 4, hrChunks: 3 });
    await gw.sync.enroll(live.url, await issueCode(live));
    await waitFor(
      () => allAcked(gw!.queue),
      'all items acked',
      30_000,
      () => gw!.sync.status(),
    );

    const stored = serverChunks(live);
    expect(stored.size).toBe(rec.chunks.length);
    for (const c of rec.chunks)
      expect(stored.get(`${rec.recordingId}/${c.stream}/${c.index}`)).toBe(c.sha256);
    expect(countRows(live, 'hr_rows', 'recording_id = ?', rec.recordingId)).toBe(3 * 60);
    expect(countRows(live, 'patients', 'id = ?', rec.patientId)).toBe(1);
    const recording = live.db
      .prepare('SELECT ended_at_ms FROM recordings WHERE id = ?')
      .get(rec.recordingId) as {
      ended_at_ms: number | null;
    };
    expect(recording.ended_at_ms).not.toBeNull();

    // Order: the patient before the recording, the recording before its chunks, chunks by index.
    const okPaths = live.log.filter((e) => e.status < 300).map((e) => `${e.method} ${e.url}`);
    const at = (pattern: RegExp) => okPaths.findIndex((p) => pattern.test(p));
    expect(at(/^POST \/v1\/patients$/)).toBeLessThan(at(/^POST \/v1\/recordings$/));
    expect(at(/^POST \/v1\/recordings$/)).toBeLessThan(at(/chunks\/0$/));
    for (const stream of ['ecg', 'hr']) {
      const indexes = okPaths
        .filter((p) => p.includes(`/streams/${stream}/chunks/`))
        .map((p) => Number(p.slice(p.lastIndexOf('/') + 1)));
      expect(indexes).toEqual([...indexes].sort((a, b) => a - b));
    }
    // The completeness check ran and found the recording complete.
    await waitFor(
      () => (gw!.db.prepare('SELECT COUNT(*) AS n FROM sync_verify').get() as { n: number }).n === 0,
      'recording verified',
    );
    const status = gw.sync.status();
    expect(status).toMatchObject({
      state: 'idle',
      reachable: true,
      pendingItems: 0,
      failedItems: 0,
      lastError: null,
    });
    expect(status.uploadedChunks).toBe(rec.chunks.length + 3);
    expect(live.log.some((e) => e.method === 'GET' && e.url.endsWith(`/${rec.recordingId}/chunks`))).toBe(
      true,
    );
  });
});
