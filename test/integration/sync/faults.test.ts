/**
 * Network and server faults between the uploader and the real ingest server: the server stopped
 * and restarted on the same port, answering 500s, hanging (timeouts), and a proxy that cuts
 * connections mid-request and after the server answered (lost acks). After each, everything
 * arrives exactly once: one stored chunk per (recording, stream, index) with the gateway's hash,
 * one patient, no duplicated expanded rows, and the queue holds nothing unsent.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../../preload/schemas.js';
import { startFaultProxy, type FaultProxy } from './fault-proxy.js';
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
let proxy: FaultProxy | undefined;

afterEach(async () => {
  await gw?.close();
  await proxy?.close();
  await live?.close();
  gw = undefined;
  live = undefined;
  proxy = undefined;
});

type Recording = ReturnType<typeof queueRecording>;

function expectExactlyOnce(server: LiveServer, recordings: Recording[]): void {
  const stored = serverChunks(server);
  expect(stored.size).toBe(recordings.reduce((n, r) => n + r.chunks.length, 0));
  for (const rec of recordings) {
    for (const c of rec.chunks)
      expect(stored.get(`${rec.recordingId}/${c.stream}/${c.index}`)).toBe(c.sha256);
    const hrChunks = rec.chunks.filter((c) => c.stream === 'hr').length;
    expect(countRows(server, 'hr_rows', 'recording_id = ?', rec.recordingId)).toBe(hrChunks * 60);
    expect(countRows(server, 'patients', 'id = ?', rec.patientId)).toBe(1);
    expect(countRows(server, 'recordings', 'id = ? AND ended_at_ms IS NOT NULL', rec.recordingId)).toBe(1);
  }
}

/** Waits until the uploader reports `state`, keeping every status it announced. */
function track(g: Gateway): SyncStatus[] {
  const seen: SyncStatus[] = [];
  g.sync.onChange((s) => seen.push(s));
  return seen;
}

