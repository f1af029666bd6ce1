/**
 * The completeness check after a recording ends: once the server acknowledged the recording's end
 * message and every chunk of it left the queue, the server's chunk list (`chunks.list`) is read;
 * a chunk the server lacks that the gateway still holds is sent again (`queue.requeueChunk`); a
 * complete recording is marked verified, which lets the queue prune its acked bytes later.
 *
 * Recordings waiting for the check are kept in `sync_verify` (state `due`), so a restart does
 * not forget one. A recording whose holes cannot be filled from here (the chunk failed, or is no
 * longer held) is reported once and parked (`stuck`) until another of its items is acked.
 */
import type { Statement } from 'better-sqlite3';
import type { z } from 'zod';
import type { RecordingChunksSchema } from '../../server-contract/api/recordings.js';
import type { GatewayDatabase } from '../queue/database.js';
import type { UploadQueue } from '../queue/upload-queue.js';
import type { QueueItem } from '../queue/types.js';

export type RecordingChunks = z.output<typeof RecordingChunksSchema>;

/** What one check found. */
export interface CheckOutcome {
  recordingId: string;
  complete: boolean;
  /** Chunks sent again because the server lacks them. */
  requeued: number;
  /** Holes this gateway cannot fill (failed or no longer held), as "stream/index". */
  unfillable: string[];
}

type QueueView = Pick<UploadQueue, 'itemsOfRecording' | 'requeueChunk' | 'markRecordingVerified'>;

/** Upper bound of indexes requeued per check (a server that lost everything is refilled in rounds). */
const MAX_REQUEUE_PER_CHECK = 10_000;

export class BacklogCheck {
  private readonly statements = new Map<string, Statement>();

  constructor(
    private readonly db: GatewayDatabase,
    private readonly queue: QueueView,
    private readonly nowMs: () => number,
  ) {}

  /** A prepared statement, prepared once (this runs after every ack). */
  private sql(text: string): Statement {
    let statement = this.statements.get(text);
    if (statement === undefined) this.statements.set(text, (statement = this.db.prepare(text)));
    return statement;
  }

  /** Call after every ack: an acked end message queues the check; any ack of a parked recording retries it. */
  noteAcked(item: Pick<QueueItem, 'route' | 'recordingId'>): void {
    if (item.recordingId === null) return;
    if (item.route === 'recordings.end') {
      this.sql(
        `INSERT INTO sync_verify (recording_id, state, updated_at_ms) VALUES (?, 'due', ?)
         ON CONFLICT (recording_id) DO UPDATE SET state = 'due', updated_at_ms = excluded.updated_at_ms`,
      ).run(item.recordingId, this.nowMs());
      return;
    }
    // Almost every ack is of a recording that is not parked: a read, no write.
    if (
      this.sql("SELECT 1 FROM sync_verify WHERE recording_id = ? AND state = 'parked'").get(item.recordingId)
    )
      this.sql("UPDATE sync_verify SET state = 'due', updated_at_ms = ? WHERE recording_id = ?").run(
        this.nowMs(),
        item.recordingId,
      );
  }

  /** Recordings whose check is due: end acked, no chunk of theirs waiting or being sent. */
  due(): string[] {
    const rows = this.sql(
      "SELECT recording_id FROM sync_verify WHERE state = 'due' ORDER BY updated_at_ms, recording_id",
    ).all() as { recording_id: string }[];
    return rows
      .map((row) => row.recording_id)
      .filter((id) =>
        this.queue
          .itemsOfRecording(id)
          .every((i) => i.kind !== 'chunk' || i.state === 'acked' || i.state === 'failed'),
      );
  }

  /** Applies the server's chunk list of one recording. */
  apply(list: RecordingChunks): CheckOutcome {
    const recordingId = list.recordingId;
    const outcome: CheckOutcome = { recordingId, complete: list.complete, requeued: 0, unfillable: [] };
    if (list.complete) {
      this.queue.markRecordingVerified(recordingId);
      this.sql('DELETE FROM sync_verify WHERE recording_id = ?').run(recordingId);
      return outcome;
    }
    const local = new Map<string, Pick<QueueItem, 'state'>>();
    for (const item of this.queue.itemsOfRecording(recordingId)) {
      if (item.kind === 'chunk') local.set(`${item.stream}/${item.chunkIndex}`, item);
    }
    for (const stream of list.streams) {
      for (const [first, last] of stream.missing) {
        for (let index = first; index <= last && outcome.requeued < MAX_REQUEUE_PER_CHECK; index++) {
          const key = `${stream.stream}/${index}`;
          const held = local.get(key);
          if (held?.state === 'acked' && this.queue.requeueChunk(recordingId, stream.stream, index))
            outcome.requeued++;
          else if (held?.state !== 'pending' && held?.state !== 'sending') outcome.unfillable.push(key);
        }
      }
    }
    if (outcome.requeued === 0) this.park(recordingId);
    return outcome;
  }

  /** Parks a recording whose holes cannot be filled from here until another of its items is acked. */
  private park(recordingId: string): void {
    this.sql("UPDATE sync_verify SET state = 'parked', updated_at_ms = ? WHERE recording_id = ?").run(
      this.nowMs(),
      recordingId,
    );
  }
}
