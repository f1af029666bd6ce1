/**
 * The recorder: the hub every sample passes through once. Devices feed it (`ecgSamples`,
 * `watchAccel`, …); it runs the live ECG pipeline and sends the UI its display batches,
 * measurements and flags; and while a recording is being made it journals everything (durable
 * within a second) and seals chunks into the upload queue.
 *
 * It owns a recording's timeline: patient, operator, devices, run clocks, gaps, the measurement
 * schedule, start/stop/continue, the summary, and crash recovery — at construction an open
 * recording is found, what was durably written is sealed, and the recording waits as
 * `interrupted` until staff continue it (the downtime becomes a gap) or stop it (end reason
 * `gateway_restarted`). When the disk quota is reached, capture is paused with an alarm
 * (nothing overwritten or dropped from what was received) and resumes by itself once space is
 * free, the hole recorded as a gap.
 */
import { v7 as uuidv7 } from 'uuid';
import { GatewayApiError } from '../../preload/define.js';
import type { RecordingStateSchema, Settings } from '../../preload/schemas.js';
import type { RecordingDeviceSchema } from '../../server-contract/api/recordings.js';
import type { EventRecord } from '../../server-contract/api/streams.js';
import { encodeChunk, SAMPLED_STREAMS } from '../../server-contract/codec/index.js';
import type { z } from 'zod';
import type { GatewayDatabase } from '../queue/database.js';
import { PRIORITY } from '../queue/types.js';
import type { UploadQueue } from '../queue/upload-queue.js';
import { DeviceInputs, type EmitGatewayEvent } from './device-inputs.js';
import { Journal, type ChunkKey } from './journal.js';

export type { EmitGatewayEvent };
import type { LeadQualityName } from './live-ecg.js';
import type { PatientsStore } from './patients-store.js';
import { RecordingSession } from './recording-session.js';
import { PatientSync } from './patient-sync.js';
import { RecordingsStore, type RecordingRow } from './recordings-store.js';
import { emptyTotals } from './summary.js';

type RecordingState = z.infer<typeof RecordingStateSchema>;
type RecordingDevice = z.infer<typeof RecordingDeviceSchema>;

export interface RecorderDeps {
  db: GatewayDatabase;
  queue: UploadQueue;
  patients: PatientsStore;
  emit: EmitGatewayEvent;
  settings: () => Settings;
  simulated: boolean;
  /** This gateway's software version (provenance of every recording). */
  appVersion?: string;
  /** Devices connected now for a patient (the unit, the watches bound to them); a recording starts with them. */
  connectedDevices: (patientId: string) => RecordingDevice[];
  /** The patient a watch is bound to, or null. */
  watchPatient: (address: string) => string | null;
  /** Per-lead quality of the connected unit, for its device status. */
  onEcgQuality?: (quality: Record<string, LeadQualityName>) => void;
  /** A storage or sealing failure staff and IT must hear about (queued as an error report by the caller). */
  onFailure?: (error: Error, context: Record<string, string | number>) => void;
  now?: () => number;
  /** Journal flush period, ms (default 500: data is durable within a second of arriving). */
  flushIntervalMs?: number;
}

/** How often capture paused by a storage failure tries again, ms. */
const RETRY_STORAGE_MS = 5000;

/** See the file comment. */
export class Recorder {
  private readonly journal: Journal;
  /** Patients and their corrections, queued for the server. */
  readonly patientSync: PatientSync;
  private readonly recordings: RecordingsStore;
  private readonly now: () => number;
  private session: RecordingSession | undefined;
  /** A recording interrupted by a restart, waiting for staff. */
  private interrupted: RecordingRow | undefined;
  /** Capture paused (disk quota, storage failure): the database holds the recording's truth. */
  private paused: { reason: string; row: RecordingRow; retryAtMs: number } | undefined;
  /** What the devices deliver (ECG-12 samples, watch data), placed on this recorder's timelines. */
  readonly inputs: DeviceInputs;
  private sealAnnounced = false;
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(private readonly deps: RecorderDeps) {
    this.now = deps.now ?? Date.now;
    this.journal = new Journal(deps.db);
    this.patientSync = new PatientSync(deps.db, deps.queue, deps.patients);
    this.recordings = new RecordingsStore(deps.db);
    this.inputs = new DeviceInputs({
      emit: deps.emit,
      settings: deps.settings,
      simulated: deps.simulated,
      now: this.now,
      watchPatient: deps.watchPatient,
      onEcgQuality: deps.onEcgQuality,
      capture: (work) => this.capture(work),
    });
    this.patientSync.queueNotYetSent();
    this.recover();
    this.timer = setInterval(() => this.flush(), deps.flushIntervalMs ?? 500);
    this.timer.unref();
  }

