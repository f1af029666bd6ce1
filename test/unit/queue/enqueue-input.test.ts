/**
 * What the queue accepts: real chunks of the contract codec whose header matches the item, and
 * control messages valid for their ingest route; everything else is refused with a clear error.
 */
import { describe, expect, it } from 'vitest';
import { prepareItem } from '../../../main/queue/enqueue-input.js';
import { QueueError } from '../../../main/queue/queue-errors.js';
import { quotaAlarm, quotaOf } from '../../../main/queue/queue-status.js';
import {
  chunkBytes,
  chunkInput,
  patientInput,
  RECORDING_A,
  RECORDING_B,
  voidInput,
} from '../../integration/queue/queue-fixtures.js';

function refusal(input: unknown): string {
  try {
    prepareItem(input);
  } catch (error) {
    expect(error).toBeInstanceOf(QueueError);
    expect((error as QueueError).code).toBe('invalid_item');
    return (error as QueueError).message;
  }
  throw new Error('expected a refusal');
}

const good = chunkInput(RECORDING_A, 'ecg', 3);

describe('prepareItem', () => {
  it('derives the order key, size and SHA-256 of a chunk', () => {
    const item = prepareItem(good);
    expect(item).toMatchObject({
      orderKey: `${RECORDING_A}/ecg`,
      route: 'chunk',
      chunkIndex: 3,
      paramsJson: '{}',
    });
    expect(item.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(item.sizeBytes).toBe(chunkBytes(RECORDING_A, 'ecg', 3).length);
  });

  it('puts every control message in one order key and keeps its body as JSON', () => {
    const item = prepareItem(voidInput(RECORDING_A));
    expect(item).toMatchObject({
      orderKey: 'control',
      route: 'recordings.void',
      recordingId: RECORDING_A,
      bytes: null,
    });
    expect(JSON.parse(item.bodyJson!)).toEqual({ reason: 'wrong patient attached' });
  });

  it.each([
    ['not an object', 42, /Cannot queue the item/],
    ['an unknown kind', { ...good, kind: 'blob' }, /kind/],
    ['a bad recording id', { ...good, recordingId: 'R1' }, /recordingId/],
    ['a bad stream name', { ...good, stream: 'ECG!' }, /stream/],
    ['a negative index', { ...good, chunkIndex: -1 }, /chunkIndex/],
    ['empty bytes', { ...good, bytes: new Uint8Array(0) }, /bytes/],
    [
      'bytes that are not a chunk',
      { ...good, bytes: new Uint8Array([1, 2, 3, 4]) },
      /its bytes are not a chunk/,
    ],
    [
      'bytes of another chunk',
      { ...good, bytes: chunkBytes(RECORDING_B, 'ecg', 3) },
      new RegExp(`its bytes say ${RECORDING_B}/ecg/3`),
    ],
    [
      'bytes of another index',
      { ...good, bytes: chunkBytes(RECORDING_A, 'ecg', 4) },
      /its bytes say .*\/ecg\/4/,
    ],
    ['a fractional priority', { ...good, priority: 1.5 }, /priority/],
    ['a zero afterId', { ...good, afterId: 0 }, /afterId/],
    ['an unknown route', { ...patientInput(), route: 'chunks.upload' }, /route/],
    ['a body the route refuses', { ...patientInput(), body: { studyCode: 'P1' } }, /patients.create: id/],
    ['params the route needs missing', { ...voidInput(RECORDING_A), params: {} }, /recordingId/],
    ['params on a route without any', { ...patientInput(), params: { x: 'y' } }, /takes no params/],
    ['a file on a JSON route', { ...patientInput(), file: new Uint8Array([1]) }, /takes no file/],
  ])('refuses %s', (_name, input, message) => {
    expect(refusal(input)).toMatch(message);
  });
});

describe('quota', () => {
  it('raises the alarm at the quota, not below', () => {
    expect(quotaAlarm(999, 1000)).toBeNull();
    expect(quotaAlarm(1000, 1000)).toMatch(/Disk quota reached/);
  });

  it('treats a quota that is not a finite non-negative number as none left', () => {
    expect(quotaOf(() => Number.NaN)).toBe(0);
    expect(quotaOf(() => -5)).toBe(0);
    expect(quotaOf(() => 1234.7)).toBe(1234);
  });
});
