/**
 * The decode pool hands the worker a copy of the upload, in a buffer shared with that worker;
 * the caller's bytes, which the route stores after the decode, must come back untouched whether
 * they are a plain Uint8Array, a Buffer with memory of its own, or a small Buffer in Node's pool.
 */
import { v7 as uuidv7 } from 'uuid';
import { afterAll, describe, expect, it } from 'vitest';
import { DecodePool, sharedView } from '../../../server/ingest/decode-pool.js';
import { decodeAndExpand, sampleDecoderFromEnv } from '../../../server/ingest/decode-task.js';
import { accelChunk, ecgChunk, encoded, hrChunk } from '../../integration/server/harness.js';

describe('decode pool', () => {
  const pool = new DecodePool(1);
  afterAll(() => pool.close());

  it('leaves the caller’s bytes intact in every kind of byte array', async () => {
    const recordingId = uuidv7();
    const ecg = encoded(ecgChunk(recordingId, 0)).bytes;
    const own = Buffer.alloc(ecg.length);
    ecg.copy(own);
    const pooled = Buffer.from(encoded(hrChunk(recordingId, 0, 3)).bytes);
    expect(own.buffer.byteLength).toBe(own.length);
    expect(pooled.buffer.byteLength).toBeGreaterThan(pooled.length);
    for (const [stream, bytes] of [
      ['ecg', own],
      ['hr', pooled],
      ['ecg', new Uint8Array(ecg)],
    ] as const) {
      const before = Buffer.from(bytes);
      const outcome = await pool.decode({ recordingId, stream, index: 0, bytes });
      expect(outcome.ok).toBe(true);
      expect(bytes.byteLength).toBe(before.length);
      expect(Buffer.from(bytes).equals(before)).toBe(true);
    }
    expect(pool.inFlight).toBe(0);
  });

  it('copies each body into a buffer shared with the worker, reused and grown as needed', async () => {
    const recordingId = uuidv7();
    const ecg = encoded(ecgChunk(recordingId, 0)).bytes;
    const hr = encoded(hrChunk(recordingId, 0, 3)).bytes;
    const first = sharedView(undefined, hr);
    expect(first.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(first.buffer.byteLength).toBe(512 * 1024);
    expect(Buffer.from(first).equals(hr)).toBe(true);
    const again = sharedView(first, ecg);
    expect(again.buffer).toBe(first.buffer);
    expect(Buffer.from(again).equals(ecg)).toBe(true);
    const big = new Uint8Array(700 * 1024).fill(9);
    const grown = sharedView(again, big);
    expect(grown.buffer.byteLength).toBe(1024 * 1024);
    expect(Buffer.from(grown).equals(big)).toBe(true);

    // Through the pool: a large chunk after a small one and a small one after a large one (what
    // the last chunk left in the buffer beyond the new one's length is never read), and a view
    // on a much larger buffer, each decoded as inline.
    const large = new Uint8Array(ecg.length + 65_536);
    large.set(ecg, 1000);
    const requests = [
      { stream: 'hr' as const, bytes: hr },
      { stream: 'ecg' as const, bytes: ecg },
      { stream: 'hr' as const, bytes: hr },
      { stream: 'ecg' as const, bytes: large.subarray(1000, 1000 + ecg.length) },
    ].map((r) => ({ recordingId, index: 0, ...r }));
    for (const request of requests) {
      const outcome = await pool.decode(request);
      expect(outcome.ok).toBe(true);
      expect(outcome).toEqual(decodeAndExpand(request));
    }
  });

  it('brings a minute of accel rows back from the worker (as columns) exactly as decoded inline', async () => {
    const recordingId = uuidv7();
    const request = {
      recordingId,
      stream: 'accel' as const,
      index: 2,
      bytes: encoded(accelChunk(recordingId, 2, 60)).bytes,
    };
    const outcome = await pool.decode(request);
    expect(outcome.ok && outcome.expanded.rows.accel?.length).toBe(750);
    expect(outcome).toEqual(decodeAndExpand(request));
  });

  it('refuses a request past its queue bound at once with 503, and decodes the queued ones', async () => {
    const bounded = new DecodePool(1, 2);
    try {
      const recordingId = uuidv7();
      const bytes = encoded(hrChunk(recordingId, 0, 3)).bytes;
      // One goes to the idle worker, two wait, the fourth and fifth find the queue full.
      const results = await Promise.allSettled(
        Array.from({ length: 5 }, () => bounded.decode({ recordingId, stream: 'hr', index: 0, bytes })),
      );
      expect(results.map((r) => r.status)).toEqual([
        'fulfilled',
        'fulfilled',
        'fulfilled',
        'rejected',
        'rejected',
      ]);
      expect((results[3] as PromiseRejectedResult).reason).toMatchObject({
        status: 503,
        code: 'unavailable',
        headers: { 'retry-after': '1' },
      });
    } finally {
      await bounded.close();
    }
  });

  it('decodes ECG in workers started with PULSEWATCH_DECODER=js exactly as inline with the default', async () => {
    expect(['js', 'wasm', undefined, '', 'fast'].map(sampleDecoderFromEnv)).toEqual([
      'js',
      'wasm',
      'auto',
      'auto',
      'auto',
    ]);
    const previous = process.env.PULSEWATCH_DECODER;
    process.env.PULSEWATCH_DECODER = 'js';
    // A worker copies the environment when it starts.
    const jsPool = new DecodePool(1);
    if (previous === undefined) delete process.env.PULSEWATCH_DECODER;
    else process.env.PULSEWATCH_DECODER = previous;
    try {
      const recordingId = uuidv7();
      const request = {
        recordingId,
        stream: 'ecg' as const,
        index: 0,
        bytes: encoded(ecgChunk(recordingId, 0)).bytes,
      };
      const outcome = await jsPool.decode(request);
      expect(outcome.ok).toBe(true);
      expect(outcome).toEqual(decodeAndExpand(request));
    } finally {
      await jsPool.close();
    }
  });
});
