/**
 * Recordings on the gateway: the row of each recording (patient, operator, devices, state,
 * totals so far, the queue item of its start message), each stream's sealed-chunk count and
 * the end of its last durable sample, and the gateway's operators. Rows read back are validated:
 * a damaged row gives a clear error naming the recording.
 */
import { z } from 'zod';
import { v7 as uuidv7 } from 'uuid';
import {
  OperatorSchema,
  RecordingDeviceSchema,
  RecordingSummarySchema,
  type RecordingSummary,
} from '../../server-contract/api/recordings.js';
import type { GatewayDatabase } from '../queue/database.js';
import { TotalsSchema, type Totals } from './summary.js';

export const RecordingRowSchema = z.strictObject({
  id: z.string(),
  patientId: z.string(),
  studyCode: z.string(),
  operator: OperatorSchema,
  devices: z.array(RecordingDeviceSchema),
  simulated: z.boolean(),
  startedAtMs: z.int(),
  ecgSampleRateHz: z.number().nullable(),
  mainsHz: z.union([z.literal(50), z.literal(60)]).nullable(),
  state: z.enum(['recording', 'interrupted', 'ended']),
  endedAtMs: z.int().nullable(),
  endReason: z.string().nullable(),
  summary: RecordingSummarySchema.nullable(),
  totals: TotalsSchema,
  lastAliveMs: z.int(),
  createItemId: z.int().nullable(),
  voidReason: z.string().nullable(),
});
export type RecordingRow = z.infer<typeof RecordingRowSchema>;

interface RawRow {
  id: string;
  patient_id: string;
  study_code: string;
  operator_json: string;
  devices_json: string;
  simulated: number;
  started_at_ms: number;
  ecg_sample_rate_hz: number | null;
  mains_hz: number | null;
  state: string;
  ended_at_ms: number | null;
  end_reason: string | null;
  summary_json: string | null;
  totals_json: string;
  last_alive_ms: number;
  create_item_id: number | null;
  void_reason: string | null;
}

export class RecordingRowError extends Error {
  readonly code = 'corrupt_recording_row';
  constructor(id: string, detail: string) {
    super(`Recording ${id} in gateway.db is damaged: ${detail}`);
    this.name = 'RecordingRowError';
  }
}

export interface StreamState {
  stream: string;
  sealedChunks: number;
  lastEndMs: number | null;
}

/** See the file comment. */
export class RecordingsStore {
  constructor(private readonly db: GatewayDatabase) {}