  // ── staff ──────────────────────────────────────────────────────────────────

  current(): RecordingState | null {
    if (this.session !== undefined) return this.state(this.session.row);
    if (this.paused !== undefined)
      return this.state(this.recordings.get(this.paused.row.id) ?? this.paused.row);
    if (this.interrupted !== undefined) return this.state(this.interrupted);
    const latest = this.recordings.latest();
    return latest === undefined ? null : this.state(latest);
  }

  start(input: { patientId: string; operatorName: string }): RecordingState {
    const open = this.session?.row ?? this.paused?.row;
    if (open !== undefined)
      throw new GatewayApiError('already_recording', `Already recording ${open.studyCode}: stop it first.`);
    if (this.deps.queue.quotaReached())
      throw new GatewayApiError('disk_quota', this.quotaMessage('New recordings cannot start'));
    const patient = this.deps.patients.get(input.patientId);
    const devices = this.deps.connectedDevices(input.patientId);
    if (devices.length === 0)
      throw new GatewayApiError('no_device', 'Connect the ECG unit or pair a watch before recording.');
    if (this.interrupted !== undefined) {
      this.endFromDatabase(this.interrupted, 'gateway_restarted');
      this.interrupted = undefined;
      this.deps.emit('alarms.cleared', { code: 'recording_interrupted', atMs: Math.round(this.now()) });
    }
    const settings = this.deps.settings();
    const startedAtMs = Math.round(this.now());
    const row = this.deps.db.transaction(() => {
      const operator = this.recordings.operator(input.operatorName);
      this.patientSync.ensureQueued(patient.id);
      const id = uuidv7();
      const simulated = this.deps.simulated || devices.some((d) => d.simulated);
      const ecg = devices.some((d) => d.kind === 'ecg12');
      const create = this.deps.queue.enqueue({
        kind: 'control',
        route: 'recordings.create',
        body: {
          id,
          patientId: patient.id,
          operator,
          devices,
          simulated,
          startedAtMs,
          ...(ecg ? { ecgSampleRateHz: this.inputs.ecgRateHz ?? settings.ecgSampleRateHz } : {}),
          mainsHz: settings.mainsHz,
          processing: this.processing(settings.mainsHz),
        },
        recordingId: id,
        priority: PRIORITY.control,
      });
      const recording: RecordingRow = {
        id,
        patientId: patient.id,
        studyCode: patient.studyCode,
        operator,
        devices,
        simulated,
        startedAtMs,
        ecgSampleRateHz: ecg ? (this.inputs.ecgRateHz ?? settings.ecgSampleRateHz) : null,
        mainsHz: settings.mainsHz,
        state: 'recording',
        endedAtMs: null,
        endReason: null,
        summary: null,
        totals: emptyTotals(),
        lastAliveMs: startedAtMs,
        createItemId: create.id,
        voidReason: null,
      };
      this.recordings.insert(recording);
      return recording;
    })();
    this.openSession(row, []);
    return this.changed();
  }

  stop(reason = 'stopped'): RecordingState {
    const session = this.session;
    if (session === undefined) {
      const waiting = this.paused?.row ?? this.interrupted;
      if (waiting === undefined) throw new GatewayApiError('not_recording', 'No recording is in progress.');
      const why = this.interrupted !== undefined && reason === 'stopped' ? 'gateway_restarted' : reason;
      this.endFromDatabase(waiting, why);
      const code = this.paused?.reason ?? 'recording_interrupted';
      this.deps.emit('alarms.cleared', { code, atMs: Math.round(this.now()) });
      this.paused = undefined;
      this.interrupted = undefined;
      return this.changed();
    }
    this.inputs.flushEcg();
    this.session = undefined;
    session.sealAll();
    this.finish(
      session.row,
      session.finalCounts(),
      session.summary.summary(this.now() - session.row.startedAtMs, reason, this.now()),
    );
    return this.changed();
  }

