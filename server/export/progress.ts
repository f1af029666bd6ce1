/**
 * Progress of running exports, for `GET /v1/exports/:exportId/progress`. Kept in the database
 * (table `export_progress`), so that the progress poll may land on any replica while another one
 * streams the export: the streaming replica writes it at the start, at most once a second while
 * bytes flow, and at the end (before the last byte reaches the client, so a poll after the
 * download says `done`). Entries are dropped an hour after they end. Only the caller who started
 * an export can read its progress.
 */
import type { ExportFormat, ExportProgress } from '../../server-contract/api/index.js';
import type { SharedStateTables } from '../store/shared-state-tables.js';

const KEEP_AFTER_END_MS = 3_600_000;
/** Longest a poll from another replica lags the streaming one while bytes flow. */
export const EXPORT_PROGRESS_WRITE_EVERY_MS = 1_000;

/** One export's counters; the route wraps the response body with {@link ExportTracker.track}. */
export class ExportTracker {
  private lastWriteMs: number;

  constructor(
    private readonly progress: ExportProgress,
    private readonly tables: SharedStateTables,
    private readonly now: () => number,
  ) {
    this.lastWriteMs = now();
  }

  /** Adds units done (ECG frames, or rows). */
  advance(units: number): void {
    const p = this.progress;
    p.unitsDone += units;
    p.fractionDone = p.unitsTotal === 0 ? 0 : Math.min(1, p.unitsDone / p.unitsTotal);
  }

  /** Passes the body through, counting bytes, and records how it ended. */
  async *track(body: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    const p = this.progress;
    try {
      for await (const piece of body) {
        p.bytesSent += piece.length;
        if (this.now() - this.lastWriteMs >= EXPORT_PROGRESS_WRITE_EVERY_MS) await this.write();
        yield piece;
      }
      p.state = 'done';
      p.fractionDone = 1;
    } catch (error) {
      p.state = 'failed';
      p.error =
        error instanceof Error && 'code' in error ? error.message : 'the export stopped on a server error';
      throw error;
    } finally {
      if (p.state === 'running') {
        p.state = 'failed';
        p.error = 'the download was closed before the end';
      }
      p.finishedAtMs = this.now();
      await this.write();
    }
  }

  /** Progress is advisory: a failed write (database briefly away) must not break the download. */
  private async write(): Promise<void> {
    this.lastWriteMs = this.now();
    try {
      await this.tables.updateExport({ ...this.progress });
    } catch {
      // The next write, or the final one, carries the counters again.
    }
  }
}

export class ExportProgressRegistry {
  constructor(
    private readonly tables: SharedStateTables,
    private readonly now: () => number = Date.now,
  ) {}

  /** Starts tracking; an id already in use is refused (undefined: the caller picks another). */
  async start(
    exportId: string,
    ownerId: string,
    format: ExportFormat,
    unitsTotal: number,
  ): Promise<ExportTracker | undefined> {
    const progress: ExportProgress = {
      exportId,
      format,
      state: 'running',
      fractionDone: 0,
      unitsDone: 0,
      unitsTotal,
      bytesSent: 0,
      startedAtMs: this.now(),
      finishedAtMs: null,
      error: null,
    };
    const started = await this.tables.startExport(ownerId, progress, this.now() - KEEP_AFTER_END_MS);
    return started ? new ExportTracker(progress, this.tables, this.now) : undefined;
  }

  /** The progress of `exportId` if `ownerId` started it. */
  async get(exportId: string, ownerId: string): Promise<ExportProgress | undefined> {
    const stored = await this.tables.getExport(exportId);
    return stored?.ownerId === ownerId ? stored.progress : undefined;
  }
}
