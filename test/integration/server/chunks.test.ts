import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import {
  accelChunk,
  bearer,
  createPatientAndRecording,
  ecgChunk,
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
let admin: string;
let clinician: string;
let gw: EnrolledGateway;
let otherGw: EnrolledGateway;

beforeAll(async () => {
  t = await startTestServer();
  admin = await staffToken(t, 'admin');
  clinician = await staffToken(t, 'clinician');
  gw = await enrollGateway(t, admin);
  otherGw = await enrollGateway(t, admin);
});

afterAll(async () => {
  await t.close();
});

async function storedChunkCount(recordingId: string): Promise<number> {
  return [...(await t.store.chunkIndexes(recordingId)).values()].reduce((a, l) => a + l.length, 0);
}

describe('chunk upload', () => {
  it('stores the first upload (201) and acknowledges a same-hash repeat without storing twice (200)', async () => {
    const { recordingId } = await createPatientAndRecording(t, gw.token);
    const { bytes, sha256 } = encoded(hrChunk(recordingId, 0));
    const first = await putChunk(t, gw.token, recordingId, 'hr', 0, bytes, sha256);
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ recordingId, stream: 'hr', index: 0, sha256, stored: true });
    const again = await putChunk(t, gw.token, recordingId, 'hr', 0, bytes, sha256);
    expect(again.status).toBe(200);
    expect(again.body.stored).toBe(false);
    expect(await storedChunkCount(recordingId)).toBe(1);
    const hr = await t.http.get(`/v1/recordings/${recordingId}/watch?series=hr`).set(bearer(clinician));
    expect(hr.body.items).toHaveLength(60);
    expect(hr.body.items[1]).toEqual({ tMs: T0 + 1000, bpm: 61, confidence: 81 });
    expect(hr.body.simulated).toBe(true);
  });

  it('answers 409 chunk_conflict for a different chunk under a stored index and keeps the first', async () => {
    const { recordingId } = await createPatientAndRecording(t, gw.token);
    const a = encoded(hrChunk(recordingId, 0, 60));
    const b = encoded(hrChunk(recordingId, 0, 59));
    expect((await putChunk(t, gw.token, recordingId, 'hr', 0, a.bytes, a.sha256)).status).toBe(201);
    const res = await putChunk(t, gw.token, recordingId, 'hr', 0, b.bytes, b.sha256);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('chunk_conflict');
    const stored = await t.store.chunksInRange(recordingId, 'hr', { fromMs: 0, toMs: T0 * 2 });
    expect(stored.map((c) => c.sha256)).toEqual([a.sha256]);
  });

  it('stores exactly one copy of 20 concurrent duplicate uploads', async () => {
    const { recordingId } = await createPatientAndRecording(t, gw.token);
    const { bytes, sha256 } = encoded(hrChunk(recordingId, 0));
    const results = await Promise.all(
      Array.from({ length: 20 }, () => putChunk(t, gw.token, recordingId, 'hr', 0, bytes, sha256)),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 200)).toHaveLength(19);
    expect(await storedChunkCount(recordingId)).toBe(1);
    expect(await t.store.seriesRows('hr', recordingId, { fromMs: 0, toMs: T0 * 2 }, 1000)).toHaveLength(60);
  });

  it('rejects bytes whose SHA-256 differs from the header and stores nothing', async () => {
    const { recordingId } = await createPatientAndRecording(t, gw.token);
    const { bytes } = encoded(hrChunk(recordingId, 0));
    const res = await putChunk(t, gw.token, recordingId, 'hr', 0, bytes, 'a'.repeat(64));
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('chunk_hash_mismatch');
    expect(await storedChunkCount(recordingId)).toBe(0);
  });

  const damaged: [string, (b: Buffer) => Buffer][] = [
    ['truncated', (b) => b.subarray(0, Math.floor(b.length / 2))],
    ['truncated by one byte', (b) => b.subarray(0, b.length - 1)],
    ['with a trailing byte', (b) => Buffer.concat([b, Buffer.from([0])])],
    ['garbage', () => Buffer.from('this is not a chunk at all, just text')],
    ['empty', () => Buffer.alloc(0)],
    ['with a bad magic number', (b) => Buffer.from(b.map((v, i) => (i === 0 ? v ^ 0xff : v)))],
  ];
  it.each(damaged)(
    'rejects a %s chunk as corrupt (with its correct hash) and stores nothing',
    async (_name, damage) => {
      const { recordingId } = await createPatientAndRecording(t, gw.token);
      const bytes = damage(encoded(ecgChunk(recordingId, 0)).bytes);
      const { chunkSha256Hex } = await import('../../../server-contract/codec/index.js');
      const res = await putChunk(t, gw.token, recordingId, 'ecg', 0, bytes, chunkSha256Hex(bytes));
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('chunk_corrupt');
      expect(await storedChunkCount(recordingId)).toBe(0);
    },
  );

  it('rejects a chunk damaged in transit (hash of the original bytes) and stores nothing', async () => {
    const { recordingId } = await createPatientAndRecording(t, gw.token);
    const { bytes, sha256 } = encoded(ecgChunk(recordingId, 0));
    const damaged = Buffer.from(bytes.map((v, i) => (i === bytes.length - 3 ? v ^ 0xff : v)));
    const res = await putChunk(t, gw.token, recordingId, 'ecg', 0, damaged, sha256);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('chunk_hash_mismatch');
    expect(await storedChunkCount(recordingId)).toBe(0);
  });

  it('rejects a chunk whose header names another index, stream or recording', async () => {
    const { recordingId } = await createPatientAndRecording(t, gw.token);
    const { bytes, sha256 } = encoded(hrChunk(recordingId, 1));
    const res = await putChunk(t, gw.token, recordingId, 'hr', 0, bytes, sha256);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('chunk_header_mismatch');
    const wrongStream = await putChunk(t, gw.token, recordingId, 'beats', 1, bytes, sha256);
    expect(wrongStream.body.error.code).toBe('chunk_header_mismatch');
  });

  it('rejects a few bytes that claim more samples than a chunk may hold, and stores nothing', async () => {
    const { recordingId } = await createPatientAndRecording(t, gw.token);
    const chunk = ecgChunk(recordingId, 0, { sampleRateHz: 1000, seconds: 1200 }); // 9.6 M samples of a flat line
    for (const channel of chunk.samples) channel.fill(0);
    const { bytes, sha256 } = encoded(chunk);
    expect(bytes.length).toBeLessThan(100_000);
    const res = await putChunk(t, gw.token, recordingId, 'ecg', 0, bytes, sha256);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('chunk_corrupt');
    expect(await storedChunkCount(recordingId)).toBe(0);
  });

  it('rejects an oversized body with 413 before reading it all', async () => {
    const { recordingId } = await createPatientAndRecording(t, gw.token);
    const big = Buffer.alloc(8 * 1024 * 1024 + 1, 7);
    const res = await putChunk(t, gw.token, recordingId, 'ecg', 0, big, 'b'.repeat(64));
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
  });

  it('rejects a chunk sent as JSON with 415', async () => {
    const { recordingId } = await createPatientAndRecording(t, gw.token);
    const res = await t.http
      .put(`/v1/recordings/${recordingId}/streams/hr/chunks/0`)
      .set(bearer(gw.token))
      .set('x-chunk-sha256', 'c'.repeat(64))
      .send({ not: 'bytes' });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('unsupported_media_type');
  });

  it('forbids a gateway from writing to another gateway’s recording', async () => {
    const { recordingId } = await createPatientAndRecording(t, gw.token);
    const { bytes, sha256 } = encoded(hrChunk(recordingId, 0));
    const res = await putChunk(t, otherGw.token, recordingId, 'hr', 0, bytes, sha256);
    expect(res.status).toBe(403);
    expect(await storedChunkCount(recordingId)).toBe(0);
    const end = await t.http
      .post(`/v1/recordings/${recordingId}/void`)
      .set(bearer(otherGw.token))
      .send({ reason: 'not mine' });
    expect(end.status).toBe(403);
  });

  it('forbids staff tokens from uploading chunks', async () => {
    const { recordingId } = await createPatientAndRecording(t, gw.token);
    const { bytes, sha256 } = encoded(hrChunk(recordingId, 0));
    expect((await putChunk(t, clinician, recordingId, 'hr', 0, bytes, sha256)).status).toBe(403);
  });

  it('refuses another gateway’s upload (403) and a revoked gateway’s at once (401), storing nothing', async () => {
    const mine = await enrollGateway(t, admin);
    const { recordingId } = await createPatientAndRecording(t, mine.token);
    const first = encoded(hrChunk(recordingId, 0));
    expect((await putChunk(t, mine.token, recordingId, 'hr', 0, first.bytes, first.sha256)).status).toBe(201);
    const second = encoded(hrChunk(recordingId, 1));
    expect((await putChunk(t, otherGw.token, recordingId, 'hr', 1, second.bytes, second.sha256)).status).toBe(
      403,
    );
    expect((await t.http.post(`/v1/gateways/${mine.id}/revoke`).set(bearer(admin))).status).toBe(200);
    const refused = await putChunk(t, mine.token, recordingId, 'hr', 1, second.bytes, second.sha256);
    expect(refused.status).toBe(401);
    // Also for a recording that does not exist: the standing is checked first.
    const ghost = uuidv7();
    const ghostChunk = encoded(hrChunk(ghost, 0));
    expect((await putChunk(t, mine.token, ghost, 'hr', 0, ghostChunk.bytes, ghostChunk.sha256)).status).toBe(
      401,
    );
    expect(await storedChunkCount(recordingId)).toBe(1);
  });

  it('answers 404 for a chunk of an unknown recording', async () => {
    const id = uuidv7();
    const { bytes, sha256 } = encoded(hrChunk(id, 0));
    expect((await putChunk(t, gw.token, id, 'hr', 0, bytes, sha256)).status).toBe(404);
  });

  it('refuses chunks for a voided recording', async () => {
    const { recordingId } = await createPatientAndRecording(t, gw.token);
    await t.http
      .post(`/v1/recordings/${recordingId}/void`)
      .set(bearer(gw.token))
      .send({ reason: 'wrong patient' });
    const { bytes, sha256 } = encoded(hrChunk(recordingId, 0));
    const res = await putChunk(t, gw.token, recordingId, 'hr', 0, bytes, sha256);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('recording_closed');
  });
});

