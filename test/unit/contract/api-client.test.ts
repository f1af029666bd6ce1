import { describe, expect, it } from 'vitest';
import {
  ApiError,
  createApiClient,
  routes,
  type TransportRequest,
  type TransportResponse,
} from '../../../server-contract/api/index.js';

const recordingId = '0192a3b4-c5d6-7e8f-aa0b-1c2d3e4f5a6d';
const sha = 'ab'.repeat(32);

function clientAnswering(response: TransportResponse) {
  const sent: TransportRequest[] = [];
  const client = createApiClient(routes, (request) => {
    sent.push(request);
    return Promise.resolve(response);
  });
  return { client, sent };
}

describe('typed API client', () => {
  it('sends a chunk as raw bytes to the filled path with hash and token headers', async () => {
    const ack = { recordingId, stream: 'ecg', index: 3, sha256: sha, stored: true };
    const { client, sent } = clientAnswering({ status: 201, headers: {}, body: ack });
    const bytes = new Uint8Array([1, 2, 3]);
    const result = await client['chunks.upload']({
      params: { recordingId, stream: 'ecg', index: 3 },
      headers: { 'x-chunk-sha256': sha },
      body: bytes,
      authToken: 'tok',
    });
    expect(result).toEqual({ status: 201, body: ack });
    expect(sent[0]).toMatchObject({
      method: 'PUT',
      path: `/v1/recordings/${recordingId}/streams/ecg/chunks/3`,
      headers: { 'x-chunk-sha256': sha, authorization: 'Bearer tok' },
      body: { kind: 'binary', bytes, contentType: 'application/octet-stream' },
    });
  });

  it('turns a contract error body into an ApiError carrying its code', async () => {
    const { client } = clientAnswering({
      status: 409,
      headers: {},
      body: { error: { code: 'chunk_conflict', message: 'a different chunk 3 is stored' } },
    });
    const call = client['chunks.upload']({
      params: { recordingId, stream: 'ecg', index: 3 },
      headers: { 'x-chunk-sha256': sha },
      body: new Uint8Array(),
    });
    await expect(call).rejects.toMatchObject({
      name: 'ApiError',
      code: 'http_error',
      status: 409,
      body: { error: { code: 'chunk_conflict' } },
    });
  });

  it('rejects a success body that does not match the contract', async () => {
    const { client } = clientAnswering({ status: 200, headers: {}, body: { ok: 'yes' } });
    const error: unknown = await client['health.live']({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('bad_response');
  });

  it('rejects a success status the route does not declare', async () => {
    const { client } = clientAnswering({ status: 204, headers: {}, body: undefined });
    await expect(client['health.live']({})).rejects.toMatchObject({ code: 'bad_response', status: 204 });
  });

  it('encodes path parameters and drops undefined query values', async () => {
    const { client, sent } = clientAnswering({
      status: 200,
      headers: {},
      body: { items: [], nextCursor: null },
    });
    await client['patients.list']({ query: { limit: 10, cursor: undefined, studyCode: 'P 1/2' } });
    expect(sent[0]!.query).toEqual({ limit: '10', studyCode: 'P 1/2' });
  });
});
