/**
 * The gateway API: every call the UI may make (`noun.verb`) and every event it may hear
 * (`noun.pastTense`), in one table. main implements it (`main/api/`); the renderer uses it as
 * `window.gateway`, and cannot tell desktop from edge.
 */
// first: no schema may be built before zod's eval fast path is off (the UI's CSP forbids eval)
import './zod-jitless.js';
import { z } from 'zod';
import { MeasurementRecordSchema } from '../server-contract/api/streams.js';
import { defineGatewayApi } from './define.js';
import {
  AlarmClearedSchema,
  AlarmSchema,
  AppInfoSchema,
  DeskSessionSchema,
  DeviceStatusSchema,
  DiagnosticsBundleSchema,
  EcgBatchSchema,
  EmptySchema,
  EventRecordSchema,
  FoundWatchSchema,
  LabelSchema,
  OkSchema,
  OperatorInfoSchema,
  PatientFieldsSchema,
  PatientSchema,
  PinSchema,
  QueueStatusSchema,
  RecordingStateSchema,
  CreateReportSchema,
  ReportInfoSchema,
  ReportPdfSchema,
  SerialPortInfoSchema,
  SessionStateSchema,
  SettingsSchema,
  SyncStatusSchema,
  UuidV7Schema,
  WatchBatchSchema,
} from './schemas.js';

const AddressSchema = z.strictObject({ address: z.string().min(1).max(64) });

