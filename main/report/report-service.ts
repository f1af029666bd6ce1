/**
 * Makes a recording's PDF report on the gateway and queues it for upload like any other item:
 * the report's row and its `reports.upload` queue item (metadata + PDF) are written in one
 * transaction, after the recording's own start message (`afterId`), so the server knows the
 * recording when the report arrives. Lists a recording's reports with their upload state, read
 * from the queue item (an item pruned after its ack is `uploaded`).
 */
import { createHash } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod';
import type { ReportInfoSchema } from '../../preload/schemas.js';
import type { GatewayDatabase } from '../queue/database.js';
import { PRIORITY } from '../queue/types.js';
import type { UploadQueue } from '../queue/upload-queue.js';
import { buildModel, type ReportSource } from './build-model.js';
import { RecordingChunks } from './recording-chunks.js';
import { ReportError } from './report-errors.js';
import type { Paper } from './report-layout.js';
import { renderReport } from './render-report.js';

export type ReportInfo = z.infer<typeof ReportInfoSchema>;

/** The recording as the API layer finds it, plus what the report checks before it starts. */
export interface ReportRecording extends Omit<ReportSource, 'endedAtMs'> {
  state: 'recording' | 'interrupted' | 'ended';
  endedAtMs: number | null;
  voidReason: string | null;
  /** Chunks the recorder sealed per stream. */
  sealedChunks: Record<string, number>;
  /** The queue item of the recording's start message (the report is sent after it). */
  createItemId: number | null;
}

export interface ReportServiceOptions {
  db: GatewayDatabase;
  queue: UploadQueue;
  softwareVersion: string;
  now?: () => number;
}

interface ReportRow {
  id: string;
  recording_id: string;
  created_at_ms: number;
  title: string;
  paper: Paper;
  page_count: number;
  segment_start_ms: number | null;
  segment_chosen_by: ReportInfo['segmentChosenBy'];
  simulated: number;
  size_bytes: number;
  queue_item_id: number;
}

/** See the file comment. */
export class ReportService {
  private readonly now: () => number;

  constructor(private readonly options: ReportServiceOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Makes, stores and queues the report; a recording that cannot be reported is a ReportError. */
  async create(
    recording: ReportRecording,
    request: { paper: Paper; segmentStartMs?: number },
  ): Promise<ReportInfo> {
    if (recording.voidReason !== null)
      throw new ReportError(
        'recording_voided',
        `Recording ${recording.studyCode} was voided (${recording.voidReason}): no report is made of it.`,
      );
    if (recording.state !== 'ended' || recording.endedAtMs === null)
      throw new ReportError(
        'recording_open',
        `Recording ${recording.studyCode} is still open: stop it before making its report.`,
      );
    const chunks = RecordingChunks.open(this.options.queue, recording.recordingId, recording.sealedChunks);
    if (chunks.ecg.length === 0 && request.segmentStartMs !== undefined)
      throw new ReportError(
        'segment_out_of_range',
        'This recording has no ECG: there is no segment to choose; leave the start empty.',
      );
    await yieldToLoop();
    const id = uuidv7();
    const createdAtMs = Math.round(this.now());
    const model = buildModel({ ...recording, endedAtMs: recording.endedAtMs }, chunks, {
      reportId: id,
      paper: request.paper,
      createdAtMs,
      softwareVersion: this.options.softwareVersion,
      ...(request.segmentStartMs === undefined ? {} : { segmentStartMs: request.segmentStartMs }),
    });
    await yieldToLoop();
    const pdf = await renderReport(model);
    const sha256 = createHash('sha256').update(pdf.bytes).digest('hex');
    const title = model.title.slice(0, 200);
    this.options.db.transaction(() => {
      const item = this.options.queue.enqueue({
        kind: 'control',
        route: 'reports.upload',
        body: {
          id,
          recordingId: recording.recordingId,
          kind: model.strip === null ? 'summary' : 'resting_12_lead',
          createdAtMs,
          title,
          simulated: recording.simulated,
        },
        file: pdf.bytes,
        recordingId: recording.recordingId,
        priority: PRIORITY.report,
        afterId: recording.createItemId,
      });
      this.options.db
        .prepare(
          `INSERT INTO reports (id, recording_id, created_at_ms, title, paper, page_count, segment_start_ms,
             segment_chosen_by, simulated, size_bytes, sha256, queue_item_id)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          id,
          recording.recordingId,
          createdAtMs,
          title,
          request.paper,
          pdf.pageCount,
          model.strip === null ? null : Math.round(model.strip.startMs),
          model.strip?.chosenBy ?? null,
          recording.simulated ? 1 : 0,
          pdf.bytes.length,
          sha256,
          item.id,
        );
    })();
    return this.get(id);
  }

  /** Reports of one recording (or all), newest first, with their upload state. */
  list(recordingId?: string, limit = 200): ReportInfo[] {
    const rows = (
      recordingId === undefined
        ? this.options.db
            .prepare('SELECT * FROM reports ORDER BY created_at_ms DESC, id DESC LIMIT ?')
            .all(limit)
        : this.options.db
            .prepare(
              'SELECT * FROM reports WHERE recording_id = ? ORDER BY created_at_ms DESC, id DESC LIMIT ?',
            )
            .all(recordingId, limit)
    ) as ReportRow[];
    const states = this.options.queue.itemStates(rows.map((r) => r.queue_item_id));
    return rows.map((row) => toInfo(row, states.get(row.queue_item_id)));
  }

  /** The stored PDF of a report while its queue item holds it (until pruned after upload), or null. */
  pdf(reportId: string): Uint8Array | null {
    const row = this.options.db.prepare('SELECT queue_item_id FROM reports WHERE id = ?').get(reportId) as
      { queue_item_id: number } | undefined;
    if (row === undefined) return null;
    if (!this.options.queue.itemStates([row.queue_item_id]).has(row.queue_item_id)) return null;
    return this.options.queue.get(row.queue_item_id).bytes;
  }

  /** What the gateway knows of a report, or undefined for an id it never made. */
  find(reportId: string): ReportInfo | undefined {
    const row = this.options.db.prepare('SELECT id FROM reports WHERE id = ?').get(reportId);
    return row === undefined ? undefined : this.get(reportId);
  }

  private get(id: string): ReportInfo {
    const row = this.options.db.prepare('SELECT * FROM reports WHERE id = ?').get(id) as ReportRow;
    return toInfo(row, this.options.queue.itemStates([row.queue_item_id]).get(row.queue_item_id));
  }
}

/**
 * Lets the event loop run (device data, the UI) between the report's phases: a report costs
 * about a second or two of CPU, done on the gateway's own thread.
 */
function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

const UPLOAD: Record<string, ReportInfo['upload']> = {
  pending: 'queued',
  sending: 'sending',
  acked: 'uploaded',
  failed: 'failed',
};

function toInfo(row: ReportRow, item: { state: string; lastError: string | null } | undefined): ReportInfo {
  return {
    id: row.id,
    recordingId: row.recording_id,
    title: row.title,
    createdAtMs: row.created_at_ms,
    simulated: row.simulated === 1,
    sizeBytes: row.size_bytes,
    paper: row.paper,
    pageCount: row.page_count,
    segmentStartMs: row.segment_start_ms,
    segmentChosenBy: row.segment_chosen_by,
    // an item pruned from the queue was acked first (only acked items are pruned)
    upload: item === undefined ? 'uploaded' : (UPLOAD[item.state] ?? 'queued'),
    uploadError: item?.state === 'failed' || item?.state === 'pending' ? item.lastError : null,
    pdfAvailable: item !== undefined,
  };
}
