/**
 * Where uploads are decoded: small chunks (a minute of hr or accel) on the calling thread, large
 * ones (an ECG minute) in the decode pool, with the same outcome either way.
 */
import { v7 as uuidv7 } from 'uuid';
import { afterAll, describe, expect, it } from 'vitest';
import { DecodePool } from '../../../server/ingest/decode-pool.js';
import { decodeAndExpand } from '../../../server/ingest/decode-task.js';
import { decodesInline, decodeUpload } from '../../../server/ingest/upload-decode.js';
import { accelChunk, ecgChunk, encoded, hrChunk } from '../../integration/server/harness.js';

describe('upload decoding', () => {
  const pool = new DecodePool(1);
  afterAll(() => pool.close());
  const recordingId = uuidv7();

  it('decodes a minute of hr or accel inline, without a trip to the pool', async () => {
    for (const [stream, bytes] of [
      ['hr', encoded(hrChunk(recordingId, 0, 60)).bytes],
      ['accel', encoded(accelChunk(recordingId, 0, 60)).bytes],
    ] as const) {
      const before = pool.dispatched;
      const outcome = await decodeUpload(pool, { recordingId, stream, index: 0, bytes });
      expect(outcome).toEqual(decodeAndExpand({ recordingId, stream, index: 0, bytes }));
      expect(outcome.ok).toBe(true);
      expect(pool.dispatched).toBe(before);
    }
  });

  it('sends an ECG minute to the pool and gets the inline outcome back', async () => {
    const bytes = encoded(ecgChunk(recordingId, 0, { seconds: 60 })).bytes;
    expect(decodesInline(bytes)).toBe(false);
    const before = pool.dispatched;
    const outcome = await decodeUpload(pool, { recordingId, stream: 'ecg', index: 0, bytes });
    expect(pool.dispatched).toBe(before + 1);
    expect(outcome.ok).toBe(true);
    expect(outcome).toEqual(decodeAndExpand({ recordingId, stream: 'ecg', index: 0, bytes }));
  });

  it('brings accel rows back from a worker exactly as decoded inline', async () => {
    const bytes = encoded(accelChunk(recordingId, 2, 60)).bytes;
    const request = { recordingId, stream: 'accel' as const, index: 2, bytes };
    const outcome = await pool.decode(request);
    expect(outcome.ok && outcome.expanded.rows.accel?.length).toBe(750);
    expect(outcome).toEqual(decodeAndExpand(request));
  });

  it('refuses a corrupt chunk inline with the decoder’s error', async () => {
    const bytes = Buffer.from(encoded(hrChunk(recordingId, 0, 60)).bytes);
    bytes[0] = 0;
    const outcome = await decodeUpload(pool, { recordingId, stream: 'hr', index: 0, bytes });
    expect(outcome).toMatchObject({ ok: false, status: 422, code: 'chunk_corrupt' });
  });
});
