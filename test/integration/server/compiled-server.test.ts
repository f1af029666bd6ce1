/**
 * Production runs compiled JavaScript: `node scripts/build-node.mjs` bundles the server (with its
 * decode worker) and the edge CLI, and each starts with plain `node` — no tsx loader — as a real
 * process: the server answers /health, signs a staff user in and takes a chunk through a decode
 * worker thread; the edge gateway serves its UI over HTTPS, with its token read from a file.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get as httpsGet } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureUiBuilt } from '../../../main/edge/build-ui.js';
import {
  bearer,
  createPatientAndRecording,
  ecgChunk,
  encoded,
  enrollGateway,
  putChunk,
  PASSWORD,
} from './harness.js';

// Beside package.json, as dist/ is: the edge finds the repository two folders up from its bundle.
const outDir = `.build-test-${uuidv7().slice(-12)}`;
const tmp = mkdtempSync(join(tmpdir(), 'pulsewatch-compiled-'));
const children: ChildProcess[] = [];

interface Child {
  output: () => string;
  exit: Promise<number | null>;
}

/** Runs `node FILE ARGS` (never tsx) with only the environment given. */
function runNode(file: string, args: string[], env: Record<string, string>, input?: string): Child {
  const child = spawn(process.execPath, [file, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: tmp, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  child.stdin.end(input);
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { output: () => output, exit };
}

/** Resolves with the first match of `pattern` in the child's output; rejects if it exits first. */
async function waitFor(child: Child, pattern: RegExp): Promise<string> {
  for (;;) {
    const match = pattern.exec(child.output());
    if (match?.[1] !== undefined) return match[1];
    const exited = await Promise.race([
      child.exit.then(() => true),
      new Promise<false>((r) => setTimeout(() => r(false), 50)),
    ]);
    if (exited && pattern.exec(child.output()) === null)
      throw new Error(`exited before ${String(pattern)}:\n${child.output()}`);
  }
}

beforeAll(async () => {
  const build = runNode('scripts/build-node.mjs', ['--outdir', outDir], {});
  expect(await build.exit, build.output()).toBe(0);
  ensureUiBuilt(() => undefined);
}, 120_000);

afterAll(() => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(outDir, { recursive: true, force: true });
  rmSync(tmp, { recursive: true, force: true });
});

describe('the compiled production build', () => {
  it('holds no TypeScript and no import of tsx', () => {
    for (const folder of ['server', 'edge']) {
      for (const file of readdirSync(join(outDir, folder)).filter((f) => /\.m?js$/.test(f))) {
        const text = readFileSync(join(outDir, folder, file), 'utf8');
        expect(file.endsWith('.ts')).toBe(false);
        // the worker boot loads tsx only for a .ts worker, which the bundle never names
        if (file === 'decode-worker-boot.mjs') expect(text).toContain("endsWith('.ts')");
        else expect(text).not.toMatch(/from ["']tsx|import\(["']tsx/);
      }
    }
  });

  it('starts with node, answers /health and an authenticated upload through a decode worker', async () => {
    const cli = join(outDir, 'server', 'cli.js');
    const env = {
      PULSEWATCH_DATA_DIR: join(tmp, 'data'),
      PULSEWATCH_PORT: '0',
      PULSEWATCH_DECODE_WORKERS: '1',
    };
    const admin = runNode(
      cli,
      ['create-admin', '--username', 'boss', '--password-stdin'],
      env,
      `${PASSWORD}\n`,
    );
    expect(await admin.exit, admin.output()).toBe(0);
    const server = runNode(cli, [], env);
    const url = await waitFor(server, /"url":"(http:\/\/127\.0\.0\.1:\d+)"/);
    const http = request(url);
    const health = await http.get('/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', databaseReachable: true });
    const login = await http.post('/v1/auth/login').send({ username: 'boss', password: PASSWORD });
    expect(login.status).toBe(200);
    const adminToken = (login.body as { tokens: { accessToken: string } }).tokens.accessToken;
    expect((await http.get('/v1/users').set(bearer(adminToken))).status).toBe(200);
    const gw = await enrollGateway({ http }, adminToken);
    const { recordingId } = await createPatientAndRecording({ http }, gw.token);
    const { bytes, sha256 } = encoded(ecgChunk(recordingId, 0));
    expect((await putChunk({ http }, gw.token, recordingId, 'ecg', 0, bytes, sha256)).status).toBe(201);
    expect((await putChunk({ http }, gw.token, recordingId, 'ecg', 0, bytes, sha256)).status).toBe(200);
    children.at(-1)?.kill('SIGTERM');
    expect(await server.exit).toBe(0);
  }, 60_000);

  it('starts the edge gateway with node, over HTTPS with a token read from a file', async () => {
    const tls = join(tmp, 'tls');
    const made = spawnSync('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout',
      `${tls}-key.pem`,
      '-out',
      `${tls}-cert.pem`,
    ]);
    expect(made.status, made.stderr.toString()).toBe(0);
    const token = 'edge-token-from-a-file-0123';
    writeFileSync(`${tls}-token`, `${token}\n`, { mode: 0o600 });
    const edge = runNode(
      join(outDir, 'edge', 'cli.js'),
      [
        '--port',
        '0',
        '--data-dir',
        join(tmp, 'edge'),
        '--tls-cert',
        `${tls}-cert.pem`,
        '--tls-key',
        `${tls}-key.pem`,
      ],
      {},
    );
    const withFile = runNode(
      join(outDir, 'edge', 'cli.js'),
      [
        '--port',
        '0',
        '--data-dir',
        join(tmp, 'edge2'),
        '--tls-cert',
        `${tls}-cert.pem`,
        '--tls-key',
        `${tls}-key.pem`,
        '--token-file',
        `${tls}-token`,
      ],
      {},
    );
    const open = await waitFor(edge, /serving its UI at (\S+)/);
    expect(open).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
    const url = await waitFor(withFile, /serving its UI at (https:\/\/\S+)/);
    expect(withFile.output()).not.toContain(token);
    const ca = readFileSync(`${tls}-cert.pem`);
    expect((await getTls(url, ca)).status).toBe(401);
    const page = await getTls(`${url}?token=${token}`, ca);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<html');
    for (const child of children.slice(-2)) child.kill('SIGTERM');
    expect([await edge.exit, await withFile.exit]).toEqual([0, 0]);
  }, 60_000);
});

/** GET over HTTPS trusting only `ca`. */
function getTls(url: string, ca: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    httpsGet(url, { ca }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}
