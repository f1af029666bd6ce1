/**
 * The local store-and-forward queue's items and status: what the recorder puts in and the
 * uploader (`main/sync/`) takes out. The queue itself is `upload-queue.ts`; its storage is the
 * gateway database (`database.ts`).
 *
 * An item is either a sealed **chunk** (the contract codec's bytes, sent as they are, never
 * re-encoded) or a **control** message (a JSON request of the ingest API: patient, recording
 * start/end, corrections, report, error report). Items move pending → sending → acked, or to
 * failed (the server rejected them: kept, marked, reported, never deleted); a transient failure
 * puts the item back to pending with a later `nextAttemptAtMs`.
 */
import type { z } from 'zod';
import type { QueueStatusSchema } from '../../preload/schemas.js';
import type { routes } from '../../server-contract/api/routes.js';

/** Lower is sent first (the clinic's scheme: session start 1, reports 2, session end 3, waveforms 5, metrics 7). */
export const PRIORITY = {
  /** Patients, recording start, reassign/void corrections. */
  control: 1,
  report: 2,
  recordingEnd: 3,
  errorReport: 4,
  /** Records streams: beats, measurements, events, hr, battery. */
  records: 5,
  /** Sampled streams: ecg, accel, ppg. */
  samples: 6,
} as const;

export type QueueItemState = 'pending' | 'sending' | 'acked' | 'failed';

/** Routes of the ingest API a control message may call (JSON or multipart body). */
export type ControlRoute = Extract<
  keyof typeof routes,
  | 'patients.create'
  | 'patients.update'
  | 'recordings.create'
  | 'recordings.end'
  | 'recordings.reassign'
  | 'recordings.void'
  | 'reports.upload'
  | 'errorReports.create'
>;

/** Every control route, for validating stored rows (the type check keeps it equal to ControlRoute). */
export const CONTROL_ROUTES = [
  'patients.create',
  'patients.update',
  'recordings.create',
  'recordings.end',
  'recordings.reassign',
  'recordings.void',
  'reports.upload',
  'errorReports.create',
] as const satisfies readonly ControlRoute[];
type MissingControlRoute = Exclude<ControlRoute, (typeof CONTROL_ROUTES)[number]>;
// Fails to compile when a control route is missing from CONTROL_ROUTES.
const _allControlRoutesListed: [MissingControlRoute] extends [never] ? true : never = true;

/** What the recorder enqueues. */
export type EnqueueInput =
  | {
      kind: 'chunk';
      recordingId: string;
      stream: string;
      chunkIndex: number;
      /** The encoded chunk (contract codec). */
      bytes: Uint8Array;
      priority: number;
      /** Item that must be acked (or failed) before this one is sent, e.g. the recording's start. */
      afterId?: number | null;
    }
  | {
      kind: 'control';
      route: ControlRoute;
      /** Path parameters of the route, e.g. `{ recordingId }`. */
      params?: Record<string, string>;
      /** The JSON body (for `reports.upload`: the metadata). */
      body: unknown;
      /** `reports.upload` only: the PDF bytes. */
      file?: Uint8Array;
      recordingId?: string | null;
      priority: number;
      afterId?: number | null;
    };

/** An item as stored. Items with the same `orderKey` are sent strictly in enqueue order. */
export interface QueueItem {
  id: number;
  kind: 'chunk' | 'control';
  /** `chunk` for chunks, else the control route. */
  route: 'chunk' | ControlRoute;
  /** Chunks: `<recordingId>/<stream>`; control messages: `control`. */
  orderKey: string;
  recordingId: string | null;
  stream: string | null;
  chunkIndex: number | null;
  params: Record<string, string>;
  /** Control: the parsed JSON body; chunks: null. */
  body: unknown;
  /** Chunks: the encoded bytes; `reports.upload`: the PDF; else null. */
  bytes: Uint8Array | null;
  /** SHA-256 (hex) of `bytes` (chunks and files), computed once at enqueue. */
  sha256: string | null;
  sizeBytes: number;
  priority: number;
  state: QueueItemState;
  attempts: number;
  createdAtMs: number;
  nextAttemptAtMs: number;
  lastError: string | null;
  ackedAtMs: number | null;
}

/** One line of the send audit (the clinic's software kept the last 100 uploads; we keep more). */
export interface QueueAuditEntry {
  itemId: number;
  route: QueueItem['route'];
  recordingId: string | null;
  stream: string | null;
  chunkIndex: number | null;
  sizeBytes: number;
  atMs: number;
  /** `requeued`: staff's "retry failed", or an acked chunk the server's list lacks, back to pending. */
  outcome: 'acked' | 'duplicate' | 'retry' | 'rejected' | 'requeued';
  /** HTTP status when there was a response. */
  status: number | null;
  detail: string | null;
}

/** The queue's counters for the UI (`queue.status`, `queue.changed`). */
export type QueueStatus = z.infer<typeof QueueStatusSchema>;