describe('recording completeness and viewer data', () => {
  it('reports received and missing chunk ranges against the final counts', async () => {
    const { recordingId } = await createPatientAndRecording(t, gw.token);
    for (const i of [0, 1, 3]) {
      const { bytes, sha256 } = encoded(hrChunk(recordingId, i));
      expect((await putChunk(t, gw.token, recordingId, 'hr', i, bytes, sha256)).status).toBe(201);
    }
    const summary = {
      durationMs: 240_000,
      beats: null,
      meanHeartRateBpm: null,
      pvcCount: null,
      pacCount: null,
      signalQualityPct: null,
      gapCount: 0,
      gapMs: 0,
      hrReadings: 240,
      accelSamples: 0,
    };
    const end = await t.http
      .post(`/v1/recordings/${recordingId}/end`)
      .set(bearer(gw.token))
      .send({ endedAtMs: T0 + 240_000, finalChunkCounts: { hr: 5 }, summary });
    expect(end.status).toBe(200);
    expect(end.body).toMatchObject({ status: 'ended', chunksExpected: 5, chunksReceived: 3 });
    const list = await t.http.get(`/v1/recordings/${recordingId}/chunks`).set(bearer(gw.token));
    expect(list.body).toEqual({
      recordingId,
      complete: false,
      streams: [
        {
          stream: 'hr',
          received: 3,
          finalCount: 5,
          have: [
            [0, 1],
            [3, 3],
          ],
          missing: [
            [2, 2],
            [4, 4],
          ],
        },
      ],
    });
    for (const i of [2, 4]) {
      const { bytes, sha256 } = encoded(hrChunk(recordingId, i));
      await putChunk(t, gw.token, recordingId, 'hr', i, bytes, sha256);
    }
    const done = await t.http.get(`/v1/recordings/${recordingId}/chunks`).set(bearer(clinician));
    expect(done.body.complete).toBe(true);
    const beyond = encoded(hrChunk(recordingId, 5));
    expect((await putChunk(t, gw.token, recordingId, 'hr', 5, beyond.bytes, beyond.sha256)).status).toBe(409);
  });

  it('returns an ECG segment decoded from the stored chunks, split at a gap', async () => {
    const { recordingId } = await createPatientAndRecording(t, gw.token);
    const chunk0 = ecgChunk(recordingId, 0, { seconds: 2 });
    const chunk1 = ecgChunk(recordingId, 1, {
      seconds: 2,
      gaps: [{ atSample: 500, lengthSamples: 100, cause: 'frames_lost' }],
    });
    for (const [i, c] of [chunk0, chunk1].entries()) {
      const { bytes, sha256 } = encoded(c);
      expect((await putChunk(t, gw.token, recordingId, 'ecg', i, bytes, sha256)).status).toBe(201);
    }
    const res = await t.http
      .get(`/v1/recordings/${recordingId}/ecg?fromMs=${T0 + 1000}&toMs=${T0 + 5000}`)
      .set(bearer(clinician));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      recordingId,
      simulated: true,
      sampleRateHz: 500,
      lsbNanovolts: 476.84,
      leads: ['I', 'II', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'],
    });
    // Samples 500..999 of chunk 0, all 500 before the gap, then 500 after it (the gap is 200 ms).
    const segment = res.body as {
      runs: { startMs: number; sampleCount: number; channels: number[][] }[];
      gaps: unknown[];
    };
    expect(segment.runs.map((r) => [r.startMs, r.sampleCount])).toEqual([
      [T0 + 1000, 1000],
      [T0 + 3200, 500],
    ]);
    expect(segment.runs[0]!.channels[2]!.slice(0, 3)).toEqual(Array.from(chunk0.samples[2]!.slice(500, 503)));
    expect(segment.runs[1]!.channels[0]!.slice(0, 2)).toEqual(Array.from(chunk1.samples[0]!.slice(500, 502)));
    expect(segment.gaps).toEqual([{ startMs: T0 + 3000, durationMs: 200, cause: 'frames_lost' }]);
  });

  it('expands accelerometer chunks into milli-g rows at 12.5 Hz', async () => {
    const { recordingId } = await createPatientAndRecording(t, gw.token);
    const chunk = accelChunk(recordingId, 0);
    const { bytes, sha256 } = encoded(chunk);
    expect((await putChunk(t, gw.token, recordingId, 'accel', 0, bytes, sha256)).status).toBe(201);
    const res = await t.http.get(`/v1/recordings/${recordingId}/watch?series=accel`).set(bearer(clinician));
    expect(res.body.items).toHaveLength(50);
    expect(res.body.items[1]).toEqual({
      tMs: T0 + 80,
      xMg: chunk.samples[0]![1],
      yMg: chunk.samples[1]![1],
      zMg: chunk.samples[2]![1],
    });
  });

  it('rejects a records chunk whose records do not fit the stream', async () => {
    const { recordingId } = await createPatientAndRecording(t, gw.token);
    const chunk = hrChunk(recordingId, 0, 2);
    const bad = { ...chunk, records: [chunk.records[0]!, { tMs: T0, bpm: 900, confidence: 50 }] };
    const { bytes, sha256 } = encoded(bad);
    const res = await putChunk(t, gw.token, recordingId, 'hr', 0, bytes, sha256);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('chunk_corrupt');
    expect(await storedChunkCount(recordingId)).toBe(0);
  });
});

