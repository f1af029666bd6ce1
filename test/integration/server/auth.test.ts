import { randomBytes } from 'node:crypto';
import { SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import {
  bearer,
  enrollGateway,
  PASSWORD,
  staffToken,
  startTestServer,
  type TestServer,
  items,
  METRICS_TOKEN,
} from './harness.js';

let t: TestServer;
let admin: string;

beforeAll(async () => {
  t = await startTestServer();
});

// Several tests move the clock past the access-token lifetime: sign the admin in afresh.
beforeEach(async () => {
  admin = await staffToken(t, 'admin');
});

afterAll(async () => {
  await t.close();
});

async function newUser(role: 'admin' | 'clinician' | 'researcher') {
  const username = `${role}-${uuidv7().slice(-10)}`;
  await t.app.services.auth.createUser({ username, displayName: role, role, password: PASSWORD });
  return username;
}

describe('staff sign-in', () => {
  it('signs in with the right password and not with a wrong one', async () => {
    const username = await newUser('clinician');
    const ok = await t.http.post('/v1/auth/login').send({ username, password: PASSWORD });
    expect(ok.status).toBe(200);
    expect(ok.body.user).toMatchObject({ username, role: 'clinician', disabled: false });
    const bad = await t.http.post('/v1/auth/login').send({ username, password: 'wrong password!!' });
    expect(bad.status).toBe(401);
    expect(bad.body.error.code).toBe('unauthorized');
    const unknown = await t.http.post('/v1/auth/login').send({ username: 'nobody-here', password: PASSWORD });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.message).toBe(bad.body.error.message);
  });

  it('locks an account after repeated failures, even for the right password, until the lock expires', async () => {
    const username = await newUser('researcher');
    for (let i = 0; i < 3; i++)
      expect(
        (await t.http.post('/v1/auth/login').send({ username, password: 'not the password' })).status,
      ).toBe(401);
    const locked = await t.http.post('/v1/auth/login').send({ username, password: PASSWORD });
    expect(locked.status).toBe(423);
    expect(locked.body.error.code).toBe('account_locked');
    expect(Number(locked.headers['retry-after'])).toBe(60);
    t.clock.nowMs += 61_000;
    expect((await t.http.post('/v1/auth/login').send({ username, password: PASSWORD })).status).toBe(200);
  });

  it('counts parallel wrong passwords atomically: 20 at once with a limit of 3, then the right one is locked', async () => {
    const username = await newUser('clinician');
    const guesses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.http.post('/v1/auth/login').send({ username, password: `wrong guess ${i}` }),
      ),
    );
    const statuses = guesses.map((g) => g.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(3);
    expect(statuses.filter((s) => s === 423)).toHaveLength(17);
    const right = await t.http.post('/v1/auth/login').send({ username, password: PASSWORD });
    expect(right.status).toBe(423);
    expect(right.body.error.code).toBe('account_locked');
  });

  it('doubles the lock with each further failure', async () => {
    const username = await newUser('researcher');
    for (let i = 0; i < 3; i++)
      await t.http.post('/v1/auth/login').send({ username, password: 'not the password' });
    t.clock.nowMs += 61_000;
    await t.http.post('/v1/auth/login').send({ username, password: 'still not it' });
    const locked = await t.http.post('/v1/auth/login').send({ username, password: PASSWORD });
    expect(Number(locked.headers['retry-after'])).toBe(120);
  });

  it('rotates refresh tokens, and a replayed one revokes the whole family', async () => {
    const username = await newUser('clinician');
    const login = await t.http.post('/v1/auth/login').send({ username, password: PASSWORD });
    const first = login.body.tokens.refreshToken as string;
    const rotated = await t.http.post('/v1/auth/refresh').send({ refreshToken: first });
    expect(rotated.status).toBe(200);
    const second = rotated.body.refreshToken as string;
    expect(second).not.toBe(first);
    const replay = await t.http.post('/v1/auth/refresh').send({ refreshToken: first });
    expect(replay.status).toBe(401);
    expect((await t.http.post('/v1/auth/refresh').send({ refreshToken: second })).status).toBe(401);
  });

  it('revokes a refresh token on logout', async () => {
    const username = await newUser('clinician');
    const login = await t.http.post('/v1/auth/login').send({ username, password: PASSWORD });
    const token = login.body.tokens.refreshToken as string;
    expect((await t.http.post('/v1/auth/logout').send({ refreshToken: token })).status).toBe(200);
    expect((await t.http.post('/v1/auth/refresh').send({ refreshToken: token })).status).toBe(401);
  });
});

