import { describe, expect, it } from 'vitest';
import {
  MAX_HASH_MISMATCHES,
  classify,
  classifyTokenFailure,
  describeItem,
  type AttemptResult,
} from '../../../main/sync/classify.js';
import { SyncError, TransportError } from '../../../main/sync/errors.js';
import { ApiError } from '../../../server-contract/api/client.js';

const chunk = { route: 'chunk' as const, hashMismatches: 0 };
const patient = { route: 'patients.create' as const, hashMismatches: 0 };

function http(status: number, code: string | null = null, retryAfterMs: number | null = null): AttemptResult {
  return { kind: 'http_error', status, code: code as never, message: 'said the server', retryAfterMs };
}

describe('classify', () => {
  it.each([
    [200, false],
    [201, false],
  ])('acks a %i', (status) => {
    expect(classify(chunk, { kind: 'ok', status, duplicate: false })).toEqual({
      action: 'ack',
      duplicate: false,
    });
  });

  it('acks a repeat the server already had as a duplicate', () => {
    expect(classify(chunk, { kind: 'ok', status: 200, duplicate: true })).toEqual({
      action: 'ack',
      duplicate: true,
    });
  });

  it.each([
    [500, 'server error (500)'],
    [502, 'server error (502)'],
    [503, 'server unavailable (503)'],
    [429, 'server busy (429 too many requests)'],
    [408, 'the server gave up waiting for the request (408)'],
    [307, 'the server redirected (307) — check the server URL'],
  ])('waits with everything on %i', (status, reason) => {
    expect(classify(chunk, http(status))).toMatchObject({ action: 'retry_all', reason, offline: false });
  });

  it('passes the server’s retry-after on', () => {
    expect(classify(chunk, http(429, 'rate_limited', 12_000))).toMatchObject({ retryAfterMs: 12_000 });
  });

  it.each(['unreachable', 'timeout', 'connection_lost', 'tls', 'proxy'] as const)(
    'goes offline on a %s failure',
    (code) => {
      const error = new TransportError(code, `it was ${code}`);
      expect(classify(chunk, { kind: 'network', error })).toEqual({
        action: 'retry_all',
        reason: `it was ${code}`,
        offline: true,
        retryAfterMs: null,
      });
    },
  );

  it('refreshes the token on 401', () => {
    expect(classify(chunk, http(401, 'token_expired')).action).toBe('reauth');
  });

  it('waits with only this item on 404 (the server may not have the recording yet)', () => {
    expect(classify(chunk, http(404, 'not_found'))).toMatchObject({ action: 'retry_item' });
  });

  it.each([
    [400, 'validation_failed'],
    [403, 'forbidden'],
    [409, 'chunk_conflict'],
    [409, 'recording_closed'],
    [413, 'payload_too_large'],
    [415, 'unsupported_media_type'],
    [422, 'chunk_corrupt'],
    [422, 'chunk_header_mismatch'],
  ])('fails a chunk for good on %i %s', (status, code) => {
    expect(classify(chunk, http(status, code))).toEqual({
      action: 'fail',
      reason: `rejected by the server: said the server (${status} ${code})`,
    });
  });

  it('resends a chunk damaged in transit, until its stored bytes are suspect', () => {
    expect(classify(chunk, http(422, 'chunk_hash_mismatch')).action).toBe('retry_item');
    const worn = { route: 'chunk' as const, hashMismatches: MAX_HASH_MISMATCHES - 1 };
    expect(classify(worn, http(422, 'chunk_hash_mismatch')).action).toBe('fail');
  });

  it('calls a study-code clash on a patient a clash, and a 409 elsewhere a rejection', () => {
    expect(classify(patient, http(409, 'study_code_taken')).action).toBe('clash');
    expect(
      classify({ route: 'patients.update', hashMismatches: 0 }, http(409, 'study_code_taken')).action,
    ).toBe('clash');
    expect(classify(patient, http(409, 'conflict')).action).toBe('fail');
  });

  it('waits on a 2xx the contract does not allow, rather than acking it', () => {
    expect(classify(chunk, { kind: 'bad_response', status: 200, message: 'no stored field' }).action).toBe(
      'retry_all',
    );
  });

  it('names items for messages', () => {
    expect(
      describeItem({ kind: 'chunk', route: 'chunk', stream: 'ecg', chunkIndex: 3, recordingId: 'r1' }),
    ).toBe('chunk ecg/3 of recording r1');
    expect(
      describeItem({
        kind: 'control',
        route: 'recordings.end',
        stream: null,
        chunkIndex: null,
        recordingId: 'r1',
      }),
    ).toBe('recordings.end for recording r1');
  });

  it('turns a failed token request into a wait, never a rejection of the item', () => {
    expect(classifyTokenFailure(new SyncError('unauthorized', 'revoked'))).toEqual({
      action: 'unauthorized',
      reason: 'revoked',
    });
    expect(classifyTokenFailure(new TransportError('canceled', 'x'))).toEqual({ action: 'interrupted' });
    expect(
      classifyTokenFailure(new TransportError('unreachable', 'server unreachable (connection refused)')),
    ).toMatchObject({
      action: 'retry_all',
      offline: true,
    });
    const body = { error: { code: 'internal' as const, message: 'boom' } };
    expect(classifyTokenFailure(new ApiError('http_error', 500, 'x', body))).toMatchObject({
      action: 'retry_all',
      reason: 'server error (500)',
    });
    const invalid = { error: { code: 'validation_failed' as const, message: 'bad secret' } };
    expect(classifyTokenFailure(new ApiError('http_error', 400, 'x', invalid))).toMatchObject({
      action: 'retry_all',
      reason: expect.stringContaining('could not get an access token'),
    });
  });
});
