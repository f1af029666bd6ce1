/**
 * Access tokens against the real server, whose clock the test moves: a token that expired is
 * refreshed on the 401 and the upload goes on; a token near its expiry (on the server's clock, as
 * the heartbeat tells it) is refreshed before it is refused; a revoked gateway stops with state
 * `unauthorized` and a plain message, keeping everything it has not sent.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { REVOKED_MESSAGE } from '../../../main/sync/session.js';
import { bearer } from '../server/harness.js';
import {
  allAcked,
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

const tokenRequests = (server: LiveServer) => server.log.filter((e) => e.url === '/v1/gateways/token').length;

describe('access tokens', () => {
  it('refreshes an expired token when the server answers 401 and carries on', async () => {
    live = await startLiveServer();
    gw = openGateway();
    gw.sync.start();
    await gw.sync.enroll(live.url, await issueCode(live));
    queueRecording(gw.queue, { ecgChunks: 1, hrChunks: 1 });
    await waitFor(() => allAcked(gw!.queue), 'first recording acked');
    const tokensBefore = tokenRequests(live);

    live.t.clock.nowMs += 901_000; // past the 900-s access token lifetime
    const rec = queueRecording(gw.queue, { ecgChunks: 2, hrChunks: 1 });
    await waitFor(
      () => allAcked(gw!.queue),
      'second recording acked',
      30_000,
      () => gw!.sync.status(),
    );
    expect(live.log.some((e) => e.status === 401)).toBe(true);
    expect(tokenRequests(live)).toBeGreaterThan(tokensBefore);
    const stored = serverChunks(live);
    for (const c of rec.chunks)
      expect(stored.get(`${rec.recordingId}/${c.stream}/${c.index}`)).toBe(c.sha256);
    expect(gw.sync.status()).toMatchObject({ failedItems: 0, lastError: null });
  });

  it('refreshes before expiry on the server’s clock, so no request is refused', async () => {
    live = await startLiveServer();
    gw = openGateway({ heartbeatIntervalMs: 50 });
    gw.sync.start();
    await gw.sync.enroll(live.url, await issueCode(live));
    await waitFor(() => tokenRequests(live!) === 1, 'first token');

    live.t.clock.nowMs += 850_000; // 50 s before expiry: inside the refresh margin
    await waitFor(() => tokenRequests(live!) === 2, 'token refreshed ahead of expiry');
    const rec = queueRecording(gw.queue, { ecgChunks: 2, hrChunks: 1 });
    await waitFor(
      () => allAcked(gw!.queue),
      'recording acked',
      30_000,
      () => gw!.sync.status(),
    );
    expect(live.log.filter((e) => e.status === 401)).toEqual([]);
    expect(serverChunks(live).size).toBe(rec.chunks.length);
  });

  it('stops as unauthorized when the gateway is revoked, keeping what it has not sent', async () => {
    live = await startLiveServer();
    gw = openGateway();
    gw.sync.start();
    await gw.sync.enroll(live.url, await issueCode(live));
    const revoked = await live.t.http
      .post(`/v1/gateways/${gw.gatewayId}/revoke`)
      .set(bearer(live.adminToken));
    expect(revoked.status).toBe(200);

    queueRecording(gw.queue, { ecgChunks: 2, hrChunks: 1 });
    await waitFor(
      () => gw!.sync.status().state === 'unauthorized',
      'unauthorized',
      30_000,
      () => gw!.sync.status(),
    );
    const status = gw.sync.status();
    expect(status.lastError).toBe(REVOKED_MESSAGE);
    expect(status.pendingItems).toBe(6); // patient, recording, 3 chunks, end
    expect(status.failedItems).toBe(0);
    // It waits for staff instead of hammering the server.
    const requests = live.log.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(live.log.length - requests).toBeLessThanOrEqual(1);
    // "Upload now" tries the credentials again at once, and finds them still refused.
    const tokensBefore = tokenRequests(live);
    gw.sync.syncNow();
    await waitFor(
      () => tokenRequests(live!) > tokensBefore && gw!.sync.status().state === 'unauthorized',
      'refused again',
    );
    expect(gw.sync.status().failedItems).toBe(0);
    // The server will not take this gateway id back; enrolling again says so.
    await expect(gw.sync.enroll(live.url, await issueCode(live))).rejects.toMatchObject({
      code: 'enroll_failed',
      message: expect.stringContaining('revoked'),
    });
  });
});
