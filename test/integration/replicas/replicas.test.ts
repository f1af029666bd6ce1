/**
 * Two real server processes on one embedded PostgreSQL behind a round-robin proxy behave as one
 * server: they start together on a fresh database (advisory-locked migrations), store a chunk that
 * both receive at once exactly once, refuse on one replica what was revoked on the other, and go
 * through a rolling restart under continuous upload load without one failed request.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../../server/store/migrations.js';
import { encoded, hrChunk } from '../server/harness.js';
import { startPostgres, type RunningPostgres } from '../server/embedded-pg.js';
import { call, enroll, expectStatus, login, newRecording, putChunk } from './http-call.js';
import { ReplicaProcess } from './replica-process.js';
import { RoundRobinProxy } from './round-robin-proxy.js';
import { UploadLoad } from './upload-load.js';

const ADMIN_PASSWORD = 'replica admin password';
const beat = () => ({
  appVersion: '0.1.0',
  backlogChunks: 0,
  backlogBytes: 0,
  oldestPendingAtMs: null,
  sentAtMs: Date.now(),
});

describe('two server replicas on one PostgreSQL', { timeout: 300_000 }, () => {
  let postgres: RunningPostgres;
  let databaseUrl: string;
  let secretsDir: string;
  let a: ReplicaProcess;
  let b: ReplicaProcess;
  let proxy: RoundRobinProxy;
  let db: pg.Client;
  let admin: { accessToken: string; refreshToken: string; userId: string };

  beforeAll(async () => {
    postgres = await startPostgres();
    databaseUrl = await postgres.createDatabase('replicas');
    secretsDir = mkdtempSync(join(tmpdir(), 'pulsewatch-replicas-'));
    db = new pg.Client({ connectionString: databaseUrl });
    // the server's stop in afterAll ends this connection: not an uncaught exception (embedded-pg.ts testPool)
    db.on('error', () => {});
    await db.connect();
  });

  afterAll(async () => {
    await proxy?.stop();
    await Promise.all([a?.stop('SIGKILL'), b?.stop('SIGKILL')]);
    await db?.end();
    await postgres?.stop();
    if (secretsDir !== undefined) rmSync(secretsDir, { recursive: true, force: true });
  });

  it('both start at once on a fresh database; each migration is applied once', async () => {
    a = new ReplicaProcess('A', { databaseUrl, secretsDir });
    b = new ReplicaProcess('B', { databaseUrl, secretsDir });
    await Promise.all([a.start(), b.start()]);
    for (const r of [a, b]) expect((await call(r.url, 'GET', '/ready')).status).toBe(200);
    const applied = await db.query<{ version: number }>(
      'select version from schema_migrations order by version',
    );
    expect(applied.rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
    proxy = new RoundRobinProxy([a.port, b.port]);
    await proxy.start();
    a.createAdmin('admin', ADMIN_PASSWORD);
    admin = await login(proxy.url, 'admin', ADMIN_PASSWORD);
  });

  it('stores a chunk both replicas receive at the same moment once, and answers both alike', async () => {
    const gateway = await enroll(proxy.url, admin.accessToken);
    const recordingId = await newRecording(proxy.url, gateway.token);
    const indexes = [0, 1, 2, 3, 4, 5, 6, 7];
    const answers = await Promise.all(
      indexes.map(async (index) => {
        const chunk = encoded(hrChunk(recordingId, index));
        // Two copies to each replica, all sent together.
        const sends = [a, b, a, b].map((r) =>
          putChunk(r.url, gateway.token, recordingId, 'hr', index, chunk),
        );
        return { chunk, results: await Promise.all(sends) };
      }),
    );
    for (const { chunk, results } of answers) {
      expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 201]);
      for (const r of results) expect((r.body as { sha256: string }).sha256).toBe(chunk.sha256);
    }
    const stored = await db.query<{ n: string }>('select count(*) as n from chunks where recording_id = $1', [
      recordingId,
    ]);
    expect(Number(stored.rows[0]!.n)).toBe(indexes.length);
    const rows = await db.query<{ n: string }>('select count(*) as n from hr_rows where recording_id = $1', [
      recordingId,
    ]);
    expect(Number(rows.rows[0]!.n)).toBe(indexes.length * 60);

    // Different bytes under one key at once: one is stored, the other is a 409, never a 500.
    const first = encoded(hrChunk(recordingId, 20, 60));
    const second = encoded(hrChunk(recordingId, 20, 59));
    const clash = await Promise.all([
      putChunk(a.url, gateway.token, recordingId, 'hr', 20, first),
      putChunk(b.url, gateway.token, recordingId, 'hr', 20, second),
    ]);
    expect(clash.map((r) => r.status).sort()).toEqual([201, 409]);
  });

  it('refuses on one replica a gateway, user or refresh token revoked on the other, at once', async () => {
    const gateway = await enroll(proxy.url, admin.accessToken);
    const recordingId = await newRecording(proxy.url, gateway.token);
    const early = encoded(hrChunk(recordingId, 0));
    const late = encoded(hrChunk(recordingId, 1));
    // B has checked (and remembered) the gateway's token before the revocation.
    await expectStatus(
      call(b.url, 'POST', '/v1/gateways/heartbeat', { token: gateway.token, json: beat() }),
      200,
    );
    expect((await putChunk(b.url, gateway.token, recordingId, 'hr', 0, early)).status).toBe(201);
    await expectStatus(
      call(a.url, 'POST', `/v1/gateways/${gateway.id}/revoke`, { token: admin.accessToken }),
      200,
    );
    const refused = await call(b.url, 'POST', '/v1/gateways/heartbeat', {
      token: gateway.token,
      json: beat(),
    });
    expect(refused.status).toBe(401);
    // The upload reads the gateway's standing in its own query: refused at once as well.
    expect((await putChunk(b.url, gateway.token, recordingId, 'hr', 1, late)).status).toBe(401);
    const newToken = await call(b.url, 'POST', '/v1/gateways/token', {
      json: { gatewayId: gateway.id, clientSecret: gateway.secret },
    });
    expect(newToken.status).toBe(401);

    await expectStatus(
      call(a.url, 'POST', '/v1/users', {
        token: admin.accessToken,
        json: { username: 'nurse', displayName: 'Nurse', role: 'clinician', password: 'nurse password 123' },
      }),
      201,
    );
    const nurse = await login(b.url, 'nurse', 'nurse password 123');
    await expectStatus(call(b.url, 'GET', '/v1/patients', { token: nurse.accessToken }), 200);
    await expectStatus(
      call(a.url, 'POST', `/v1/users/${nurse.userId}/disable`, { token: admin.accessToken }),
      200,
    );
    expect((await call(b.url, 'GET', '/v1/patients', { token: nurse.accessToken })).status).toBe(401);
    const refresh = await call(b.url, 'POST', '/v1/auth/refresh', {
      json: { refreshToken: nurse.refreshToken },
    });
    expect(refresh.status).toBe(401);

    const session = await login(a.url, 'admin', ADMIN_PASSWORD);
    await call(a.url, 'POST', '/v1/auth/logout', { json: { refreshToken: session.refreshToken } });
    const loggedOut = await call(b.url, 'POST', '/v1/auth/refresh', {
      json: { refreshToken: session.refreshToken },
    });
    expect(loggedOut.status).toBe(401);
  });

  it('goes through a rolling restart under continuous upload load without a failed request', async () => {
    const gateway = await enroll(proxy.url, admin.accessToken);
    const load = new UploadLoad(proxy.url, gateway.token, await newRecording(proxy.url, gateway.token), 4);
    load.start();
    const answeredBy = (r: ReplicaProcess) => proxy.stats.answeredBy.get(r.port) ?? 0;
    for (const replica of [a, b]) {
      await load.untilAcked(load.acked + 8);
      expect(await replica.stop('SIGTERM')).toBe(0);
      await load.untilAcked(load.acked + 8); // served by the other replica alone
      await replica.start();
      const before = answeredBy(replica);
      await load.until(() => answeredBy(replica) >= before + 4, 'the restarted replica answers uploads');
    }
    const result = await load.stop();
    expect(result.failures).toEqual([]);
    expect(proxy.stats.failed).toBe(0);
    // Each replica really was away under load: the proxy met its closed port and went on.
    expect(proxy.stats.retries).toBeGreaterThan(0);
    const stored = await db.query<{ n: string }>('select count(*) as n from chunks where recording_id = $1', [
      load.recordingId,
    ]);
    expect(Number(stored.rows[0]!.n)).toBe(result.acked);
  });

  it('while draining answers /ready 503 and keeps serving, then exits 0 on a second SIGTERM', async () => {
    b.options.drainDelayMs = 600_000;
    expect(await b.stop('SIGTERM')).toBe(0);
    await b.start();
    b.signal('SIGTERM');
    await b.printed(/draining: \/ready answers 503/, 'the draining message');
    const ready = await call(b.url, 'GET', '/ready');
    expect(ready.status).toBe(503);
    expect((ready.body as { error: { code: string } }).error.code).toBe('unavailable');
    const served = await call(b.url, 'GET', '/v1/patients', { token: admin.accessToken });
    expect(served.status).toBe(200);
    expect(served.headers.connection).toBe('close');
    const exited = b.exitCode();
    b.signal('SIGTERM');
    expect(await exited).toBe(0);
    b.options.drainDelayMs = 0;
    await b.start();
    expect((await call(b.url, 'GET', '/ready')).status).toBe(200);
  });
});
