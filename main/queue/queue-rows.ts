/**
 * Rows of the queue's tables read back into items and audit entries. Every row is validated: a row
 * damaged on disk (or edited by hand) gives QueueError('corrupt_item') naming the item, never a
 * wrong item sent to the server; the rest of the queue keeps working.
 */
import { z } from 'zod';
import { QueueError } from './queue-errors.js';
import { sha256Hex } from './enqueue-input.js';
import { CONTROL_ROUTES, type QueueAuditEntry, type QueueItem } from './types.js';

/** Columns of `queue_items` listed in every item query (never the bytes). */
export const ITEM_COLUMNS =
  'id, kind, route, order_key, recording_id, stream, chunk_index, params_json, body_json, sha256, ' +
  'size_bytes, priority, after_id, state, attempts, created_at_ms, next_attempt_at_ms, last_error, ' +
  'last_status, acked_at_ms';

const int = z.number().int();
const ItemRowSchema = z
  .object({
    id: int.positive(),
    kind: z.enum(['chunk', 'control']),
    route: z.enum(['chunk', ...CONTROL_ROUTES]),
    order_key: z.string().min(1),
    recording_id: z.string().nullable(),
    stream: z.string().nullable(),
    chunk_index: int.min(0).nullable(),
    params_json: z.string(),
    body_json: z.string().nullable(),
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .nullable(),
    size_bytes: int.min(0),
    priority: int,
    after_id: int.positive().nullable(),
    state: z.enum(['pending', 'sending', 'acked', 'failed']),
    attempts: int.min(0),
    created_at_ms: int,
    next_attempt_at_ms: int,
    last_error: z.string().nullable(),
    last_status: int.nullable(),
    acked_at_ms: int.nullable(),
  })
  .refine(
    (r) =>
      r.kind === 'chunk'
        ? r.route === 'chunk' &&
          r.recording_id !== null &&
          r.stream !== null &&
          r.chunk_index !== null &&
          r.sha256 !== null &&
          r.order_key === `${r.recording_id}/${r.stream}`
        : r.route !== 'chunk' && r.order_key === 'control' && r.body_json !== null,
    'kind, route, order key and chunk fields disagree',
  );
type ItemRow = z.infer<typeof ItemRowSchema>;

const ParamsSchema = z.record(z.string(), z.string());

function corrupt(id: unknown, detail: string): QueueError {
  return new QueueError(
    'corrupt_item',
    `Queue item ${typeof id === 'number' ? id : '(unknown id)'} is damaged in the gateway database ` +
      `(${detail}); it is kept as it is and not sent.`,
  );
}

function parseJson(id: number, column: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw corrupt(id, `${column} is not JSON`);
  }
}

function validRow(raw: unknown): ItemRow {
  const parsed = ItemRowSchema.safeParse(raw);
  if (!parsed.success) {
    const id = (raw as { id?: unknown } | undefined)?.id;
    throw corrupt(id, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  }
  return parsed.data;
}

/** An item without its bytes and body (what listings return). */
export function itemSummaryFromRow(raw: unknown): Omit<QueueItem, 'bytes' | 'body'> {
  const r = validRow(raw);
  const params = ParamsSchema.safeParse(parseJson(r.id, 'params', r.params_json));
  if (!params.success) throw corrupt(r.id, 'params are not a map of strings');
  return {
    id: r.id,
    kind: r.kind,
    route: r.route,
    orderKey: r.order_key,
    recordingId: r.recording_id,
    stream: r.stream,
    chunkIndex: r.chunk_index,
    params: params.data,
    sha256: r.sha256,
    sizeBytes: r.size_bytes,
    priority: r.priority,
    state: r.state,
    attempts: r.attempts,
    createdAtMs: r.created_at_ms,
    nextAttemptAtMs: r.next_attempt_at_ms,
    lastError: r.last_error,
    ackedAtMs: r.acked_at_ms,
  };
}

/**
 * A whole item: the row plus its bytes, checked against the SHA-256 taken at enqueue, so bytes
 * damaged on disk are never sent as if they were the chunk.
 */
export function itemFromRow(raw: unknown, bytes: Uint8Array | undefined): QueueItem {
  const summary = itemSummaryFromRow(raw);
  const row = raw as { body_json: string | null };
  const body =
    row.body_json === null || summary.kind === 'chunk' ? null : parseJson(summary.id, 'body', row.body_json);
  if (summary.sha256 === null) {
    if (bytes !== undefined) throw corrupt(summary.id, 'it has bytes but no SHA-256');
    return { ...summary, body, bytes: null };
  }
  if (bytes === undefined) throw corrupt(summary.id, 'its bytes are missing');
  if (sha256Hex(bytes) !== summary.sha256)
    throw corrupt(summary.id, 'its bytes no longer match their SHA-256');
  return { ...summary, body, bytes };
}

const OUTCOMES = ['acked', 'duplicate', 'retry', 'rejected', 'requeued'] as const;
const AuditRowSchema = z.object({
  item_id: int.positive(),
  route: z.enum(['chunk', ...CONTROL_ROUTES]),
  recording_id: z.string().nullable(),
  stream: z.string().nullable(),
  chunk_index: int.nullable(),
  size_bytes: int.min(0),
  at_ms: int,
  outcome: z.enum(OUTCOMES),
  status: int.nullable(),
  detail: z.string().nullable(),
});

/** An audit row read back; a damaged one names its item. */
export function auditFromRow(raw: unknown): QueueAuditEntry {
  const parsed = AuditRowSchema.safeParse(raw);
  if (!parsed.success) {
    throw new QueueError(
      'corrupt_item',
      `An audit entry of queue item ${String((raw as { item_id?: unknown }).item_id)} is damaged in the gateway database.`,
    );
  }
  const r = parsed.data;
  return {
    itemId: r.item_id,
    route: r.route,
    recordingId: r.recording_id,
    stream: r.stream,
    chunkIndex: r.chunk_index,
    sizeBytes: r.size_bytes,
    atMs: r.at_ms,
    outcome: r.outcome,
    status: r.status,
    detail: r.detail,
  };
}
