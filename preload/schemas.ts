/**
 * Schemas of the gateway API's payloads. Shared data (patients, recordings, measurement records)
 * comes from the ingest contract so the two APIs cannot disagree.
 */
// first: no schema may be built before zod's eval fast path is off (the UI's CSP forbids eval)
import './zod-jitless.js';
import { z } from 'zod';
import { EpochMsSchema, LabelSchema, UuidV7Schema } from '../server-contract/api/common.js';
import { CreatePatientSchema, PatientFieldsSchema, PatientSchema } from '../server-contract/api/patients.js';
import {
  MAX_ECG_CHUNK_SECONDS,
  OperatorSchema,
  RecordingDeviceSchema,
  RecordingSummarySchema,
} from '../server-contract/api/recordings.js';
import {
  BeatRecordSchema,
  EventRecordSchema,
  HrRecordSchema,
  LeadNameSchema,
} from '../server-contract/api/streams.js';

export { CreatePatientSchema, PatientFieldsSchema, PatientSchema };

export const EmptySchema = z.strictObject({});
export const OkSchema = z.strictObject({ ok: z.literal(true) });

export const AppInfoSchema = z.strictObject({
  version: z.string(),
  mode: z.enum(['desktop', 'edge']),
  gatewayId: UuidV7Schema,
  platform: z.string(),
  /** True when the gateway runs its simulated devices (demo mode). */
  simulated: z.boolean(),
});

/** A diagnostics bundle for IT: a zip of logs and state, no patient details. */
export const DiagnosticsBundleSchema = z.strictObject({
  fileName: z.string().regex(/^[\w.-]+\.zip$/),
  bytes: z.number().int().nonnegative(),
  contentBase64: z.string(),
});

/** Whether this page controls the gateway (edge: one page controls, the others watch). */
export const SessionStateSchema = z.strictObject({
  controlling: z.boolean(),
  /** Pages connected to this gateway, this one included. */
  pages: z.number().int().min(1),
});

