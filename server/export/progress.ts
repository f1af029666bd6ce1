/**
 * Progress of running exports, for `GET /v1/exports/:exportId/progress`. Kept in this server
 * process (the replica streaming the export is the one that knows); entries stay an hour after
 * they end, at most `MAX_ENTRIES`, oldest dropped first. Only the caller who started an export
 * can read its progress.
 */
import type { ExportFormat, ExportProgress } from '../../server-contract/api/index.js';

const KEEP_AFTER_END_MS = 3_600_000;
const MAX_ENTRIES = 1_000;

interface Tracked {
  ownerId: string;
  progress: ExportProgress;
}

/** One export's counters; the route wraps the response body with {@link ExportTracker.track}. */
export class ExportTracker {
  constructor(
    private readonly tracked: Tracked,
    private readonly now: () => number,
  ) {}

  /** Adds units done (ECG frames, or rows). */
  advance(units: number): void {
    const p = this.tracked.progress;
    p.unitsDone += units;
    p.fractionDone = p.unitsTotal === 0 ? 0 : Math.min(1, p.unitsDone / p.unitsTotal);
  }

  /** Passes the body through, counting bytes, and records how it ended. */
  async *track(body: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    const p = this.tracked.progress;
    try {
      for await (const piece of body) {
        p.bytesSent += piece.length;
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
    }
  }
}

export class ExportProgressRegistry {
  private readonly exports = new Map<string, Tracked>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Starts tracking; an id already in use is refused (the caller picks another). */
  start(
    exportId: string,
    ownerId: string,
    format: ExportFormat,
    unitsTotal: number,
  ): ExportTracker | undefined {
    this.prune();
    if (this.exports.has(exportId)) return undefined;
    const tracked: Tracked = {
      ownerId,
      progress: {
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
      },
    };
    this.exports.set(exportId, tracked);
    return new ExportTracker(tracked, this.now);
  }

  /** The progress of `exportId` if `ownerId` started it. */
  get(exportId: string, ownerId: string): ExportProgress | undefined {
    const t = this.exports.get(exportId);
    return t?.ownerId === ownerId ? { ...t.progress } : undefined;
  }

  private prune(): void {
    const cutoff = this.now() - KEEP_AFTER_END_MS;
    for (const [id, t] of this.exports) {
      if (t.progress.finishedAtMs !== null && t.progress.finishedAtMs < cutoff) this.exports.delete(id);
    }
    while (this.exports.size >= MAX_ENTRIES) {
      const oldest = this.exports.keys().next().value;
      if (oldest === undefined) break;
      this.exports.delete(oldest);
    }
  }
}