  insert(row: RecordingRow): void {
    this.db
      .prepare(
        `INSERT INTO recordings (id, patient_id, study_code, operator_json, devices_json, simulated, started_at_ms,
           ecg_sample_rate_hz, mains_hz, state, ended_at_ms, end_reason, summary_json, totals_json, last_alive_ms,
           create_item_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        row.id,
        row.patientId,
        row.studyCode,
        JSON.stringify(row.operator),
        JSON.stringify(row.devices),
        row.simulated ? 1 : 0,
        row.startedAtMs,
        row.ecgSampleRateHz,
        row.mainsHz,
        row.state,
        row.endedAtMs,
        row.endReason,
        row.summary === null ? null : JSON.stringify(row.summary),
        JSON.stringify(row.totals),
        row.lastAliveMs,
        row.createItemId,
      );
  }

  get(id: string): RecordingRow | undefined {
    const raw = this.db.prepare('SELECT * FROM recordings WHERE id = ?').get(id) as RawRow | undefined;
    return raw === undefined ? undefined : parseRow(raw);
  }

  /** The recording being made or interrupted by a restart, if any (at most one). */
  open(): RecordingRow | undefined {
    const raw = this.db
      .prepare(`SELECT * FROM recordings WHERE state != 'ended' ORDER BY started_at_ms DESC LIMIT 1`)
      .get() as RawRow | undefined;
    return raw === undefined ? undefined : parseRow(raw);
  }

  /** The most recent recording, open or ended. */
  latest(): RecordingRow | undefined {
    const raw = this.db
      .prepare('SELECT * FROM recordings ORDER BY started_at_ms DESC, id DESC LIMIT 1')
      .get() as RawRow | undefined;
    return raw === undefined ? undefined : parseRow(raw);
  }

  list(limit: number): RecordingRow[] {
    const rows = this.db
      .prepare('SELECT * FROM recordings ORDER BY started_at_ms DESC, id DESC LIMIT ?')
      .all(limit) as RawRow[];
    return rows.map(parseRow);
  }

  reassign(id: string, patientId: string, studyCode: string): void {
    this.db
      .prepare('UPDATE recordings SET patient_id = ?, study_code = ? WHERE id = ?')
      .run(patientId, studyCode, id);
  }

  setVoid(id: string, reason: string): void {
    this.db.prepare('UPDATE recordings SET void_reason = ? WHERE id = ?').run(reason, id);
  }

  /** Devices seen during the recording (a unit connected after the start is added). */
  setDevices(id: string, devices: RecordingRow['devices'], ecgSampleRateHz: number | null): void {
    this.db
      .prepare(
        'UPDATE recordings SET devices_json = ?, ecg_sample_rate_hz = coalesce(ecg_sample_rate_hz, ?) WHERE id = ?',
      )
      .run(JSON.stringify(devices), ecgSampleRateHz, id);
  }

  /** Progress written with each journal flush: totals and the time the gateway was last alive. */
  saveProgress(id: string, totals: Totals, aliveMs: number): void {
    this.db
      .prepare('UPDATE recordings SET totals_json = ?, last_alive_ms = ? WHERE id = ?')
      .run(JSON.stringify(totals), Math.round(aliveMs), id);
  }

  setState(id: string, state: RecordingRow['state']): void {
    this.db.prepare('UPDATE recordings SET state = ? WHERE id = ?').run(state, id);
  }

  end(id: string, endedAtMs: number, reason: string, summary: RecordingSummary): void {
    this.db
      .prepare(
        `UPDATE recordings SET state = 'ended', ended_at_ms = ?, end_reason = ?, summary_json = ? WHERE id = ?`,
      )
      .run(Math.round(endedAtMs), reason, JSON.stringify(summary), id);
  }

  streams(id: string): StreamState[] {
    return (
      this.db
        .prepare(
          'SELECT stream, sealed_chunks AS sealedChunks, last_end_ms AS lastEndMs FROM recording_streams WHERE recording_id = ? ORDER BY stream',
        )
        .all(id) as StreamState[]
    ).map((s) => ({ ...s }));
  }

  saveStream(id: string, stream: StreamState): void {
    this.db
      .prepare(
        `INSERT INTO recording_streams (recording_id, stream, sealed_chunks, last_end_ms) VALUES (?, ?, ?, ?)
         ON CONFLICT (recording_id, stream) DO UPDATE SET sealed_chunks = max(sealed_chunks, excluded.sealed_chunks),
           last_end_ms = coalesce(excluded.last_end_ms, last_end_ms)`,
      )
      .run(id, stream.stream, stream.sealedChunks, stream.lastEndMs);
  }

  /** The gateway's operator of that name (case-insensitive), created on first use. */
  operator(name: string): z.infer<typeof OperatorSchema> {
    const key = name.trim().toLowerCase();
    const row = this.db.prepare('SELECT id, name FROM operators WHERE name_key = ?').get(key) as
      { id: string; name: string } | undefined;
    if (row !== undefined) return row;
    const created = { id: uuidv7(), name: name.trim() };
    this.db
      .prepare('INSERT INTO operators (id, name, name_key) VALUES (?, ?, ?)')
      .run(created.id, created.name, key);
    return created;
  }
}

function parseRow(raw: RawRow): RecordingRow {
  try {
    return RecordingRowSchema.parse({
      id: raw.id,
      patientId: raw.patient_id,
      studyCode: raw.study_code,
      operator: JSON.parse(raw.operator_json) as unknown,
      devices: JSON.parse(raw.devices_json) as unknown,
      simulated: raw.simulated === 1,
      startedAtMs: raw.started_at_ms,
      ecgSampleRateHz: raw.ecg_sample_rate_hz,
      mainsHz: raw.mains_hz,
      state: raw.state,
      endedAtMs: raw.ended_at_ms,
      endReason: raw.end_reason,
      summary: raw.summary_json === null ? null : (JSON.parse(raw.summary_json) as unknown),
      totals: JSON.parse(raw.totals_json) as unknown,
      lastAliveMs: raw.last_alive_ms,
      createItemId: raw.create_item_id,
      voidReason: raw.void_reason,
    });
  } catch (error) {
    throw new RecordingRowError(raw.id, error instanceof Error ? error.message : String(error));
  }
}
