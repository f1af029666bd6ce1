/**
 * The queue's counters for the UI and the disk quota. Disk use is the database's live pages
 * (page count − free pages, × page size): space freed by pruning counts as free at once, since
 * SQLite reuses it, even though the file does not shrink.
 */
import type { GatewayDatabase } from './database.js';
import type { QueueStatus } from './types.js';

interface CountRow {
  state: string;
  kind: string;
  n: number;
  bytes: number;
}

const MB = 1_000_000;

/** Bytes of the database's live pages. */
export function liveBytes(db: GatewayDatabase): number {
  const pages = db.pragma('page_count', { simple: true }) as number;
  const free = db.pragma('freelist_count', { simple: true }) as number;
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  return (pages - free) * pageSize;
}

/** A quota setting as a byte count: anything that is not a finite non-negative number counts as 0. */
export function quotaOf(quotaBytes: () => number): number {
  const value = quotaBytes();
  return Number.isFinite(value) && value >= 0 ? Math.floor(value) : 0;
}

/** The alarm shown to staff when the quota is reached, or null. */
export function quotaAlarm(usedBytes: number, quotaBytes: number): string | null {
  if (usedBytes < quotaBytes) return null;
  return (
    `Disk quota reached: the gateway holds ${(usedBytes / MB).toFixed(1)} MB of its ` +
    `${(quotaBytes / MB).toFixed(1)} MB. Recording is stopped and nothing was deleted; connect the ` +
    `gateway to the server so the backlog uploads, or raise the quota in Settings.`
  );
}

/** The counters (from `queue_counts`, kept by triggers; no item rows or chunk bytes are read). */
export function readStatus(db: GatewayDatabase, quotaBytes: number): QueueStatus {
  const rows = db.prepare('SELECT state, kind, n, bytes FROM queue_counts').all() as CountRow[];
  const sum = (keep: (r: CountRow) => boolean, take: (r: CountRow) => number): number =>
    rows.filter(keep).reduce((total, r) => total + take(r), 0);
  const open = (r: CountRow): boolean => r.state === 'pending' || r.state === 'sending';
  const { oldest } = db
    .prepare(
      `SELECT MIN(created_at_ms) AS oldest FROM queue_items INDEXED BY queue_items_open_age
       WHERE state IN ('pending', 'sending')`,
    )
    .get() as { oldest: number | null };
  const latest = db.prepare('SELECT outcome, detail FROM queue_audit ORDER BY id DESC LIMIT 1').get() as
    { outcome: string; detail: string | null } | undefined;
  const usedBytes = liveBytes(db);
  return {
    pendingChunks: sum(
      (r) => open(r) && r.kind === 'chunk',
      (r) => r.n,
    ),
    pendingBytes: sum(open, (r) => r.bytes),
    failedChunks: sum(
      (r) => r.state === 'failed' && r.kind === 'chunk',
      (r) => r.n,
    ),
    oldestPendingAtMs: oldest,
    diskUsedBytes: usedBytes,
    diskQuotaBytes: quotaBytes,
    alarm: quotaAlarm(usedBytes, quotaBytes),
    pendingItems: sum(
      (r) => r.state === 'pending',
      (r) => r.n,
    ),
    sendingItems: sum(
      (r) => r.state === 'sending',
      (r) => r.n,
    ),
    failedItems: sum(
      (r) => r.state === 'failed',
      (r) => r.n,
    ),
    ackedRetainedItems: sum(
      (r) => r.state === 'acked',
      (r) => r.n,
    ),
    lastError:
      latest !== undefined && (latest.outcome === 'retry' || latest.outcome === 'rejected')
        ? latest.detail
        : null,
  };
}
