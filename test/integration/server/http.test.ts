import { request as httpRequest, type Server } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { ErrorBodySchema } from '../../../server-contract/api/index.js';
import type { Store } from '../../../server/store/store.js';
import {
  bearer,
  createPatientAndRecording,
  encoded,
  enrollGateway,
  hrChunk,
  putChunk,
  staffToken,
  startTestServer,
  T0,
  type EnrolledGateway,
  type TestServer,
  items,
  METRICS_TOKEN,
} from './harness.js';

let t: TestServer;
let admin: string;
let gw: EnrolledGateway;

beforeAll(async () => {
  t = await startTestServer();
  admin = await staffToken(t, 'admin');
  gw = await enrollGateway(t, admin);
});

afterAll(async () => {
  await t.close();
});

describe('request validation', () => {
  it('answers one 400 naming every bad field of params, query and body', async () => {
    const res = await t.http
      .patch('/v1/patients/not-a-uuid?extra=1')
      .set(bearer(gw.token))
      .send({ studyCode: '!!', ageYears: 400, sex: 'robot', favouriteColour: 'blue' });
    expect(res.status).toBe(400);
    expect(ErrorBodySchema.safeParse(res.body).success).toBe(true);
    const paths = (res.body as { error: { issues: { path: string }[] } }).error.issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'params.patientId',
        'query.extra',
        'body.studyCode',
        'body.ageYears',
        'body.sex',
        'body.favouriteColour',
      ]),
    );
    expect(res.body.error.code).toBe('validation_failed');
  });

  it('rejects malformed JSON, a wrong content type and JSON over the limit', async () => {
    const bad = await t.http
      .post('/v1/auth/login')
      .set('content-type', 'application/json')
      .send('{"username": ');
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues).toEqual([{ path: 'body', message: 'not valid JSON' }]);
    const text = await t.http.post('/v1/auth/login').set('content-type', 'text/plain').send('username=x');
    expect(text.status).toBe(415);
    const huge = await t.http
      .post('/v1/patients')
      .set(bearer(gw.token))
      .set('content-type', 'application/json')
      .send(
        JSON.stringify({
          id: uuidv7(),
          studyCode: 'P1',
          createdAtMs: T0,
          notes: 'x'.repeat(2 * 1024 * 1024),
        }),
      );
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('payload_too_large');
  });

  it('survives deeply nested JSON', async () => {
    const nested = '['.repeat(100_000) + ']'.repeat(100_000);
    const res = await t.http.post('/v1/auth/login').set('content-type', 'application/json').send(nested);
    expect(res.status).toBe(400);
    expect((await t.http.get('/live')).status).toBe(200);
  });

  it.each([
    `'; DROP TABLE patients; --`,
    `" OR "1"="1`,
    `Robert'); DELETE FROM chunks;--`,
    `\\'; SELECT pg_sleep(5); --`,
  ])('stores SQL-ish text %s verbatim and changes nothing else', async (nasty) => {
    const id = uuidv7();
    const created = await t.http
      .post('/v1/patients')
      .set(bearer(gw.token))
      .send({
        id,
        studyCode: `S${id.slice(-8)}`,
        createdAtMs: T0,
        notes: nasty,
        studyGroup: nasty.slice(0, 60),
        identity: { name: nasty },
      });
    expect(created.status).toBe(201);
    const back = await t.http.get(`/v1/patients/${id}`).set(bearer(admin));
    expect(back.body).toMatchObject({
      notes: nasty,
      studyGroup: nasty.slice(0, 60).trim(),
      identity: { name: nasty.trim() },
    });
    const byGroup = await t.http
      .get(`/v1/patients?studyGroup=${encodeURIComponent(nasty.slice(0, 60).trim())}`)
      .set(bearer(admin));
    expect(items<{ id: string }>(byGroup.body).map((p) => p.id)).toEqual([id]);
  });
});

