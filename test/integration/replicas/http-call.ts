/**
 * One HTTP request over a fresh connection (no pooled sockets: replicas stop and start under the
 * tests), with the test's gateway API helpers on top.
 */
import { request as httpRequest } from 'node:http';
import { v7 as uuidv7 } from 'uuid';
import { T0 } from '../server/harness.js';

export interface CallResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export interface CallOptions {
  token?: string;
  json?: unknown;
  bytes?: Buffer;
  headers?: Record<string, string>;
}

/** Sends one request to `baseUrl + path`; the body is parsed when it is JSON. */
export function call(
  baseUrl: string,
  method: string,
  path: string,
  o: CallOptions = {},
): Promise<CallResult> {
  const url = new URL(path, baseUrl);
  const payload = o.json !== undefined ? Buffer.from(JSON.stringify(o.json)) : o.bytes;
  const headers: Record<string, string> = { ...o.headers };
  if (o.token !== undefined) headers.authorization = `Bearer ${o.token}`;
  if (o.json !== undefined) headers['content-type'] = 'application/json';
  if (o.bytes !== undefined) headers['content-type'] = 'application/octet-stream';
  return new Promise((resolveCall, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, method, path: url.pathname + url.search, headers, agent: false },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (piece: Buffer) => parts.push(piece));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(parts).toString('utf8');
          let body: unknown = text;
          if ((res.headers['content-type'] ?? '').includes('json') && text !== '') body = JSON.parse(text);
          resolveCall({ status: res.statusCode ?? 0, headers: res.headers, body });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Throws unless the call answered `expected`. */
export async function expectStatus(result: Promise<CallResult>, expected: number): Promise<CallResult> {
  const r = await result;
  if (r.status !== expected)
    throw new Error(`expected ${expected}, got ${r.status}: ${JSON.stringify(r.body)}`);
  return r;
}

/** Signs in; returns the access and refresh tokens. */
export async function login(
  baseUrl: string,
  username: string,
  password: string,
): Promise<{ accessToken: string; refreshToken: string; userId: string }> {
  const r = await expectStatus(
    call(baseUrl, 'POST', '/v1/auth/login', { json: { username, password } }),
    200,
  );
  const body = r.body as { user: { id: string }; tokens: { accessToken: string; refreshToken: string } };
  return { ...body.tokens, userId: body.user.id };
}

/** Enrolls a new gateway with a code issued by `adminToken`; returns its id, secret and token. */
export async function enroll(
  baseUrl: string,
  adminToken: string,
): Promise<{ id: string; secret: string; token: string }> {
  const code = await expectStatus(
    call(baseUrl, 'POST', '/v1/enrollment-codes', { token: adminToken, json: { label: 'Replica desk' } }),
    201,
  );
  const id = uuidv7();
  const enrolled = await expectStatus(
    call(baseUrl, 'POST', '/v1/gateways/enroll', {
      json: {
        code: (code.body as { code: string }).code,
        gatewayId: id,
        name: 'Replica desk',
        platform: 'linux',
        appVersion: '0.1.0',
      },
    }),
    201,
  );
  const secret = (enrolled.body as { clientSecret: string }).clientSecret;
  const token = await expectStatus(
    call(baseUrl, 'POST', '/v1/gateways/token', { json: { gatewayId: id, clientSecret: secret } }),
    200,
  );
  return { id, secret, token: (token.body as { accessToken: string }).accessToken };
}

/** Creates a patient and a recording as the gateway; returns the recording id. */
export async function newRecording(baseUrl: string, gatewayToken: string): Promise<string> {
  const patientId = uuidv7();
  await expectStatus(
    call(baseUrl, 'POST', '/v1/patients', {
      token: gatewayToken,
      json: { id: patientId, studyCode: `P${uuidv7().slice(-8)}`, createdAtMs: T0 },
    }),
    201,
  );
  const recordingId = uuidv7();
  await expectStatus(
    call(baseUrl, 'POST', '/v1/recordings', {
      token: gatewayToken,
      json: {
        id: recordingId,
        patientId,
        operator: { id: uuidv7(), name: 'Nurse A' },
        devices: [{ kind: 'ecg12', serial: 'ECG-1', simulated: true }],
        simulated: true,
        startedAtMs: T0,
        ecgSampleRateHz: 500,
      },
    }),
    201,
  );
  return recordingId;
}

/** PUTs an encoded chunk as the uploader does. */
export function putChunk(
  baseUrl: string,
  token: string,
  recordingId: string,
  stream: string,
  index: number,
  chunk: { bytes: Buffer; sha256: string },
): Promise<CallResult> {
  return call(baseUrl, 'PUT', `/v1/recordings/${recordingId}/streams/${stream}/chunks/${index}`, {
    token,
    bytes: chunk.bytes,
    headers: { 'x-chunk-sha256': chunk.sha256 },
  });
}