  /** Continues a recording interrupted by a restart; the downtime is recorded as a gap. */
  continue(): RecordingState {
    const row = this.interrupted;
    if (row === undefined)
      throw new GatewayApiError('nothing_to_continue', 'No interrupted recording to continue.');
    this.interrupted = undefined;
    this.recordings.setState(row.id, 'recording');
    const session = this.openSession(
      { ...row, state: 'recording' },
      this.recordings.streams(row.id),
      'gateway_down',
    );
    const downtime = session.gap('gateway', row.lastAliveMs, this.now(), 'gateway_down');
    this.deps.emit('events.recorded', downtime);
    this.deps.emit('alarms.cleared', { code: 'recording_interrupted', atMs: Math.round(this.now()) });
    return this.changed();
  }

  /** A staff marker now, with the note if staff typed one. */
  markEvent(note: string | undefined): EventRecord {
    const session = this.session;
    if (this.paused !== undefined)
      throw new GatewayApiError(
        'recording_paused',
        'The recording is paused (see the alarm); markers resume with it.',
      );
    if (session === undefined)
      throw new GatewayApiError('not_recording', 'Markers need a recording in progress.');
    const event: EventRecord = {
      tMs: Math.round(this.now()),
      kind: 'marker',
      ...(note === undefined ? {} : { note }),
    };
    session.pushRecord('events', event);
    this.deps.emit('events.recorded', event);
    return event;
  }

  /** Recordings on this gateway, newest first. */
  list(limit: number): RecordingState[] {
    return this.recordings.list(limit).map((row) => this.state(row));
  }

  /** A recording's stored row and each stream's sealed-chunk count (what a report is made from), or undefined. */
  stored(recordingId: string): { row: RecordingRow; sealedChunks: Record<string, number> } | undefined {
    const row = this.recordings.get(recordingId);
    if (row === undefined) return undefined;
    const sealedChunks = Object.fromEntries(
      this.recordings.streams(recordingId).map((s) => [s.stream, s.sealedChunks]),
    );
    return { row, sealedChunks };
  }

  /** Moves an ended recording to the right patient, here and (queued) on the server. */
  reassign(recordingId: string, patientId: string, reason: string): RecordingState {
    const row = this.ended(recordingId);
    const patient = this.deps.patients.get(patientId);
    this.deps.db.transaction(() => {
      this.recordings.reassign(row.id, patient.id, patient.studyCode);
      this.patientSync.queueReassign(row.id, patient.id, reason);
    })();
    return this.state(this.recordings.get(row.id)!);
  }

  /** Voids an ended recording: kept, excluded from exports, marked everywhere. */
  void(recordingId: string, reason: string): RecordingState {
    const row = this.ended(recordingId);
    this.deps.db.transaction(() => {
      this.recordings.setVoid(row.id, reason);
      this.patientSync.queueVoid(row.id, reason);
    })();
    return this.state(this.recordings.get(row.id)!);
  }

  private ended(recordingId: string): RecordingRow {
    const row = this.recordings.get(recordingId);
    if (row === undefined)
      throw new GatewayApiError('recording_not_found', `No recording ${recordingId} on this gateway.`);
    if (row.state !== 'ended')
      throw new GatewayApiError('recording_open', 'Stop the recording before correcting it.');
    return row;
  }

  /** Seals everything and ends an open recording (the app is closing). */
  close(): void {
    clearInterval(this.timer);
    if (this.session !== undefined) {
      try {
        this.stop('gateway_closed');
      } catch (error) {
        this.fail(error, 'closing');
      }
    }
  }

  // ── internals ──────────────────────────────────────────────────────────────

  private capture(work: (session: RecordingSession) => void): void {
    const session = this.session;
    if (session === undefined) return;
    try {
      work(session);
    } catch (error) {
      this.fail(error, 'recording');
    }
  }

  private openSession(
    row: RecordingRow,
    streams: ReturnType<RecordingsStore['streams']>,
    resumedAfter?: string,
  ) {
    this.inputs.newSession();
    const session = new RecordingSession(
      row,
      { recordingId: row.id, journal: this.journal, seal: (key, p) => this.seal(key, p, row), now: this.now },
      this.recordings,
      () => {
        const settings = this.deps.settings();
        return {
          ecgChunkSeconds: settings.ecgChunkSeconds,
          watchChunkSeconds: settings.watchChunkSeconds ?? 600,
        };
      },
      streams,
      resumedAfter,
    );
    this.session = session;
    return session;
  }