describe('access tokens', () => {
  it('rejects an expired token with token_expired', async () => {
    const token = await staffToken(t, 'clinician');
    t.clock.nowMs += 901_000;
    const res = await t.http.get('/v1/patients').set(bearer(token));
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('token_expired');
  });

  it('rejects a token that expires after it was last accepted (the verified-token memo checks expiry)', async () => {
    const token = await staffToken(t, 'clinician');
    expect((await t.http.get('/v1/patients').set(bearer(token))).status).toBe(200);
    t.clock.nowMs += 899_000;
    expect((await t.http.get('/v1/patients').set(bearer(token))).status).toBe(200);
    t.clock.nowMs += 2_000;
    const res = await t.http.get('/v1/patients').set(bearer(token));
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('token_expired');
    // A token that differs only in its signature is a different text: never taken from the memo.
    const tampered = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
    t.clock.nowMs -= 2_000;
    expect((await t.http.get('/v1/patients').set(bearer(tampered))).status).toBe(401);
  });

  it('rejects forged, unsigned, malformed and missing tokens', async () => {
    const forged = await new SignJWT({ role: 'admin', kind: 'user' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(uuidv7())
      .setIssuer('pulsewatch-server')
      .setAudience('pulsewatch-api')
      .setExpirationTime('1h')
      .sign(randomBytes(32));
    const unsigned = new UnsecuredJWT({ role: 'admin', kind: 'user' })
      .setSubject(uuidv7())
      .setIssuer('pulsewatch-server')
      .setAudience('pulsewatch-api')
      .encode();
    for (const header of [
      `Bearer ${forged}`,
      `Bearer ${unsigned}`,
      'Bearer not.a.jwt',
      'Basic YWRtaW46YWRtaW4=',
      '',
    ]) {
      const res = await t.http.get('/v1/users').set('authorization', header);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('unauthorized');
    }
  });

  it('stops a disabled user at once, including tokens already issued', async () => {
    const username = await newUser('clinician');
    const login = await t.http.post('/v1/auth/login').send({ username, password: PASSWORD });
    const userId = login.body.user.id as string;
    const token = login.body.tokens.accessToken as string;
    expect((await t.http.get('/v1/patients').set(bearer(token))).status).toBe(200);
    expect((await t.http.post(`/v1/users/${userId}/disable`).set(bearer(admin))).status).toBe(200);
    expect((await t.http.get('/v1/patients').set(bearer(token))).status).toBe(401);
    expect(
      (await t.http.post('/v1/auth/refresh').send({ refreshToken: login.body.tokens.refreshToken })).status,
    ).toBe(401);
  });

  it('enforces the roles the route table names', async () => {
    const researcher = await staffToken(t, 'researcher');
    const clinician = await staffToken(t, 'clinician');
    const create = { username: 'someone', displayName: 'Some One', role: 'admin', password: PASSWORD };
    expect((await t.http.post('/v1/users').set(bearer(researcher)).send(create)).status).toBe(403);
    expect((await t.http.post('/v1/users').set(bearer(clinician)).send(create)).status).toBe(403);
    expect((await t.http.get('/v1/audit').set(bearer(clinician))).status).toBe(403);
    expect((await t.http.get('/v1/patients').set(bearer(researcher))).status).toBe(200);
    const created = await t.http.post('/v1/users').set(bearer(admin)).send(create);
    expect(created.status).toBe(201);
    expect((await t.http.post('/v1/users').set(bearer(admin)).send(create)).status).toBe(409);
  });
});

describe('gateway enrollment', () => {
  it('uses a one-time code once and issues working gateway credentials', async () => {
    const code = await t.http.post('/v1/enrollment-codes').set(bearer(admin)).send({ label: 'Ward 3' });
    expect(code.status).toBe(201);
    expect(code.body.code).toMatch(/^[A-Z0-9]{4}(-[A-Z0-9]{4}){3}$/);
    const body = {
      code: code.body.code as string,
      gatewayId: uuidv7(),
      name: 'Ward 3',
      platform: 'linux',
      appVersion: '0.1.0',
    };
    const enrolled = await t.http.post('/v1/gateways/enroll').send(body);
    expect(enrolled.status).toBe(201);
    const again = await t.http.post('/v1/gateways/enroll').send({ ...body, gatewayId: uuidv7() });
    expect(again.status).toBe(401);
    const token = await t.http
      .post('/v1/gateways/token')
      .send({ gatewayId: body.gatewayId, clientSecret: enrolled.body.clientSecret });
    expect(token.status).toBe(200);
    const wrong = await t.http
      .post('/v1/gateways/token')
      .send({ gatewayId: body.gatewayId, clientSecret: 'x'.repeat(43) });
    expect(wrong.status).toBe(401);
  });

  it('will not re-enroll an enrolled gateway id with an ordinary code, only with a code issued for that id', async () => {
    const victim = await enrollGateway(t, admin);
    const enroll = (code: string, gatewayId: string) =>
      t.http
        .post('/v1/gateways/enroll')
        .send({ code, gatewayId, name: 'Impostor', platform: 'linux', appVersion: '0.1.0' });
    const ordinary = await t.http.post('/v1/enrollment-codes').set(bearer(admin)).send({ label: 'any' });
    const takeover = await enroll(ordinary.body.code as string, victim.id);
    expect(takeover.status).toBe(409);
    expect(takeover.body.error.code).toBe('conflict');
    // The real gateway keeps working.
    const still = await t.http
      .post('/v1/gateways/token')
      .send({ gatewayId: victim.id, clientSecret: victim.secret });
    expect(still.status).toBe(200);
    // An admin re-enrolls it on purpose with a code for that id; that code enrolls no other id.
    const forVictim = await t.http
      .post('/v1/enrollment-codes')
      .set(bearer(admin))
      .send({ label: 'desk 1 again', gatewayId: victim.id });
    expect(forVictim.status).toBe(201);
    expect((await enroll(forVictim.body.code as string, uuidv7())).status).toBe(409);
    const forVictim2 = await t.http
      .post('/v1/enrollment-codes')
      .set(bearer(admin))
      .send({ label: 'desk 1 again', gatewayId: victim.id });
    const again = await enroll(forVictim2.body.code as string, victim.id);
    expect(again.status).toBe(201);
    const old = await t.http
      .post('/v1/gateways/token')
      .send({ gatewayId: victim.id, clientSecret: victim.secret });
    expect(old.status).toBe(401);
  });

  it('refuses an expired code', async () => {
    const code = await t.http
      .post('/v1/enrollment-codes')
      .set(bearer(admin))
      .send({ label: 'Ward 4', validForS: 60 });
    t.clock.nowMs += 61_000;
    const res = await t.http
      .post('/v1/gateways/enroll')
      .send({ code: code.body.code, gatewayId: uuidv7(), name: 'W4', platform: 'linux', appVersion: '1' });
    expect(res.status).toBe(401);
  });

  it('cuts off a revoked gateway, including its unexpired access token', async () => {
    const gw = await enrollGateway(t, admin);
    const heartbeat = {
      appVersion: '0.1.0',
      backlogChunks: 12,
      backlogBytes: 4096,
      oldestPendingAtMs: t.clock.nowMs - 5000,
      sentAtMs: t.clock.nowMs,
    };
    expect((await t.http.post('/v1/gateways/heartbeat').set(bearer(gw.token)).send(heartbeat)).status).toBe(
      200,
    );
    const list = await t.http.get('/v1/gateways?limit=500').set(bearer(admin));
    expect(items<{ id: string }>(list.body).find((g) => g.id === gw.id)).toMatchObject({
      backlogChunks: 12,
      backlogBytes: 4096,
      lastSeenAtMs: t.clock.nowMs,
      revoked: false,
    });
    expect((await t.http.post(`/v1/gateways/${gw.id}/revoke`).set(bearer(admin))).body.revoked).toBe(true);
    expect((await t.http.post('/v1/gateways/heartbeat').set(bearer(gw.token)).send(heartbeat)).status).toBe(
      401,
    );
    expect(
      (await t.http.post('/v1/gateways/token').send({ gatewayId: gw.id, clientSecret: gw.secret })).status,
    ).toBe(401);
  });

  it('shows each gateway’s silence and backlog in the metrics, and drops it once revoked', async () => {
    const gw = await enrollGateway(t, admin);
    const line = async (metric: string) =>
      new RegExp(`^${metric}\\{gateway="${gw.id}",name="Desk 1"\\} (\\S+)$`, 'm').exec(
        (await t.http.get('/metrics').set('authorization', `Bearer ${METRICS_TOKEN}`)).text,
      )?.[1];
    // Never sent a heartbeat: silence counts from enrollment (its token request), backlog unknown.
    expect(await line('pulsewatch_gateway_backlog_chunks')).toBeUndefined();
    const heartbeat = {
      appVersion: '0.1.0',
      backlogChunks: 12,
      backlogBytes: 4096,
      oldestPendingAtMs: t.clock.nowMs - 5000,
      sentAtMs: t.clock.nowMs,
    };
    expect((await t.http.post('/v1/gateways/heartbeat').set(bearer(gw.token)).send(heartbeat)).status).toBe(
      200,
    );
    t.clock.nowMs += 120_000;
    expect(await line('pulsewatch_gateway_seconds_since_contact')).toBe('120');
    expect(await line('pulsewatch_gateway_backlog_chunks')).toBe('12');
    expect(await line('pulsewatch_gateway_oldest_pending_seconds')).toBe('125');
    expect((await t.http.post(`/v1/gateways/${gw.id}/revoke`).set(bearer(admin))).body.revoked).toBe(true);
    expect(await line('pulsewatch_gateway_seconds_since_contact')).toBeUndefined();
  });

  it('audits logins and enrollments', async () => {
    const audit = await t.http.get('/v1/audit?limit=500').set(bearer(admin));
    const actions = new Set(items<{ action: string }>(audit.body).map((e) => e.action));
    for (const a of [
      'auth.login',
      'auth.login_failed',
      'enrollment.code_created',
      'gateways.enroll',
      'gateways.revoke',
    ])
      expect(actions).toContain(a);
  });
});