export const gatewayApi = defineGatewayApi({
  calls: {
    'app.info': { input: EmptySchema, output: AppInfoSchema, summary: 'Version, mode and gateway id' },
    'app.ready': { input: EmptySchema, output: OkSchema, summary: 'The UI is ready: queued events may flow' },
    'app.takeControl': {
      input: EmptySchema,
      output: OkSchema,
      summary: 'This page controls the gateway; other pages become view only (edge)',
    },
    'app.diagnostics': {
      input: EmptySchema,
      output: DiagnosticsBundleSchema,
      summary: 'A diagnostics bundle for IT: logs, versions, queue and sync state; no patient details',
    },

    'devices.list': {
      input: EmptySchema,
      output: z.array(DeviceStatusSchema),
      summary: 'Status of every known device',
    },
    'devices.listSerialPorts': {
      input: EmptySchema,
      output: z.array(SerialPortInfoSchema),
      summary: 'Serial ports, ECG-12 units first',
    },
    'devices.connectEcg12': {
      input: z.strictObject({ path: z.string().min(1).max(256).optional() }),
      output: DeviceStatusSchema,
      summary: 'Opens the ECG-12 unit (found by USB id, or at the given port path)',
    },
    'devices.disconnectEcg12': { input: EmptySchema, output: OkSchema, summary: 'Closes the ECG-12 unit' },
    'devices.relearnEcg': {
      input: EmptySchema,
      output: OkSchema,
      summary:
        'Beat detection and classification learn the patient afresh (after moving electrodes, or when beats are missed or misclassified)',
    },
    'devices.scanWatches': {
      input: z.strictObject({ durationMs: z.number().int().min(1000).max(60_000).default(8000) }),
      output: z.array(FoundWatchSchema),
      summary: 'Scans for Bangle.js watches (nearest first)',
    },
    'devices.pairWatch': {
      input: z.strictObject({ address: z.string().min(1).max(64), patientId: UuidV7Schema }),
      output: z.strictObject({
        code: z
          .string()
          .regex(/^\d{4}$/)
          .nullable(),
        name: z.string(),
      }),
      summary:
        'Connects and shows a 4-digit code on the watch (null for heart-rate-only watches: confirm by name)',
    },
    'devices.confirmPairing': {
      input: z.strictObject({ address: z.string().min(1).max(64), matches: z.boolean() }),
      output: DeviceStatusSchema,
      summary: 'Staff confirm the code on the watch matches; binds the watch to the patient',
    },
    'devices.unpairWatch': {
      input: AddressSchema,
      output: OkSchema,
      summary: 'Stops the watch, clears its program, unbinds it',
    },
    'devices.disconnectWatch': {
      input: AddressSchema,
      output: OkSchema,
      summary: 'Disconnects a watch, keeping it bound to its patient (Reconnect resumes it)',
    },
    'devices.reconnectWatch': {
      input: AddressSchema,
      output: OkSchema,
      summary: 'Reconnects a watch that was disconnected without unpairing',
    },

    'operators.list': {
      input: EmptySchema,
      output: z.array(OperatorInfoSchema),
      summary: 'Operators of this gateway, by name',
    },
    'operators.create': {
      input: z.strictObject({ name: LabelSchema, pin: PinSchema.optional() }),
      output: OperatorInfoSchema,
      summary: 'Adds an operator (the PIN, if the clinic sets one, is stored hashed)',
    },
    'operators.update': {
      input: z.strictObject({
        currentPin: PinSchema.optional(),
        name: LabelSchema.optional(),
        pin: PinSchema.nullable().optional(),
      }),
      output: DeskSessionSchema,
      summary:
        'The signed-in operator renames themself or sets/removes their PIN (null), confirming with the current PIN',
    },
    'operators.retire': {
      input: z.strictObject({ currentPin: PinSchema.optional() }),
      output: DeskSessionSchema,
      summary:
        'The signed-in operator leaves this desk (confirmed with their PIN): no longer offered at sign-in; recordings keep the name',
    },
    'desk.get': {
      input: EmptySchema,
      output: DeskSessionSchema,
      summary: 'The desk: who is signed in, the chosen patient, whether the screen is locked',
    },
    'desk.signIn': {
      input: z.strictObject({ operatorId: UuidV7Schema, pin: PinSchema.optional() }),
      output: DeskSessionSchema,
      summary: 'Signs an operator in (with their PIN if they have one); also unlocks',
    },
    'desk.signOut': { input: EmptySchema, output: DeskSessionSchema, summary: 'Signs the operator out' },
    'desk.selectPatient': {
      input: z.strictObject({ patientId: UuidV7Schema.nullable() }),
      output: DeskSessionSchema,
      summary: 'Chooses the patient the desk records for (kept across reloads)',
    },
    'desk.lock': { input: EmptySchema, output: DeskSessionSchema, summary: 'Locks the screen' },
    'desk.unlock': {
      input: z.strictObject({ pin: PinSchema.optional() }),
      output: DeskSessionSchema,
      summary: 'Unlocks the screen with the signed-in operator’s PIN',
    },

    'patients.list': {
      input: z.strictObject({
        search: z.string().max(64).optional(),
        limit: z.number().int().min(1).max(500).default(100),
      }),
      output: z.array(PatientSchema),
      summary: 'Patients on this gateway',
    },
    'patients.get': {
      input: z.strictObject({ id: UuidV7Schema }),
      output: PatientSchema,
      summary: 'One patient',
    },
    'patients.create': {
      input: PatientFieldsSchema,
      output: PatientSchema,
      summary: 'Creates a patient (id and time assigned by the gateway)',
    },
    'patients.update': {
      input: z.strictObject({ id: UuidV7Schema, fields: PatientFieldsSchema.partial() }),
      output: PatientSchema,
      summary: 'Edits a patient',
    },

    'recording.start': {
      // without operatorName, the signed-in operator (desk.signIn) records
      input: z.strictObject({ patientId: UuidV7Schema, operatorName: LabelSchema.optional() }),
      output: RecordingStateSchema,
      summary: 'Starts recording the connected devices for a patient',
    },
    'recording.stop': {
      input: EmptySchema,
      output: RecordingStateSchema,
      summary: 'Stops the recording and seals its chunks',
    },
    'recording.current': {
      input: EmptySchema,
      output: RecordingStateSchema.nullable(),
      summary: 'The recording in progress',
    },
    'recording.continue': {
      input: EmptySchema,
      output: RecordingStateSchema,
      summary: 'Continues a recording the gateway was restarted in (the downtime is recorded as a gap)',
    },
    'recording.list': {
      input: z.strictObject({ limit: z.number().int().min(1).max(500).default(50) }),
      output: z.array(RecordingStateSchema),
      summary: 'Recordings on this gateway, newest first',
    },
    'recording.reassign': {
      input: z.strictObject({
        recordingId: UuidV7Schema,
        patientId: UuidV7Schema,
        reason: z.string().trim().min(3).max(500),
      }),
      output: RecordingStateSchema,
      summary: 'Moves an ended recording made under the wrong patient (also on the server, audited)',
    },
    'recording.void': {
      input: z.strictObject({ recordingId: UuidV7Schema, reason: z.string().trim().min(3).max(500) }),
      output: RecordingStateSchema,
      summary: 'Voids an ended recording: kept, but excluded from exports and marked (also on the server)',
    },
    'recording.markEvent': {
      // without a note the marker reads "Marker" (one key press at the desk)
      input: z.strictObject({ note: z.string().trim().min(1).max(500).optional() }),
      output: EventRecordSchema,
      summary: 'Adds a staff marker to the recording',
    },

    'queue.status': {
      input: EmptySchema,
      output: QueueStatusSchema,
      summary: 'Local store-and-forward queue',
    },
    'sync.status': { input: EmptySchema, output: SyncStatusSchema, summary: 'Uploader state' },
    'sync.now': {
      input: EmptySchema,
      output: OkSchema,
      summary: 'Tries to upload now instead of waiting for backoff',
    },
    'sync.retryFailed': {
      input: EmptySchema,
      output: z.strictObject({ retried: z.number().int().min(0) }),
      summary: 'Puts items the server rejected back in the queue (after IT fixed the cause)',
    },
    'sync.enroll': {
      input: z.strictObject({ serverUrl: z.url(), code: z.string().min(4).max(32) }),
      output: SyncStatusSchema,
      summary: 'Enrolls this gateway with the ingest server using a one-time code',
    },

    'settings.get': { input: EmptySchema, output: SettingsSchema, summary: 'Gateway settings' },
    'settings.update': {
      input: SettingsSchema.partial(),
      output: SettingsSchema,
      summary: 'Changes settings',
    },

    'reports.create': {
      input: CreateReportSchema,
      output: ReportInfoSchema,
      summary: 'Makes the PDF report of a recording and queues it for upload',
    },
    'reports.list': {
      input: z.strictObject({ recordingId: UuidV7Schema.optional() }),
      output: z.array(ReportInfoSchema),
      summary: 'Reports on this gateway (of one recording when named), newest first, with upload state',
    },
    'reports.pdf': {
      input: z.strictObject({ reportId: UuidV7Schema }),
      output: ReportPdfSchema,
      summary: 'The PDF of a report the gateway still holds (error report_gone once only the server has it)',
    },
  },
  events: {
    'ecg.received': {
      payload: EcgBatchSchema,
      summary: 'Display samples of the 12 leads, with detected beats',
    },
    'measurements.updated': {
      payload: MeasurementRecordSchema,
      summary: 'Measurements, every 2 s while streaming',
    },
    'devices.changed': {
      payload: DeviceStatusSchema,
      summary: 'A device changed state, counters or lead-off',
    },
    'watches.found': { payload: FoundWatchSchema, summary: 'A watch seen during a scan' },
    'watch.received': { payload: WatchBatchSchema, summary: 'Heart rate and movement from a watch' },
    'recording.changed': {
      payload: RecordingStateSchema.nullable(),
      summary: 'Recording started, stopped or updated',
    },
    'events.recorded': { payload: EventRecordSchema, summary: 'An arrhythmia flag, lead-off, gap or marker' },
    'queue.changed': { payload: QueueStatusSchema, summary: 'Queue counts changed' },
    'sync.changed': { payload: SyncStatusSchema, summary: 'Uploader state changed' },
    'alarms.raised': { payload: AlarmSchema, summary: 'Something staff must act on' },
    'session.changed': {
      payload: SessionStateSchema,
      summary: 'Whether this page controls the gateway or only watches (edge)',
    },
    'alarms.cleared': { payload: AlarmClearedSchema, summary: 'An alarm no longer applies' },
    'desk.changed': {
      payload: DeskSessionSchema,
      summary: 'Operator signed in or out, patient chosen, screen locked or unlocked',
    },
  },
});

export type GatewayApi = typeof gatewayApi;
