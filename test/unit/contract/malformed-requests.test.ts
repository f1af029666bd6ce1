/**
 * A table of malformed requests: each must be rejected by the route's schema, naming the bad
 * field. (Malformed chunk bytes are covered in test/unit/codec.)
 */
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { routes } from '../../../server-contract/api/index.js';

const gatewayId = '0192a3b4-c5d6-7e8f-9a0b-1c2d3e4f5a6b';
const patientId = '0192a3b4-c5d6-7e8f-8a0b-1c2d3e4f5a6c';
const recordingId = '0192a3b4-c5d6-7e8f-aa0b-1c2d3e4f5a6d';
const t0 = 1_763_000_000_000;

function bodySchema(name: keyof typeof routes): z.ZodType {
  const body = (routes[name] as { body?: { kind: string; schema?: z.ZodType; metadata?: z.ZodType } }).body;
  const schema = body?.schema ?? body?.metadata;
  if (schema === undefined) throw new Error(`${name} has no JSON body`);
  return schema;
}
function part(name: keyof typeof routes, which: 'params' | 'query' | 'headers'): z.ZodType {
  const schema = (routes[name] as Partial<Record<typeof which, z.ZodType>>)[which];
  if (schema === undefined) throw new Error(`${name} has no ${which}`);
  return schema;
}

const validPatient = { id: patientId, createdAtMs: t0, studyCode: 'P001', ageYears: 54, sex: 'female' };
const validRecording = {
  id: recordingId,
  patientId,
  operator: { id: gatewayId, name: 'Nurse A' },
  devices: [{ kind: 'ecg12', serial: 'ECG-12345', simulated: true }],
  simulated: true,
  startedAtMs: t0,
};