describe('uploader under faults', () => {
  it('keeps everything while the server is stopped and delivers it when it is back on the same port', async () => {
    live = await startLiveServer();
    gw = openGateway();
    gw.sync.start();
    await gw.sync.enroll(live.url, await issueCode(live));
    const first = queueRecording(gw.queue, { ecgChunks: 2, hrChunks: 1 });
    await waitFor(() => allAcked(gw!.queue), 'first recording acked');

    await live.halt();
    const seen = track(gw);
    const second = queueRecording(gw.queue, { ecgChunks: 3, hrChunks: 2 });
    // The first try may meet a pooled connection the server dropped; the probes then find nobody listening.
    await waitFor(
      () => gw!.sync.status().lastError === 'server unreachable (connection refused)',
      'offline: connection refused',
      30_000,
      () => gw!.sync.status(),
    );
    const offline = gw.sync.status();
    expect(offline).toMatchObject({ state: 'offline', reachable: false });
    expect(offline.pendingItems).toBeGreaterThan(0);
    // Probing continues while the server is away; nothing is failed or dropped.
    await waitFor(() => seen.filter((s) => s.state === 'offline').length >= 2, 'probes');
    expect(gw.queue.status().failedItems).toBe(0);

    await live.resume();
    await waitFor(
      () => allAcked(gw!.queue),
      'second recording acked after restart',
      30_000,
      () => gw!.sync.status(),
    );
    expectExactlyOnce(live, [first, second]);
    await waitFor(() => gw!.sync.status().state === 'idle', 'idle');
    expect(gw.sync.status()).toMatchObject({ reachable: true, lastError: null });
  });

  it('backs off while the server answers 500 and delivers everything once it recovers', async () => {
    live = await startLiveServer();
    gw = openGateway();
    gw.sync.start();
    await gw.sync.enroll(live.url, await issueCode(live));
    live.mode = 'error500';
    const rec = queueRecording(gw.queue, { ecgChunks: 3, hrChunks: 2 });
    await waitFor(
      () => gw!.sync.status().state === 'backing_off',
      'backing off',
      30_000,
      () => gw!.sync.status(),
    );
    expect(gw.sync.status()).toMatchObject({ reachable: true, lastError: 'server error (500)' });
    await waitFor(() => live!.log.filter((e) => e.status === 500).length >= 3, 'several 500s');
    expect(gw.queue.status().failedItems).toBe(0);
    live.mode = 'normal';
    await waitFor(
      () => allAcked(gw!.queue),
      'all acked after recovery',
      30_000,
      () => gw!.sync.status(),
    );
    expectExactlyOnce(live, [rec]);
  });

  it('times out on a server that hangs, says so, and delivers everything when it answers again', async () => {
    live = await startLiveServer();
    gw = openGateway();
    gw.sync.start();
    await gw.sync.enroll(live.url, await issueCode(live));
    gw.sync.configure({ requestTimeoutMs: 300 });
    live.mode = 'hang';
    const rec = queueRecording(gw.queue, { ecgChunks: 2, hrChunks: 1 });
    await waitFor(
      () => gw!.sync.status().state === 'offline',
      'offline after a timeout',
      30_000,
      () => gw!.sync.status(),
    );
    expect(gw.sync.status().lastError).toBe('timed out after 300 ms');
    live.mode = 'normal';
    await waitFor(
      () => allAcked(gw!.queue),
      'all acked after the hang',
      30_000,
      () => gw!.sync.status(),
    );
    expectExactlyOnce(live, [rec]);
  });

  it('survives connections cut mid-request and acks lost after the server stored: each chunk stored once', async () => {
    live = await startLiveServer();
    proxy = await startFaultProxy(live.port, [
      { match: /^POST \/v1\/patients /, fault: { kind: 'drop_response' } },
      { match: /^POST \/v1\/recordings /, fault: { kind: 'cut_request', afterBytes: 120 } },
      { match: /^PUT .*\/streams\/ecg\/chunks\/0 /, fault: { kind: 'cut_request', afterBytes: 400 } },
      { match: /^PUT .*\/streams\/ecg\/chunks\/1 /, fault: { kind: 'drop_response' }, times: 2 },
      { match: /^PUT .*\/streams\/hr\/chunks\/0 /, fault: { kind: 'drop_response' } },
      { match: /^PUT .*\/streams\/ecg\/chunks\/2 /, fault: { kind: 'cut_request', afterBytes: 5 } },
      { match: /^POST .*\/end /, fault: { kind: 'drop_response' } },
    ]);
    gw = openGateway();
    gw.sync.start();
    const rec = queueRecording(gw.queue, { ecgChunks: 4, hrChunks: 2 });
    await gw.sync.enroll(proxy.url, await issueCode(live));
    await waitFor(
      () => allAcked(gw!.queue),
      'all acked through the proxy',
      30_000,
      () => gw!.sync.status(),
    );
    expect(proxy.broken.map((b) => b.fault).sort()).toEqual([
      'cut_request',
      'cut_request',
      'cut_request',
      'drop_response',
      'drop_response',
      'drop_response',
      'drop_response',
      'drop_response',
    ]);
    expectExactlyOnce(live, [rec]);
    // The lost acks were repeats the server answered as such, and the gateway took them as acks.
    const audit = gw.queue.audit(1000);
    // patients.create, ecg/1 (its first two answers lost) and hr/0.
    expect(audit.filter((a) => a.outcome === 'duplicate').length).toBe(3);
    expect(live.log.filter((e) => e.url.endsWith('/streams/ecg/chunks/1') && e.status === 200)).toHaveLength(
      2,
    );
  });

  it('sends again a chunk damaged in transit (422 hash mismatch) and stores the intact one', async () => {
    live = await startLiveServer();
    proxy = await startFaultProxy(live.port, [
      { match: /^PUT .*\/streams\/ecg\/chunks\/1 /, fault: { kind: 'flip_byte', bodyByte: 200 }, times: 2 },
    ]);
    gw = openGateway();
    gw.sync.start();
    const rec = queueRecording(gw.queue, { ecgChunks: 3, hrChunks: 1 });
    await gw.sync.enroll(proxy.url, await issueCode(live));
    await waitFor(
      () => allAcked(gw!.queue),
      'all acked',
      30_000,
      () => gw!.sync.status(),
    );
    expect(proxy.broken).toHaveLength(2);
    const answers = live.log.filter((e) => e.url.endsWith('/streams/ecg/chunks/1')).map((e) => e.status);
    expect(answers).toEqual([422, 422, 201]);
    expectExactlyOnce(live, [rec]);
  });
});
