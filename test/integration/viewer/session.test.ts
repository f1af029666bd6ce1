/**
 * The viewer's staff session against the real ingest server over HTTP (the contract's client on
 * the viewer's fetch transport): refresh after the access token lapses, sign-out and the idle
 * timeout both revoke the refresh token on the server, and a reload resumes from storage.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, createIngestClient, type IngestClient } from '../../../renderer/viewer/src/api.js';
import { IDLE_TIMEOUT_MS, Session, type EndReason } from '../../../renderer/viewer/src/session.js';
import { PASSWORD, startTestServer, type TestServer } from '../server/harness.js';

let t: TestServer;
let http: Server;
let client: IngestClient;

beforeAll(async () => {
  t = await startTestServer();
  await t.app.services.auth.createUser({
    username: 'dr-a',
    displayName: 'Dr A',
    role: 'clinician',
    password: PASSWORD,
  });
  const handle = t.app.callback();
  http = createServer((req, res) => void handle(req, res));
  await new Promise<void>((done) => http.listen(0, '127.0.0.1', done));
  client = createIngestClient(`http://127.0.0.1:${(http.address() as AddressInfo).port}`);
});

afterAll(async () => {
  await new Promise<void>((done) => http.close(() => done()));
  await t.close();
});

/** A storage like the tab's sessionStorage. */
function memoryStorage() {
  const items = new Map<string, string>();
  return {
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => void items.set(k, v),
    removeItem: (k: string) => void items.delete(k),
    items,
  };
}

async function signIn(clock = { nowMs: Date.now() }) {
  const ended: EndReason[] = [];
  const storage = memoryStorage();
  const session = await Session.login(client, 'dr-a', PASSWORD, {
    onEnd: (r) => ended.push(r),
    now: () => clock.nowMs,
    storage,
  });
  return { session, ended, storage, clock };
}

const listPatients = (s: Session) =>
  s.run((authToken) => s.client['patients.list']({ authToken, query: {} }));

async function refreshRefused(refreshToken: string): Promise<number> {
  const error = await client['auth.refresh']({ body: { refreshToken } }).then(
    () => undefined,
    (e: unknown) => e,
  );
  return error instanceof ApiError ? error.status : 0;
}

describe('viewer staff session', () => {
  it('refreshes the token pair once when the server no longer takes the access token', async () => {
    const { session, ended, storage } = await signIn();
    const before = storage.items.values().next().value!;
    t.clock.nowMs += 901_000; // the server's 900-s access token has lapsed
    const page = await listPatients(session);
    expect(page.status).toBe(200);
    expect(storage.items.values().next().value).not.toBe(before);
    expect(ended).toEqual([]);
    await session.logout();
  });

  it('signs out: the refresh token is revoked on the server and storage is cleared', async () => {
    const { session, ended, storage } = await signIn();
    const { tokens } = JSON.parse(storage.items.values().next().value!) as {
      tokens: { refreshToken: string };
    };
    await session.logout();
    expect(ended).toEqual(['signed_out']);
    expect(storage.items.size).toBe(0);
    expect(await refreshRefused(tokens.refreshToken)).toBe(401);
  });

  it(`ends the session after ${IDLE_TIMEOUT_MS / 60_000} minutes without input, not before`, async () => {
    const { session, ended, storage, clock } = await signIn();
    const { tokens } = JSON.parse(storage.items.values().next().value!) as {
      tokens: { refreshToken: string };
    };
    clock.nowMs += IDLE_TIMEOUT_MS - 1000;
    session.touch();
    clock.nowMs += IDLE_TIMEOUT_MS - 1000;
    session.checkIdle();
    expect(ended).toEqual([]);
    clock.nowMs += 1000;
    session.checkIdle();
    session.checkIdle();
    await expect.poll(() => ended).toEqual(['idle']);
    await expect.poll(() => refreshRefused(tokens.refreshToken)).toBe(401);
  });

  it('resumes after a reload from the stored refresh token, and not after sign-out', async () => {
    const first = await signIn();
    const resumed = await Session.resume(client, { onEnd: () => undefined, storage: first.storage });
    expect(resumed?.user.username).toBe('dr-a');
    expect((await listPatients(resumed!)).status).toBe(200);
    await resumed!.logout();
    expect(await Session.resume(client, { onEnd: () => undefined, storage: first.storage })).toBeNull();
  });
});
