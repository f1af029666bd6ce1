/**
 * The sync service's own duties against the real server: the bandwidth cap, connectivity probing
 * while idle, the heartbeat's backlog, `sync.now` cutting a backoff short, and `stop()` handing
 * an item in flight back to the queue.
 */
import { v7 as uuidv7 } from 'uuid';
import { afterEach, describe, expect, it } from 'vitest';
import { ecgChunk, encoded } from '../server/harness.js';
import {
  allAcked,
  countRows,
  issueCode,
  openGateway,
  queueChunk,
  queueRecording,
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

async function enrolled(options: Parameters<typeof openGateway>[0] = {}) {
  live = await startLiveServer();
  gw = openGateway(options);
  gw.sync.start();
  await gw.sync.enroll(live.url, await issueCode(live));
  await waitFor(() => gw!.sync.status().state === 'idle', 'idle after enrollment');
  return { live, gw };
}

describe('sync service', () => {
  it('holds uploads to the bandwidth cap', async () => {
    const capBytesPerS = 20_000;
    const { gw } = await enrolled({ settings: { uploadCapBytesPerS: capBytesPerS } });
    expect(gw.sync.status().uploadCapBytesPerS).toBe(capBytesPerS);
    const startedMs = Date.now();
    const rec = queueRecording(gw.queue, { ecgChunks: 12, hrChunks: 0 });
    await waitFor(
      () => allAcked(gw.queue),
      'capped upload done',
      60_000,
      () => gw.sync.status(),
    );
    const elapsedMs = Date.now() - startedMs;
    const bytes = rec.chunks.reduce((n, c) => n + c.item.sizeBytes, 0);
    // One second of burst is free; the rest cannot go faster than the cap (a slow machine only takes longer).
    expect(bytes).toBeGreaterThan(2 * capBytesPerS);
    expect(elapsedMs).toBeGreaterThanOrEqual(((bytes - capBytesPerS) / capBytesPerS) * 1000 - 50);
  });

  it('probes while idle: notices the server going away and coming back', async () => {
    const { live, gw } = await enrolled({ probeIntervalMs: 50 });
    await live.halt();
    await waitFor(
      () => gw.sync.status().state === 'offline',
      'offline while idle',
      30_000,
      () => gw.sync.status(),
    );
    expect(gw.sync.status()).toMatchObject({
      reachable: false,
      lastError: 'server unreachable (connection refused)',
    });
    await live.resume();
    await waitFor(() => gw.sync.status().state === 'idle' && gw.sync.status().reachable === true, 'back');
  });

  it('reports its backlog in the heartbeat', async () => {
    const { live, gw } = await enrolled({ heartbeatIntervalMs: 50 });
    // Chunks of a recording the server does not know: each waits (404) and stays in the backlog.
    const recordingId = uuidv7();
    let bytes = 0;
    for (let i = 0; i < 3; i++)
      bytes += queueChunk(gw.queue, recordingId, 'ecg', i, encoded(ecgChunk(recordingId, i)).bytes, null).item
        .sizeBytes;
    await waitFor(
      () =>
        countRows(
          live,
          'gateways',
          'id = ? AND backlog_chunks = 3 AND backlog_bytes = ?',
          gw.gatewayId,
          bytes,
        ) === 1,
      'backlog reported',
      30_000,
      () => live.db.prepare('SELECT backlog_chunks, backlog_bytes FROM gateways').all(),
    );
    expect(gw.queue.status().failedItems).toBe(0);
  });

  it('sync.now ends a long backoff at once', async () => {
    const { live, gw } = await enrolled({ serverBackoff: { initialMs: 600_000, maxMs: 600_000, jitter: 0 } });
    live.mode = 'error500';
    queueRecording(gw.queue, { ecgChunks: 1, hrChunks: 0 });
    await waitFor(() => gw.sync.status().state === 'backing_off', 'backing off');
    const next = gw.sync.status().nextAttemptAtMs!;
    expect(next - Date.now()).toBeGreaterThan(500_000);
    live.mode = 'normal';
    gw.sync.syncNow();
    await waitFor(
      () => allAcked(gw.queue),
      'sent after sync.now',
      30_000,
      () => gw.sync.status(),
    );
  });

  it('hands an item in flight back to the queue when stopped', async () => {
    const { live, gw } = await enrolled({ requestTimeoutMs: 60_000 });
    live.mode = 'hang';
    queueRecording(gw.queue, { ecgChunks: 1, hrChunks: 0 });
    await waitFor(() => gw.queue.status().sendingItems === 1, 'sending');
    await gw.sync.stop();
    expect(gw.queue.status()).toMatchObject({ sendingItems: 0, failedItems: 0 });
    expect(gw.queue.status().pendingItems).toBe(4);
  });

  it('hands an item back when the queue fails to record its ack, and sends it again later (a harmless repeat)', async () => {
    const { live, gw } = await enrolled({ serverBackoff: { initialMs: 600_000, maxMs: 600_000 } });
    // A real storage fault: SQLite refuses to mark anything acked until the trigger is dropped.
    gw.db.exec(`CREATE TEMP TRIGGER refuse_ack BEFORE UPDATE OF state ON queue_items WHEN NEW.state = 'acked'
                BEGIN SELECT RAISE(ABORT, 'simulated storage fault'); END`);
    const rec = queueRecording(gw.queue, { ecgChunks: 1, hrChunks: 0, end: false });
    await waitFor(
      () => (gw.sync.status().lastError ?? '').startsWith('uploader fault:'),
      'fault reported',
      30_000,
      () => gw.sync.status(),
    );
    expect(gw.queue.status()).toMatchObject({ sendingItems: 0, failedItems: 0 });
    expect(gw.sync.status().state).toBe('backing_off');
    gw.db.exec('DROP TRIGGER refuse_ack');
    gw.sync.syncNow();
    await waitFor(
      () => allAcked(gw.queue),
      'acked after the fault',
      30_000,
      () => gw.sync.status(),
    );
    expect(countRows(live, 'patients', 'id = ?', rec.patientId)).toBe(1);
    const patientPosts = live.log.filter((e) => e.method === 'POST' && e.url === '/v1/patients');
    expect(patientPosts.map((e) => e.status)).toContain(200); // the repeat, answered as such
  });
});
