/**
 * Chunks with impossible headers are refused with 422 and nothing is stored: a vanishing or huge
 * sample rate, an ECG rate other than the recording's, 255 channels, no samples, channel names
 * that are not leads (which used to be stored and then made the ECG view answer 500).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SampledChunk } from '../../../server-contract/codec/index.js';
import {
  bearer,
  createPatientAndRecording,
  ecgChunk,
  encoded,
  enrollGateway,
  putChunk,
  staffToken,
  startTestServer,
  T0,
  type EnrolledGateway,
  type TestServer,
} from './harness.js';

let t: TestServer;
let gw: EnrolledGateway;
let admin: string;

beforeAll(async () => {
  t = await startTestServer();
  admin = await staffToken(t, 'admin');
  gw = await enrollGateway(t, admin);
});
afterAll(() => t.close());

function withChannels(chunk: SampledChunk, names: string[], unit = 'nV'): SampledChunk {
  return {
    header: {
      ...chunk.header,
      channels: names.map((name) => ({ name, scale: { unit, perCount: 476.84 } })),
    },
    samples: names.map((_, c) => chunk.samples[c % chunk.samples.length]!),
  };
}

const CASES: [string, (recordingId: string) => SampledChunk][] = [
  [
    'a rate of 1e-300 Hz',
    (id) => ({ ...ecgChunk(id, 0), header: { ...ecgChunk(id, 0).header, sampleRateHz: 1e-300 } }),
  ],
  ['a 1e9 Hz chunk in a 500 Hz recording', (id) => ecgChunk(id, 0, { sampleRateHz: 1e9, seconds: 1e-6 })],
  ['a 250 Hz chunk in a 500 Hz recording', (id) => ecgChunk(id, 0, { sampleRateHz: 250 })],
  [
    '255 channels',
    (id) =>
      withChannels(
        ecgChunk(id, 0, { seconds: 0.02 }),
        Array.from({ length: 255 }, (_, i) => `c${i}`),
      ),
  ],
  ['no samples', (id) => ecgChunk(id, 0, { seconds: 0 })],
  [
    'channel names that are not leads',
    (id) => withChannels(ecgChunk(id, 0), ['I', 'II', 'X', 'Y', 'V3', 'V4', 'V5', 'V6']),
  ],
  ['a lead twice', (id) => withChannels(ecgChunk(id, 0), ['I', 'I', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'])],
  [
    'a unit that is not a voltage',
    (id) => withChannels(ecgChunk(id, 0), ['I', 'II', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'], 'mg'),
  ],
];

describe('impossible chunk headers', () => {
  it.each(CASES)('refuses %s with 422 and stores nothing', async (_name, build) => {
    const { recordingId } = await createPatientAndRecording(t, gw.token);
    const { bytes, sha256 } = encoded(build(recordingId));
    const res = await putChunk(t, gw.token, recordingId, 'ecg', 0, bytes, sha256);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('chunk_corrupt');
    expect(await t.store.chunkIndexes(recordingId)).toEqual(new Map());
  });

  it('still stores a plain 500 Hz 8-lead chunk, and the ECG view shows it', async () => {
    const { recordingId } = await createPatientAndRecording(t, gw.token);
    const { bytes, sha256 } = encoded(ecgChunk(recordingId, 0));
    expect((await putChunk(t, gw.token, recordingId, 'ecg', 0, bytes, sha256)).status).toBe(201);
    const view = await t.http
      .get(`/v1/recordings/${recordingId}/ecg`)
      .query({ fromMs: T0, toMs: T0 + 2000 })
      .set(bearer(admin));
    expect(view.status).toBe(200);
  });
});