  /** Builds a chunk from its journal, queues it and forgets the journal rows: one transaction. */
  private seal(key: ChunkKey, priority: number, row: Pick<RecordingRow, 'createItemId'>): boolean {
    return this.deps.db.transaction(() => {
      const chunk = this.journal.build(key);
      if (chunk === undefined) {
        this.journal.discard(key);
        return false;
      }
      this.deps.queue.enqueue({
        kind: 'chunk',
        recordingId: key.recordingId,
        stream: key.stream,
        chunkIndex: key.chunkIndex,
        bytes: encodeChunk(chunk),
        priority,
        afterId: row.createItemId,
      });
      this.journal.discard(key);
      this.announceSeal();
      // the stream's count moves with the chunk, so a restart never reuses an index
      this.recordings.saveStream(key.recordingId, {
        stream: key.stream,
        sealedChunks: key.chunkIndex + 1,
        lastEndMs: null,
      });
      return true;
    })();
  }

  /**
   * Journals what arrived, seals records chunks that are due and watches the quota; runs every
   * `flushIntervalMs` (and may be called directly, e.g. by tests and before a planned shutdown).
   */
  flush(): void {
    if (this.paused !== undefined) {
      this.tryResume(this.paused);
      return;
    }
    const session = this.session;
    if (session === undefined) return;
    try {
      const nowMs = this.now();
      this.deps.db.transaction(() => session.flush(nowMs))();
      session.sealDue(nowMs);
      if (this.deps.queue.quotaReached()) this.pause('disk_quota');
    } catch (error) {
      this.fail(error, 'journal');
    }
  }

  /**
   * Pauses capture: the session's memory is dropped (at the quota after sealing what it holds;
   * after a storage failure what the journal did not take is lost, as in a crash) and capture
   * resumes from the database, like a continued recording, when there is room again.
   */
  private pause(reason: string, detail?: string): void {
    const session = this.session;
    if (session === undefined) return;
    this.session = undefined;
    if (reason === 'disk_quota') {
      try {
        session.sealAll();
      } catch (error) {
        this.deps.onFailure?.(asError(error), { doing: 'sealing at the quota' });
      }
    }
    this.paused = { reason, row: session.row, retryAtMs: this.now() + RETRY_STORAGE_MS };
    this.deps.emit('alarms.raised', {
      code: reason,
      severity: 'critical',
      message:
        reason === 'disk_quota'
          ? this.quotaMessage(`Recording ${session.row.studyCode} is paused`)
          : `Recording ${session.row.studyCode} is paused: the gateway could not store data (${detail ?? reason}). Free disk space or call IT; recording resumes by itself when storage works again.`,
      atMs: Math.round(this.now()),
    });
    this.changed();
  }

  private tryResume(paused: NonNullable<Recorder['paused']>): void {
    const ready =
      paused.reason === 'disk_quota' ? !this.deps.queue.quotaReached() : this.now() >= paused.retryAtMs;
    if (!ready) return;
    try {
      this.sealJournal(paused.row);
      const row = this.recordings.get(paused.row.id) ?? paused.row;
      this.openSession(row, this.recordings.streams(row.id), paused.reason);
    } catch {
      paused.retryAtMs = this.now() + RETRY_STORAGE_MS;
      return;
    }
    this.paused = undefined;
    this.deps.emit('alarms.cleared', { code: paused.reason, atMs: Math.round(this.now()) });
    this.changed();
  }

  private quotaMessage(what: string): string {
    const status = this.deps.queue.status();
    const mb = (b: number) => `${Math.round(b / 1e6)} MB`;
    return `${what}: the gateway's storage quota (${mb(status.diskQuotaBytes)}) is full, ${mb(status.pendingBytes)} waiting for upload. Connect to the server or raise the quota; recording resumes by itself when there is room.`;
  }

  private fail(error: unknown, doing: string): void {
    const err = asError(error);
    const code = (err as { code?: unknown }).code;
    this.deps.onFailure?.(err, { doing });
    this.pause(code === 'disk_full' || code === 'SQLITE_FULL' ? 'disk_full' : 'storage_error', err.message);
  }