describe('chunk upload through the decode worker pool', () => {
  let pooled: TestServer;
  let pooledGw: EnrolledGateway;

  beforeAll(async () => {
    pooled = await startTestServer({ decodeWorkers: 2 });
    pooledGw = await enrollGateway(pooled, await staffToken(pooled, 'admin'));
  });

  afterAll(async () => {
    await pooled.close();
  });

  it('stores, deduplicates, rejects corrupt and mismatched chunks exactly as inline decoding does', async () => {
    const { recordingId } = await createPatientAndRecording(pooled, pooledGw.token);
    const ecg = encoded(ecgChunk(recordingId, 0));
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        putChunk(pooled, pooledGw.token, recordingId, 'ecg', 0, ecg.bytes, ecg.sha256),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    const garbage = Buffer.from('not a chunk');
    const { chunkSha256Hex } = await import('../../../server-contract/codec/index.js');
    const corrupt = await putChunk(
      pooled,
      pooledGw.token,
      recordingId,
      'ecg',
      1,
      garbage,
      chunkSha256Hex(garbage),
    );
    expect(corrupt.body.error.code).toBe('chunk_corrupt');
    const wrongIndex = encoded(hrChunk(recordingId, 5));
    expect(
      (await putChunk(pooled, pooledGw.token, recordingId, 'hr', 4, wrongIndex.bytes, wrongIndex.sha256)).body
        .error.code,
    ).toBe('chunk_header_mismatch');
    const hr = encoded(hrChunk(recordingId, 0));
    expect((await putChunk(pooled, pooledGw.token, recordingId, 'hr', 0, hr.bytes, hr.sha256)).status).toBe(
      201,
    );
    expect(await pooled.store.seriesRows('hr', recordingId, { fromMs: 0, toMs: T0 * 2 }, 1000)).toHaveLength(
      60,
    );
    // The blobs are stored byte for byte as uploaded: the worker decodes a copy, never the upload itself
    // (a large body has its own memory; a small one shares Node's buffer pool with other requests).
    const everything = { fromMs: 0, toMs: T0 * 2 };
    const [storedEcg] = await pooled.store.chunksInRange(recordingId, 'ecg', everything);
    const [storedHr] = await pooled.store.chunksInRange(recordingId, 'hr', everything);
    expect(Buffer.from(storedEcg!.bytes).equals(ecg.bytes)).toBe(true);
    expect(Buffer.from(storedHr!.bytes).equals(hr.bytes)).toBe(true);
  });

  it('shows the chunks waiting for or in a decode worker in the metrics', async () => {
    const { recordingId } = await createPatientAndRecording(pooled, pooledGw.token);
    const decoder = pooled.app.services.decoder!;
    const gauge = async () =>
      /^pulsewatch_chunks_decoding (\d+)$/m.exec(await pooled.app.services.metrics.registry.metrics())?.[1];
    expect(await gauge()).toBe('0');
    const pending = [0, 1, 2].map((i) =>
      decoder.decode({
        recordingId,
        stream: 'ecg',
        index: i,
        bytes: encoded(ecgChunk(recordingId, i)).bytes,
      }),
    );
    // Two workers take two; the third waits. None can answer before this turn of the event loop ends.
    expect(decoder.inFlight).toBe(3);
    expect(await gauge()).toBe('3');
    await Promise.all(pending);
    expect(await gauge()).toBe('0');
  });
});