describe('errors, headers and operations', () => {
  it('answers unknown routes with the error shape', async () => {
    const res = await t.http.get('/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });

  it('hides internals of an unexpected failure behind a 500 with a request id, and logs it', async () => {
    const failing = await startTestServer();
    const store = failing.store as Store & { listPatients: Store['listPatients'] };
    store.listPatients = () =>
      Promise.reject(new Error('SQLITE_CORRUPT: secret table layout at /var/lib/db'));
    const token = await staffToken(failing, 'admin');
    const res = await failing.http.get('/v1/patients').set(bearer(token));
    expect(res.status).toBe(500);
    expect(res.body.error.code).toBe('internal');
    expect(JSON.stringify(res.body)).not.toContain('SQLITE');
    expect(res.body.error.requestId).toBe(res.headers['x-request-id']);
    expect(
      failing.logs.some(
        (l) => l.includes('SQLITE_CORRUPT') && l.includes(res.body.error.requestId as string),
      ),
    ).toBe(true);
    await failing.close();
  });

  it('sends security headers, the API version and CORS only to allowed origins', async () => {
    const allowed = await t.http.get('/live').set('origin', 'https://viewer.example.org');
    expect(allowed.headers['x-content-type-options']).toBe('nosniff');
    expect(allowed.headers['strict-transport-security']).toBeDefined();
    expect(allowed.headers['x-pulsewatch-api']).toBe('1');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://viewer.example.org');
    const denied = await t.http.get('/live').set('origin', 'https://evil.example.com');
    expect(denied.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers a chunk upload with nosniff and the API version but no document policies or CORS', async () => {
    const { recordingId } = await createPatientAndRecording(t, gw.token);
    const { bytes, sha256 } = encoded(hrChunk(recordingId, 0));
    const res = await putChunk(t, gw.token, recordingId, 'hr', 0, bytes, sha256).set(
      'origin',
      'https://viewer.example.org',
    );
    expect(res.status).toBe(201);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-pulsewatch-api']).toBe('1');
    expect(res.headers['content-security-policy']).toBeUndefined();
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    // A request id is made for it all the same, and differs from the next one's.
    const other = await t.http.get('/live');
    expect(res.headers['x-request-id']).toMatch(/^[A-Za-z0-9._-]{8,64}$/);
    expect(other.headers['x-request-id']).not.toBe(res.headers['x-request-id']);
    // Every other route keeps helmet's policies, the preflight of the same path its CORS answer.
    expect(other.headers['content-security-policy']).toBeDefined();
    const preflight = await t.http
      .options(`/v1/recordings/${recordingId}/streams/hr/chunks/1`)
      .set('origin', 'https://viewer.example.org')
      .set('access-control-request-method', 'PUT');
    expect(preflight.headers['access-control-allow-origin']).toBe('https://viewer.example.org');
  });

  it('answers a wrong method on an existing path with 405 and Allow, and an unknown path with 404', async () => {
    const wrong = await t.http.delete('/v1/patients');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow?.split(', ').sort()).toEqual(['GET', 'HEAD', 'POST']);
    expect(wrong.body).toMatchObject({ error: { code: 'method_not_allowed' } });
    const put = await t.http.put('/health');
    expect(put.status).toBe(405);
    expect(put.headers.allow).toContain('GET');
    expect((await t.http.delete('/v1/no-such-thing')).status).toBe(404);
  });

  it('serves health, readiness, liveness, metrics, the OpenAPI document and the docs page', async () => {
    const health = await t.http.get('/health');
    expect(health.body).toMatchObject({
      status: 'ok',
      database: 'sqlite',
      databaseReachable: true,
      apiVersion: 1,
    });
    expect((await t.http.get('/ready')).body).toEqual({ ok: true });
    expect((await t.http.get('/live')).body).toEqual({ ok: true });
    for (const authorization of [undefined, 'Bearer wrong-token', `Basic ${METRICS_TOKEN}`]) {
      const refused = t.http.get('/metrics');
      const reply = await (authorization === undefined
        ? refused
        : refused.set('authorization', authorization));
      expect(reply.status).toBe(401);
      expect(reply.body).toMatchObject({ error: { code: 'unauthorized' } });
      expect(reply.text).not.toContain('pulsewatch_');
    }
    const metrics = await t.http.get('/metrics').set('authorization', `Bearer ${METRICS_TOKEN}`);
    expect(metrics.text).toContain(
      'pulsewatch_http_requests_total{route="health.get",method="GET",status="200"}',
    );
    expect(metrics.text).toContain('pulsewatch_db_errors_total');
    const openapi = await t.http.get('/openapi.json');
    expect(openapi.body.paths['/v1/recordings/{recordingId}/streams/{stream}/chunks/{index}']).toBeDefined();
    const docs = (await t.http.get('/docs/routes')).text;
    expect(docs).toContain('/v1/auth/login');
    expect(docs).toContain('<tr><td><code>request_timeout</code></td><td>408</td>');
  });

  it('reports not ready while draining for shutdown', async () => {
    const draining = await startTestServer();
    expect((await draining.http.get('/ready')).status).toBe(200);
    await draining.app.services.inFlight.drain(0);
    const res = await draining.http.get('/ready');
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('unavailable');
    expect((await draining.http.get('/live')).status).toBe(200);
    await draining.close();
  });

  it('rate-limits per authenticated principal and per IP on public routes', async () => {
    const limited = await startTestServer({ settings: { rateLimitPerMin: 5, anonRateLimitPerMin: 3 } });
    const a = await staffToken(limited, 'admin'); // one public request from this IP
    const publicStatuses = [];
    for (let i = 0; i < 3; i++)
      publicStatuses.push(
        (await limited.http.post('/v1/auth/login').send({ username: 'nobody', password: 'x' })).status,
      );
    expect(publicStatuses).toEqual([401, 401, 429]);
    const statuses = [];
    for (let i = 0; i < 7; i++) statuses.push((await limited.http.get('/v1/patients').set(bearer(a))).status);
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    const blocked = await limited.http.get('/v1/patients').set(bearer(a));
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('rate_limited');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    limited.clock.nowMs += 60_000;
    expect((await limited.http.get('/v1/patients').set(bearer(a))).status).toBe(200);
    await limited.close();
  });
});

describe('reverse proxy', () => {
  it.each([
    [false, [401, 429]],
    [true, [401, 401]],
  ])(
    'with trustProxy=%s keys the per-IP limit on X-Forwarded-For only when trusted',
    async (trustProxy, expected) => {
      const proxied = await startTestServer({ settings: { trustProxy, anonRateLimitPerMin: 1 } });
      const statuses = [];
      for (const ip of ['203.0.113.5', '203.0.113.6']) {
        const res = await proxied.http
          .post('/v1/auth/login')
          .set('x-forwarded-for', ip)
          .send({ username: 'nobody', password: 'x' });
        statuses.push(res.status);
      }
      expect(statuses).toEqual(expected);
      await proxied.close();
    },
  );
});

describe('slow clients and shutdown', () => {
  let server: Server;
  let port: number;
  let slow: TestServer;

  beforeAll(async () => {
    slow = await startTestServer({ bodyIdleTimeoutMs: 300 });
    server = slow.app.listen(0, '127.0.0.1');
    await new Promise<void>((r) => server.once('listening', () => r()));
    const addr = server.address();
    port = typeof addr === 'object' && addr !== null ? addr.port : 0;
  });

  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    await slow.close();
  });

  it('answers a declared oversized body with 413 at once and closes the connection', async () => {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((r) => socket.once('connect', () => r()));
    let response = '';
    socket.on('data', (d: Buffer) => (response += d.toString('utf8')));
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    socket.write(
      'POST /v1/auth/login HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 50000000\r\n\r\n{',
    );
    await closed;
    expect(response).toMatch(/^HTTP\/1\.1 413/);
    expect(response.toLowerCase()).toContain('connection: close');
  });

  it('cuts off a client that stops sending its body, and keeps serving others', async () => {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((r) => socket.once('connect', () => r()));
    let response = '';
    socket.on('data', (d: Buffer) => (response += d.toString('utf8')));
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    socket.write(
      'POST /v1/auth/login HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"username":',
    );
    const live = await new Promise<number>((resolveLive) => {
      httpRequest({ port, host: '127.0.0.1', path: '/live' }, (res) => {
        res.resume();
        resolveLive(res.statusCode ?? 0);
      }).end();
    });
    expect(live).toBe(200);
    await closed;
    expect(response).toMatch(/^HTTP\/1\.1 408/);
    expect(response).toContain('"code":"request_timeout"');
  });
});

describe('a body dribbled byte by byte', () => {
  it('is cut off with 408 once its average rate stays below the minimum past the grace period', async () => {
    const dribbled = await startTestServer({
      bodyIdleTimeoutMs: 30_000,
      bodyMinBytesPerS: 1000,
      bodyRateGraceMs: 300,
    });
    const server = dribbled.app.listen(0, '127.0.0.1');
    await new Promise<void>((r) => server.once('listening', () => r()));
    const addr = server.address();
    const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
    try {
      const socket = connect(port, '127.0.0.1');
      await new Promise<void>((r) => socket.once('connect', () => r()));
      let response = '';
      socket.on('data', (d: Buffer) => (response += d.toString('utf8')));
      socket.on('error', () => socket.destroy());
      const closed = new Promise<void>((r) => socket.once('close', () => r()));
      socket.write(
        'POST /v1/auth/login HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 200\r\n\r\n',
      );
      // One byte every 50 ms (20 bytes/s): never idle long, far below 1000 bytes/s.
      const dribble = setInterval(() => {
        if (!socket.destroyed) socket.write(' ');
      }, 50);
      await closed;
      clearInterval(dribble);
      expect(response).toMatch(/^HTTP\/1\.1 408/);
      expect(response).toContain('"code":"request_timeout"');
      expect(response).toContain('bytes/s');
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
      await dribbled.close();
    }
  });
});