const cases: { what: string; schema: () => z.ZodType; value: unknown; badPath: string }[] = [
  {
    what: 'patient with a UUID v4 id',
    schema: () => bodySchema('patients.create'),
    value: { ...validPatient, id: '1b4e28ba-2fa1-41d2-883f-0016d3cca427' },
    badPath: 'id',
  },
  {
    what: 'patient with an uppercase UUID',
    schema: () => bodySchema('patients.create'),
    value: { ...validPatient, id: patientId.toUpperCase() },
    badPath: 'id',
  },
  {
    what: 'patient with a negative age',
    schema: () => bodySchema('patients.create'),
    value: { ...validPatient, ageYears: -1 },
    badPath: 'ageYears',
  },
  {
    what: 'patient with a fractional age',
    schema: () => bodySchema('patients.create'),
    value: { ...validPatient, ageYears: 40.5 },
    badPath: 'ageYears',
  },
  {
    what: 'patient with a study code holding SQL',
    schema: () => bodySchema('patients.create'),
    value: { ...validPatient, studyCode: "P1'; DROP TABLE patients;--" },
    badPath: 'studyCode',
  },
  {
    what: 'patient with an unknown field',
    schema: () => bodySchema('patients.create'),
    value: { ...validPatient, isAdmin: true },
    badPath: '',
  },
  {
    what: 'patient with a time in seconds as a string',
    schema: () => bodySchema('patients.create'),
    value: { ...validPatient, createdAtMs: '1763000000' },
    badPath: 'createdAtMs',
  },
  {
    what: 'patient with an unknown sex value',
    schema: () => bodySchema('patients.create'),
    value: { ...validPatient, sex: 'F' },
    badPath: 'sex',
  },
  {
    what: 'patient with a 300-character name',
    schema: () => bodySchema('patients.create'),
    value: { ...validPatient, identity: { name: 'x'.repeat(300) } },
    badPath: 'identity.name',
  },
  {
    what: 'recording without an operator',
    schema: () => bodySchema('recordings.create'),
    value: { ...validRecording, operator: undefined },
    badPath: 'operator',
  },
  {
    what: 'recording with a fractional start time',
    schema: () => bodySchema('recordings.create'),
    value: { ...validRecording, startedAtMs: t0 + 0.5 },
    badPath: 'startedAtMs',
  },
  {
    what: 'recording with an unknown device kind',
    schema: () => bodySchema('recordings.create'),
    value: { ...validRecording, devices: [{ kind: 'holter', serial: 'x', simulated: false }] },
    badPath: 'devices.0.kind',
  },
  {
    what: 'recording with a negative sampling rate',
    schema: () => bodySchema('recordings.create'),
    value: { ...validRecording, ecgSampleRateHz: -500 },
    badPath: 'ecgSampleRateHz',
  },
  {
    what: 'recording end with a negative final count',
    schema: () => bodySchema('recordings.end'),
    value: { endedAtMs: t0, finalChunkCounts: { ecg: -1 }, summary: {} },
    badPath: 'finalChunkCounts.ecg',
  },
  {
    what: 'recording end naming an unknown stream',
    schema: () => bodySchema('recordings.end'),
    value: { endedAtMs: t0, finalChunkCounts: { video: 1 }, summary: {} },
    badPath: 'finalChunkCounts',
  },
  {
    what: 'chunk path with a negative index',
    schema: () => part('chunks.upload', 'params'),
    value: { recordingId, stream: 'ecg', index: '-1' },
    badPath: 'index',
  },
  {
    what: 'chunk path with an unknown stream',
    schema: () => part('chunks.upload', 'params'),
    value: { recordingId, stream: 'video', index: '0' },
    badPath: 'stream',
  },
  {
    what: 'chunk path with a non-numeric index',
    schema: () => part('chunks.upload', 'params'),
    value: { recordingId, stream: 'ecg', index: '1e999' },
    badPath: 'index',
  },
  {
    what: 'chunk upload whose hash header is uppercase',
    schema: () => part('chunks.upload', 'headers'),
    value: { 'x-chunk-sha256': 'A'.repeat(64) },
    badPath: 'x-chunk-sha256',
  },
  {
    what: 'chunk upload without a hash header',
    schema: () => part('chunks.upload', 'headers'),
    value: {},
    badPath: 'x-chunk-sha256',
  },
  {
    what: 'login without a password',
    schema: () => bodySchema('auth.login'),
    value: { username: 'admin' },
    badPath: 'password',
  },
  {
    what: 'login with a username holding quotes',
    schema: () => bodySchema('auth.login'),
    value: { username: "admin' OR 1=1--", password: 'x' },
    badPath: 'username',
  },
  {
    what: 'enrollment with a malformed code',
    schema: () => bodySchema('gateways.enroll'),
    value: { code: 'ABCD', gatewayId, name: 'desk 1', platform: 'linux', appVersion: '0.1.0' },
    badPath: 'code',
  },
  {
    what: 'ECG segment longer than five minutes',
    schema: () => part('recordings.ecg', 'query'),
    value: { fromMs: String(t0), toMs: String(t0 + 600_000) },
    badPath: 'toMs',
  },
  {
    what: 'time range ending before it starts',
    schema: () => part('recordings.beats', 'query'),
    value: { fromMs: String(t0), toMs: String(t0 - 1) },
    badPath: 'toMs',
  },
  {
    what: 'page size of 100000',
    schema: () => part('patients.list', 'query'),
    value: { limit: '100000' },
    badPath: 'limit',
  },
  {
    what: 'export of an unknown series',
    schema: () => part('exports.get', 'query'),
    value: { series: 'ppg', patientId },
    badPath: 'series',
  },
  {
    what: 'error report with a 100 kB stack',
    schema: () => bodySchema('errorReports.create'),
    value: {
      id: recordingId,
      occurredAtMs: t0,
      severity: 'error',
      appVersion: '1',
      platform: 'linux',
      message: 'boom',
      stack: 'x'.repeat(100_000),
    },
    badPath: 'stack',
  },
  {
    what: 'report metadata with an unknown kind',
    schema: () => bodySchema('reports.upload'),
    value: { id: recordingId, recordingId, kind: 'holter', createdAtMs: t0, title: 'r', simulated: false },
    badPath: 'kind',
  },
  {
    what: 'heartbeat with a negative backlog',
    schema: () => bodySchema('gateways.heartbeat'),
    value: { appVersion: '1', backlogChunks: -5, backlogBytes: 0, oldestPendingAtMs: null, sentAtMs: t0 },
    badPath: 'backlogChunks',
  },
];

describe('malformed requests', () => {
  it('has a table of at least 20 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  it.each(cases)('rejects a $what', ({ schema, value, badPath }) => {
    const result = schema().safeParse(value);
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((issue) => issue.path.join('.'));
    expect(paths).toContain(badPath);
  });

  it('accepts the valid bodies the table mutates', () => {
    expect(bodySchema('patients.create').safeParse(validPatient).success).toBe(true);
    expect(bodySchema('recordings.create').safeParse(validRecording).success).toBe(true);
    expect(part('chunks.upload', 'params').parse({ recordingId, stream: 'ecg', index: '12' })).toEqual({
      recordingId,
      stream: 'ecg',
      index: 12,
    });
  });

  it('names every bad field of one request at once', () => {
    const result = bodySchema('patients.create').safeParse({
      ...validPatient,
      ageYears: -1,
      sex: 'F',
      studyCode: '',
    });
    const paths = result.error!.issues.map((issue) => issue.path.join('.')).sort();
    expect(paths).toEqual(['ageYears', 'sex', 'studyCode']);
  });
});
