/**
 * A records chunk that inflates far beyond its size (an inflate bomb) is refused before it is
 * inflated: the server bounds the records' inflated JSON (MAX_RECORDS_JSON_BYTES) and its ratio
 * to the deflated bytes (MAX_RECORDS_INFLATE_RATIO). The bombs are canonical chunks, which the
 * server used to store.
 */
import { deflateSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_RECORDS_INFLATE_RATIO, MAX_RECORDS_JSON_BYTES } from '../../../server-contract/api/index.js';
import { ByteWriter } from '../../../server-contract/codec/byte-io.js';
import { writeHeader } from '../../../server-contract/codec/header.js';
import { chunkSha256Hex, decodeChunk } from '../../../server-contract/codec/index.js';
import {
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
} from './harness.js';

let t: TestServer;
let gw: EnrolledGateway;

beforeAll(async () => {
  t = await startTestServer();
  gw = await enrollGateway(t, await staffToken(t, 'admin'));
});
afterAll(() => t.close());

/** A canonical one-record HR chunk whose record holds `fillBytes` of one repeated letter. */
function bomb(recordingId: string, index: number, fillBytes: number): { bytes: Buffer; sha256: string } {
  const json = new TextEncoder().encode(JSON.stringify([{ note: 'x'.repeat(fillBytes) }]));
  const deflated = deflateSync(json, { level: 9 });
  const out = new ByteWriter(1024 + deflated.length);
  writeHeader(
    { kind: 'records', recordingId, stream: 'hr', chunkIndex: index, anchorMs: T0, recordCount: 1 },
    out,
  );
  out.varint(0);
  out.varuint(json.length);
  out.varuint(deflated.length);
  out.bytes(deflated);
  const bytes = Buffer.from(out.finish());
  return { bytes, sha256: chunkSha256Hex(bytes) };
}

describe('records-chunk inflate bombs', () => {
  it('are well-formed chunks the codec itself would decode (so only the server limits stop them)', () => {
    const small = bomb('01234567-89ab-7def-8123-456789abcdef', 0, 1000);
    expect(decodeChunk(small.bytes).header.kind).toBe('records');
  });

  it('refuses a chunk whose records inflate beyond MAX_RECORDS_JSON_BYTES, before inflating it', async () => {
    const { recordingId } = await createPatientAndRecording(t, gw.token);
    const big = bomb(recordingId, 0, MAX_RECORDS_JSON_BYTES + 1024);
    expect(big.bytes.length).toBeLessThan(MAX_RECORDS_JSON_BYTES / 500);
    const res = await putChunk(t, gw.token, recordingId, 'hr', 0, big.bytes, big.sha256);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('chunk_corrupt');
    expect(res.body.error.message).toContain('limit');
    const normal = encoded(hrChunk(recordingId, 0));
    expect((await putChunk(t, gw.token, recordingId, 'hr', 0, normal.bytes, normal.sha256)).status).toBe(201);
  });

  it('refuses a smaller chunk whose inflate ratio is a bomb’s, and takes constant records (~340×)', async () => {
    const { recordingId } = await createPatientAndRecording(t, gw.token);
    const dense = bomb(recordingId, 0, MAX_RECORDS_JSON_BYTES / 2);
    expect(MAX_RECORDS_JSON_BYTES / 2 / dense.bytes.length).toBeGreaterThan(MAX_RECORDS_INFLATE_RATIO);
    const res = await putChunk(t, gw.token, recordingId, 'hr', 0, dense.bytes, dense.sha256);
    expect(res.status).toBe(422);
    expect(res.body.error.message).toContain('ratio');
    const constant = encoded({
      header: { kind: 'records', recordingId, stream: 'hr', chunkIndex: 0, anchorMs: T0, recordCount: 3600 },
      records: Array.from({ length: 3600 }, (_, i) => ({ tMs: T0 + i * 1000, bpm: 72, confidence: 100 })),
    });
    expect((await putChunk(t, gw.token, recordingId, 'hr', 0, constant.bytes, constant.sha256)).status).toBe(
      201,
    );
  });
});
