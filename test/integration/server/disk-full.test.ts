/**
 * A full disk, simulated for a real server process with `ulimit -f` (every write past the limit
 * fails with EFBIG, which SQLite reports as SQLITE_IOERR_WRITE; ENOSPC on a real full disk is
 * SQLITE_FULL, which is handled alike): an upload that cannot be written fails with SQLite's own
 * error in the log (not "cannot rollback - no transaction is active"), and /ready and /health
 * report the problem while the database still answers.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ecgChunk, encoded, T0 } from './harness.js';

const PASSWORD = 'a long enough admin password';
const dir = mkdtempSync(join(tmpdir(), 'pulsewatch-disk-full-'));
const env = {
  PATH: process.env.PATH ?? '',
  HOME: dir,
  TSX_DISABLE_CACHE: '1',
  PULSEWATCH_DATA_DIR: join(dir, 'data'),
};
let child: ChildProcess;
let output = '';
let base = '';

beforeAll(async () => {
  const admin = spawnSync(
    join('node_modules', '.bin', 'tsx'),
    ['server/cli.ts', 'create-admin', '--username', 'admin', '--password-stdin'],
    { env, input: `${PASSWORD}\n`, encoding: 'utf8', timeout: 60_000 },
  );
  expect(admin.status, `${admin.stdout}${admin.stderr}`).toBe(0);
  // 3 MiB per file: the WAL fills up after a few ECG chunks.
  child = spawn(
    'bash',
    ['-c', `trap '' XFSZ; ulimit -f 3072; exec ${process.execPath} --import tsx server/cli.ts`],
    {
      env: { ...env, PULSEWATCH_PORT: '0', PULSEWATCH_DECODE_WORKERS: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  base = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', () => {
      const match = /"url":"(http:\/\/[^"]+)"/.exec(output);
      if (match?.[1] !== undefined) resolve(match[1]);
    });
    child.once('exit', () => reject(new Error(`server exited:\n${output}`)));
  });
});

afterAll(async () => {
  if (child.exitCode === null) {
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGKILL');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

async function call(method: string, path: string, token: string | undefined, body?: unknown) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('a full disk', () => {
  it('fails the upload with SQLite’s own error, and /ready and /health say so', async () => {
    const login = await call('POST', '/v1/auth/login', undefined, { username: 'admin', password: PASSWORD });
    const admin = (login.body.tokens as { accessToken: string }).accessToken;
    const code = (await call('POST', '/v1/enrollment-codes', admin, { label: 'Desk' })).body.code as string;
    const gatewayId = uuidv7();
    const enrolled = await call('POST', '/v1/gateways/enroll', undefined, {
      code,
      gatewayId,
      name: 'Desk',
      platform: 'linux',
      appVersion: '0.1.0',
    });
    const secret = enrolled.body.clientSecret as string;
    const token = (await call('POST', '/v1/gateways/token', undefined, { gatewayId, clientSecret: secret }))
      .body.accessToken as string;
    const patientId = uuidv7();
    expect(
      (await call('POST', '/v1/patients', token, { id: patientId, studyCode: 'FULL1', createdAtMs: T0 }))
        .status,
    ).toBe(201);
    const recordingId = uuidv7();
    const recording = await call('POST', '/v1/recordings', token, {
      id: recordingId,
      patientId,
      operator: { id: uuidv7(), name: 'Nurse' },
      devices: [{ kind: 'ecg12', serial: 'E1', simulated: true }],
      simulated: true,
      startedAtMs: T0,
      ecgSampleRateHz: 500,
    });
    expect(recording.status).toBe(201);
    expect((await call('GET', '/ready', undefined)).status).toBe(200);
    let failed: { status: number; body: Record<string, unknown> } | undefined;
    for (let index = 0; index < 400 && failed === undefined; index++) {
      const { bytes, sha256 } = encoded(ecgChunk(recordingId, index, { seconds: 10 }));
      const response = await fetch(`${base}/v1/recordings/${recordingId}/streams/ecg/chunks/${index}`, {
        method: 'PUT',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/octet-stream',
          'x-chunk-sha256': sha256,
        },
        body: new Uint8Array(bytes),
      });
      if (response.status !== 201)
        failed = { status: response.status, body: (await response.json()) as Record<string, unknown> };
    }
    expect(failed?.status, output.slice(-2000)).toBe(500);
    // The server logs the failure before it answers; the log line may reach this pipe a little later.
    await new Promise<void>((resolve) => {
      const check = () => {
        if (output.includes('"msg":"request failed"')) resolve();
      };
      child.stdout?.on('data', check);
      check();
    });
    const errors = output.split('\n').filter((line) => line.includes('"level":50'));
    expect(errors.join('\n')).toMatch(/"code":"SQLITE_(FULL|IOERR_WRITE)"/);
    expect(output).not.toContain('cannot rollback');
    const ready = await call('GET', '/ready', undefined);
    expect(ready.status).toBe(503);
    expect(JSON.stringify(ready.body)).toMatch(/disk is full|disk full/);
    const health = await call('GET', '/health', undefined);
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ status: 'degraded', databaseReachable: true });
    expect(child.exitCode).toBeNull();
  });
});
