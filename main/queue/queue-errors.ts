/** Errors of the upload queue, with stable codes the recorder, the uploader and the UI act on. */
import { storageFailure } from './database-errors.js';

export type QueueErrorCode =
  /** SQLite reported SQLITE_FULL; the operation was rolled back whole. */
  | 'disk_full'
  /** SQLite reported an I/O error; the operation was rolled back whole. */
  | 'disk_error'
  /** SQLite found the database file damaged while using it. */
  | 'database_damaged'
  /** No item with that id (or the `afterId` was never assigned). */
  | 'not_found'
  /** The input to `enqueue` is malformed; nothing was stored. */
  | 'invalid_item'
  /** The item is not in the state the call needs (e.g. `markAcked` of an item not being sent). */
  | 'invalid_state'
  /** A stored row failed validation when read back; it is kept and named in the message. */
  | 'corrupt_item'
  /** A chunk with the same (recording, stream, index) but different bytes is already queued. */
  | 'chunk_conflict';

/** An error of the upload queue; `code` is stable, the message is for people. */
export class QueueError extends Error {
  override readonly name = 'QueueError';

  constructor(
    readonly code: QueueErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Runs a queue operation, turning SQLite's storage failures into QueueErrors saying what to do. */
export function guardStorage<T>(doing: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof QueueError) throw error;
    const detail = error instanceof Error ? error.message : String(error);
    switch (storageFailure(error)) {
      case 'disk_full':
        throw new QueueError(
          'disk_full',
          `The disk holding the upload queue is full (${doing}): nothing was written. Free disk space or ` +
            `lower the data kept; recording cannot continue until there is room.`,
          { cause: error },
        );
      case 'disk_error':
        throw new QueueError(
          'disk_error',
          `The disk failed while ${doing} (${detail}): nothing was half-written. Check the disk.`,
          { cause: error },
        );
      case 'database_damaged':
        throw new QueueError(
          'database_damaged',
          `The gateway database is damaged (${detail}) while ${doing}: stop the gateway and ask IT to ` +
            `copy the data folder before anything else.`,
          { cause: error },
        );
      default:
        throw error;
    }
  }
}