/** An electrode of the ECG-12 unit's lead-off mask (specs/ecg12-serial-protocol.md §3). */
export const ElectrodeSchema = z.enum(['RA', 'LA', 'LL', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6']);
/** An electrode of a 10-electrode resting ECG (RL, the driven reference, is not reported). */
export type Electrode = z.infer<typeof ElectrodeSchema>;

export const LeadQualitySchema = z.enum(['good', 'noisy', 'flat', 'saturated', 'lead_off']);

export const SerialPortInfoSchema = z.strictObject({
  path: z.string(),
  manufacturer: z.string().nullable(),
  serialNumber: z.string().nullable(),
  vendorId: z.string().nullable(),
  productId: z.string().nullable(),
  /** True when VID:PID is the ECG-12 unit's 1209:EC12. */
  isEcg12: z.boolean(),
});

export const Ecg12StatusSchema = z.strictObject({
  kind: z.literal('ecg12'),
  state: z.enum([
    'disconnected',
    'connecting',
    'connected',
    'streaming',
    'reconnecting',
    'unplugged',
    'error',
  ]),
  /** What staff should read (e.g. "unit ECG-12345 unplugged — reconnect the USB cable"). */
  message: z.string(),
  path: z.string().nullable(),
  serial: z.string().nullable(),
  firmware: z.string().nullable(),
  sampleRateHz: z.number().nullable(),
  lsbNanovolts: z.number().nullable(),
  batteryPct: z.number().min(0).max(100).nullable(),
  leadOff: z.array(ElectrodeSchema),
  quality: z.partialRecord(LeadNameSchema, LeadQualitySchema),
  simulated: z.boolean(),
  counters: z.strictObject({
    frames: z.number().int().min(0),
    crcErrors: z.number().int().min(0),
    bytesDiscarded: z.number().int().min(0),
    unknownFrames: z.number().int().min(0),
    sampleSetsLost: z.number().int().min(0),
    reconnects: z.number().int().min(0),
  }),
});

export const WatchStatusSchema = z.strictObject({
  kind: z.literal('watch'),
  address: z.string(),
  name: z.string(),
  state: z.enum([
    'disconnected',
    'connecting',
    'pairing',
    'paired',
    'streaming',
    'reconnecting',
    'out_of_range',
    'error',
  ]),
  message: z.string(),
  /** The patient the watch is bound to after a confirmed pairing. */
  patientId: UuidV7Schema.nullable(),
  batteryPct: z.number().min(0).max(100).nullable(),
  rssiDbm: z.number().nullable(),
  /** Standard Heart Rate Service only (no UART program). */
  hrsOnly: z.boolean(),
  simulated: z.boolean(),
  counters: z.strictObject({
    lines: z.number().int().min(0),
    badLines: z.number().int().min(0),
    lostLines: z.number().int().min(0),
    gaps: z.number().int().min(0),
    reconnects: z.number().int().min(0),
  }),
});

export const DeviceStatusSchema = z.discriminatedUnion('kind', [Ecg12StatusSchema, WatchStatusSchema]);
export type DeviceStatus = z.infer<typeof DeviceStatusSchema>;

export const FoundWatchSchema = z.strictObject({
  address: z.string(),
  name: z.string(),
  rssiDbm: z.number(),
  /** `uart`: Espruino Nordic UART (full streaming); `hrs`: standard Heart Rate Service only. */
  kind: z.enum(['uart', 'hrs']),
  simulated: z.boolean(),
});

export const RecordingStateSchema = z.strictObject({
  id: UuidV7Schema,
  patientId: UuidV7Schema,
  studyCode: z.string(),
  operator: OperatorSchema,
  devices: z.array(RecordingDeviceSchema),
  simulated: z.boolean(),
  startedAtMs: EpochMsSchema,
  endedAtMs: EpochMsSchema.nullable(),
  summary: RecordingSummarySchema.nullable(),
  /** `interrupted`: the gateway restarted while recording; staff continue it or stop it. */
  state: z.enum(['recording', 'interrupted', 'ended']),
  /** Why it ended: `stopped`, `gateway_restarted`, `gateway_closed`, … */
  endReason: z.string().nullable(),
  /** Set while capture is paused (disk quota or storage failure; resumes by itself). */
  suspended: z.string().nullable(),
  /** Set when staff voided the recording (kept, excluded from exports). */
  voidReason: z.string().nullable(),
  /** Chunks sealed into the upload queue so far (null when not being recorded now). */
  chunksSealed: z.number().int().min(0).nullable(),
});

/**
 * A batch of display samples: the 12 leads, filtered for display, in µV, starting at sample
 * `firstSampleIndex` of the run (time = runStartMs + index × 1000 / sampleRateHz).
 */
export const EcgBatchSchema = z.strictObject({
  deviceSerial: z.string(),
  simulated: z.boolean(),
  sampleRateHz: z.number().positive(),
  runStartMs: EpochMsSchema,
  firstSampleIndex: z.number().int().min(0),
  leads: z.array(LeadNameSchema),
  /** One array per lead, µV. */
  samplesUv: z.array(z.array(z.number())),
  /** Detected beats inside this batch. */
  beats: z.array(BeatRecordSchema),
  /** The display filter these samples went through (printed on the trace); absent from older gateways. */
  displayFilter: z
    .strictObject({
      highPassHz: z.number().positive(),
      lowPassHz: z.number().positive(),
      /** Mains notch centre, or null when no notch applies (e.g. 80 Hz: mains above Nyquist). */
      notchHz: z.number().positive().nullable(),
    })
    .optional(),
});

export const WatchBatchSchema = z.strictObject({
  address: z.string(),
  simulated: z.boolean(),
  hr: z.array(HrRecordSchema),
  accel: z.array(
    z.strictObject({ tMs: z.number(), xMg: z.number().int(), yMg: z.number().int(), zMg: z.number().int() }),
  ),
});

/** The local upload queue's counters. "Pending" counts what is not yet acked: waiting or being sent. */
export const QueueStatusSchema = z.strictObject({
  /** Chunks not yet acked (waiting or being sent). */
  pendingChunks: z.number().int().min(0),
  /** Bytes of all items not yet acked. */
  pendingBytes: z.number().int().min(0),
  /** Chunks the server rejected: kept, marked, shown to staff. */
  failedChunks: z.number().int().min(0),
  /** Creation time of the oldest item not yet acked. */
  oldestPendingAtMs: EpochMsSchema.nullable(),
  /** Live pages of the gateway database, bytes. */
  diskUsedBytes: z.number().int().min(0),
  diskQuotaBytes: z.number().int().min(0),
  /** Set when the quota stops new recording. */
  alarm: z.string().nullable(),
  /** Items of any kind (chunks and control messages) waiting to be sent. */
  pendingItems: z.number().int().min(0),
  /** Items being sent now. */
  sendingItems: z.number().int().min(0),
  /** Items of any kind the server rejected. */
  failedItems: z.number().int().min(0),
  /** Acked items still held (until their recording is verified and the retention has passed). */
  ackedRetainedItems: z.number().int().min(0),
  /** The most recent send error, in plain words, or null. */
  lastError: z.string().nullable(),
});

/**
 * The uploader's live state for the UI (`sync.status`, event `sync.changed`): what it is doing,
 * whether the server answers, and what is still waiting to be sent.
 */
export const SyncStatusSchema = z.strictObject({
  state: z.enum(['idle', 'uploading', 'offline', 'backing_off', 'unauthorized', 'not_enrolled']),
  serverUrl: z.string().nullable(),
  lastSuccessAtMs: EpochMsSchema.nullable(),
  /** The last failure in plain words ("server unreachable (connection refused)"); null after a success. */
  lastError: z.string().nullable(),
  nextAttemptAtMs: EpochMsSchema.nullable(),
  /** Items and bytes acknowledged by the server since the gateway started. */
  uploadedChunks: z.number().int().min(0),
  uploadedBytes: z.number().int().min(0),
  /** Whether the server answered its last contact (health probe or upload); null before the first. */
  reachable: z.boolean().nullable(),
  enrolled: z.boolean(),
  /** This gateway's name as enrolled (null when not enrolled). */
  gatewayName: z.string().nullable(),
  enrolledAtMs: EpochMsSchema.nullable(),
  /** Queue items (chunks and control messages) not yet acknowledged, and their bytes. */
  pendingItems: z.number().int().min(0),
  pendingBytes: z.number().int().min(0),
  oldestPendingAtMs: EpochMsSchema.nullable(),
  /** Items the server rejected (kept, marked; staff may retry them). */
  failedItems: z.number().int().min(0),
  /** Upload bandwidth cap, bytes/s; null = unlimited. */
  uploadCapBytesPerS: z.number().int().positive().nullable(),
});
export type SyncStatus = z.infer<typeof SyncStatusSchema>;

export const SettingsSchema = z.strictObject({
  serverUrl: z.url().nullable(),
  mainsHz: z.union([z.literal(50), z.literal(60)]),
  ecgSampleRateHz: z.union([z.literal(80), z.literal(250), z.literal(500), z.literal(1000)]),
  ecgChunkSeconds: z.number().int().min(5).max(MAX_ECG_CHUNK_SECONDS),
  /** Chunk length of the watch streams (the research group's protocol used 1 h). */
  watchChunkSeconds: z.number().int().min(5).max(3600).optional(),
  watchAccelHz: z.number().positive().max(100),
  watchPpg: z.boolean(),
  /** Display: mm/s and mm/mV. */
  sweepSpeedMmPerS: z.union([z.literal(12.5), z.literal(25), z.literal(50)]),
  gainMmPerMv: z.union([z.literal(5), z.literal(10), z.literal(20)]),
  diskQuotaBytes: z.number().int().min(10_000_000),
  operator: OperatorSchema.nullable(),
  // The uploader's settings are optional so that older settings files and clients stay valid;
  // absent means null (DEFAULT_SETTINGS in main/api/settings-store.ts sets them).
  /** PEM file of extra CA certificates the uploader trusts (a clinic's own CA); null = system roots only. */
  caBundlePath: z.string().trim().min(1).max(4096).nullable().optional(),
  /** HTTP(S) proxy for uploads, e.g. `http://proxy.clinic.local:3128`; null = direct. */
  proxyUrl: z
    .url({ protocol: /^https?$/, error: 'must be an http:// or https:// proxy URL' })
    .nullable()
    .optional(),
  /** Upload bandwidth cap while catching up, bytes/s (at least 1 kB/s); null = unlimited. */
  uploadCapBytesPerS: z.number().int().min(1000).nullable().optional(),
  /** Lock the desk screen after this many minutes without input; 0 = never. Default 5. */
  lockAfterMinutes: z.number().int().min(0).max(240).optional(),
});
export type Settings = z.infer<typeof SettingsSchema>;

/** An alarm that no longer applies (e.g. the quota has room again). */
export const AlarmClearedSchema = z.strictObject({ code: z.string(), atMs: EpochMsSchema });

export const AlarmSchema = z.strictObject({
  code: z.string(),
  severity: z.enum(['info', 'warning', 'critical']),
  message: z.string(),
  atMs: EpochMsSchema,
});

/** Paper of a PDF report (both printed landscape). */
export const PaperSizeSchema = z.enum(['A4', 'Letter']);

/** What staff ask for when they make a report. */
export const CreateReportSchema = z.strictObject({
  recordingId: UuidV7Schema,
  paper: PaperSizeSchema.default('A4'),
  /** Start of the 10-s strip, epoch ms; absent = the last 10 s of good-quality signal. */
  segmentStartMs: EpochMsSchema.optional(),
});

export const ReportInfoSchema = z.strictObject({
  id: UuidV7Schema,
  recordingId: UuidV7Schema,
  title: z.string(),
  createdAtMs: EpochMsSchema,
  simulated: z.boolean(),
  sizeBytes: z.number().int().min(0),
  paper: PaperSizeSchema,
  pageCount: z.number().int().min(1),
  /** Start of the printed 10-s strip; null when the recording has no ECG (no 12-lead page). */
  segmentStartMs: EpochMsSchema.nullable(),
  /** Who chose the strip: staff, the last 10 s of good signal, or (none good) the last 10 s. */
  segmentChosenBy: z.enum(['staff', 'good_signal', 'last_signal']).nullable(),
  /** Upload to the ingest server: queued, being sent, uploaded, or failed (kept; see `uploadError`). */
  upload: z.enum(['queued', 'sending', 'uploaded', 'failed']),
  uploadError: z.string().nullable(),
  /**
   * The gateway still holds the PDF (until its upload is acked, verified and past retention);
   * afterwards it is on the ingest server only.
   */
  pdfAvailable: z.boolean(),
});

/** A report's PDF for saving or printing at the desk: its file name and bytes (base64). */
export const ReportPdfSchema = z.strictObject({
  fileName: z.string().regex(/^[\w.-]+\.pdf$/),
  pdfBase64: z.base64(),
});

export { BeatRecordSchema, EventRecordSchema, LabelSchema, UuidV7Schema };

/** A PIN: 4 to 8 digits (the clinic sets one per operator, or none). */
export const PinSchema = z.string().regex(/^\d{4,8}$/, { error: 'a PIN is 4 to 8 digits' });

/** An operator of this gateway (kept locally; sent with recordings as the recording's operator). */
export const OperatorInfoSchema = z.strictObject({
  id: UuidV7Schema,
  name: LabelSchema,
  /** True when signing in (and unlocking) asks for this operator's PIN. */
  hasPin: z.boolean(),
});

/**
 * What the desk is set to, kept by the gateway so that a reload (or another tab) finds the same
 * operator and patient: who is signed in, the chosen patient, and whether the screen is locked.
 */
export const DeskSessionSchema = z.strictObject({
  operator: OperatorInfoSchema.nullable(),
  patientId: UuidV7Schema.nullable(),
  /** The screen is locked (inactivity or on request): only the PIN (or signing in) opens it. */
  locked: z.boolean(),
});