  private finish(
    row: RecordingRow,
    counts: Record<string, number>,
    summary: ReturnType<RecordingSession['summary']['summary']>,
  ): void {
    const endedAtMs = Math.round(this.now());
    this.deps.db.transaction(() => {
      this.recordings.end(row.id, endedAtMs, summary.endReason ?? 'stopped', summary);
      this.deps.queue.enqueue({
        kind: 'control',
        route: 'recordings.end',
        params: { recordingId: row.id },
        body: { endedAtMs, finalChunkCounts: counts, summary },
        recordingId: row.id,
        priority: PRIORITY.recordingEnd,
      });
    })();
  }

  /** Tells the UI the recording changed (chunks sealed), once per burst of seals. */
  private announceSeal(): void {
    if (this.sealAnnounced) return;
    this.sealAnnounced = true;
    queueMicrotask(() => {
      this.sealAnnounced = false;
      if (this.session !== undefined) this.changed();
    });
  }

  /** Ends a recording that has no session (interrupted, or paused): from what the database holds. */
  private endFromDatabase(waiting: RecordingRow, reason: string): void {
    this.sealJournal(waiting);
    const row = this.recordings.get(waiting.id) ?? waiting;
    const session = this.openSession(row, this.recordings.streams(row.id));
    this.session = undefined;
    const summary = session.summary.summary(row.lastAliveMs - row.startedAtMs, reason, row.lastAliveMs);
    this.finish(row, session.finalCounts(), summary);
  }

  /** Seals every chunk the journal holds for a recording (after a crash or a pause). */
  private sealJournal(row: RecordingRow): void {
    for (const key of this.journal.openChunks(row.id)) {
      const priority = (SAMPLED_STREAMS as readonly string[]).includes(key.stream)
        ? PRIORITY.samples
        : PRIORITY.records;
      this.seal({ recordingId: row.id, ...key }, priority, row);
    }
  }

  /** At start-up: seal what an interrupted recording durably holds, and wait for staff. */
  private recover(): void {
    const open = this.recordings.open();
    if (open === undefined) return;
    try {
      this.sealJournal(open);
    } catch (error) {
      // kept in the journal (nothing is lost); staff and IT hear of it
      this.deps.onFailure?.(asError(error), { doing: 'sealing after a restart' });
      this.deps.emit('alarms.raised', {
        code: 'recovery_failed',
        severity: 'critical',
        message: `After the restart, data of ${open.studyCode} could not be sealed (${asError(error).message}). It is kept on this gateway; call IT.`,
        atMs: Math.round(this.now()),
      });
    }
    this.recordings.setState(open.id, 'interrupted');
    this.interrupted = { ...open, state: 'interrupted' };
    this.deps.emit('alarms.raised', {
      code: 'recording_interrupted',
      severity: 'warning',
      message: `The gateway restarted while recording ${open.studyCode}. Continue the recording, or stop it.`,
      atMs: Math.round(this.now()),
    });
  }

  /** What processes the recording here (carried into every export as provenance). */
  private processing(mainsHz: 50 | 60) {
    const version = (this.deps.appVersion ?? 'unknown').slice(0, 32);
    return {
      softwareVersion: version,
      detector: { name: 'pulsewatch-live-qrs+aami-classes+vf', version },
      measurements: { name: 'pulsewatch-measure', version },
      // the live display band and notch (measurements filter zero-phase on their own)
      filters: { highPassHz: 0.5, lowPassHz: 40, notchHz: mainsHz },
    };
  }

  private state(row: RecordingRow): RecordingState {
    const live = this.session?.row.id === row.id ? this.session : undefined;
    return {
      id: row.id,
      patientId: row.patientId,
      studyCode: row.studyCode,
      operator: row.operator,
      devices: row.devices,
      simulated: row.simulated,
      startedAtMs: row.startedAtMs,
      endedAtMs: row.endedAtMs,
      summary: row.summary,
      state: row.state,
      endReason: row.endReason,
      voidReason: row.voidReason,
      suspended: this.paused?.row.id === row.id ? this.paused.reason : null,
      chunksSealed: live?.chunksSealed() ?? null,
    };
  }

  private changed(): RecordingState {
    const state = this.current();
    this.deps.emit('recording.changed', state);
    if (state === null) throw new Error('recording state vanished');
    return state;
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
