/**
 * Building blocks shared by every schema of the ingest API and the gateway API: ids, times,
 * pagination, the error shape and its stable codes.
 */
import { z } from 'zod';

/** UUID v7 (RFC 9562): time-ordered ids generated on the gateway, so everything works offline. */
export const UuidV7Schema = z
  .string()
  .regex(
    /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    'must be a lowercase UUID v7',
  );
export type UuidV7 = z.infer<typeof UuidV7Schema>;

/** Any RFC 9562 UUID (lowercase), for ids this API does not mint itself. */
export const UuidSchema = z
  .string()
  .regex(
    /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    'must be a lowercase UUID',
  );

/** UTC time as integer milliseconds since the Unix epoch (1970 … 2200). */
export const EpochMsSchema = z.number().int().min(0).max(7_258_118_400_000);
export type EpochMs = z.infer<typeof EpochMsSchema>;

/** A query-string epoch-ms value (strings are coerced). */
export const EpochMsQuerySchema = z.coerce.number().int().min(0).max(7_258_118_400_000);

/** A lowercase hex SHA-256 digest. */
export const Sha256HexSchema = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits');

/** Names of a recording's streams (DESIGN.md "Data model and flow"). */
export const StreamNameSchema = z.enum([
  'ecg',
  'beats',
  'measurements',
  'events',
  'hr',
  'accel',
  'ppg',
  'battery',
]);
export type StreamName = z.infer<typeof StreamNameSchema>;

/** Streams sealed as *sampled* chunks (fixed-rate integer channels); the rest are *records* chunks. */
export const SAMPLED_STREAMS: readonly StreamName[] = ['ecg', 'accel', 'ppg'];

/** Short free text (names, labels): trimmed, no control characters. */
export const LabelSchema = z
  .string()
  .trim()
  .min(1)
  .max(120)
  .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters');

/** Pagination query: `limit` (1–500, default 50) and the opaque `cursor` of the previous page. */
export const PageQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
});

/** A page of items and the cursor of the next page (null on the last page). */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.strictObject({ items: z.array(item), nextCursor: z.string().nullable() });
}

/** Stable machine-readable error codes; messages are for people and may change. */
export const ErrorCodeSchema = z.enum([
  'validation_failed',
  'unauthorized',
  'token_expired',
  'forbidden',
  'account_locked',
  'not_found',
  'method_not_allowed',
  'gone',
  'conflict',
  'study_code_taken',
  'chunk_hash_mismatch',
  'chunk_corrupt',
  'chunk_conflict',
  'chunk_header_mismatch',
  'recording_closed',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'request_timeout',
  'unsupported_api_version',
  'internal',
  'unavailable',
]);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

/** The HTTP status an error code comes with, and one line on what it tells the client. */
export interface ErrorStatus {
  status: number;
  meaning: string;
}

/**
 * The status of every error code: the server builds each of its errors with this status (a
 * unit test checks them), and the OpenAPI document publishes the table on its `ErrorBody`
 * schema. A code added to `ErrorCodeSchema` without an entry here does not compile.
 */
export const ERROR_STATUS: { readonly [C in ErrorCode]: ErrorStatus } = {
  validation_failed: {
    status: 400,
    meaning: 'A path, query, header or body field is invalid; `issues` names each.',
  },
  unauthorized: { status: 401, meaning: 'No valid credentials: sign in again (a gateway gets a new token).' },
  token_expired: { status: 401, meaning: 'The access token expired: refresh it and retry.' },
  forbidden: { status: 403, meaning: 'Signed in, but this role or gateway may not do this.' },
  account_locked: { status: 423, meaning: 'Too many failed sign-ins: retry after `retry-after` seconds.' },
  not_found: { status: 404, meaning: 'No such resource, or no such route.' },
  method_not_allowed: {
    status: 405,
    meaning: 'The path exists but not with this method; `Allow` lists the methods it takes.',
  },
  gone: {
    status: 410,
    meaning: 'The patient was erased: never send it (or its recordings) again; drop it from the queue.',
  },
  conflict: {
    status: 409,
    meaning: 'Clashes with what is stored (an id with other content, a revoked id, a name).',
  },
  study_code_taken: { status: 409, meaning: 'Another patient already has this study code.' },
  chunk_hash_mismatch: {
    status: 422,
    meaning: 'The bytes do not hash to `x-chunk-sha256`: damaged in transit; resend.',
  },
  chunk_corrupt: {
    status: 422,
    meaning: 'The chunk does not decode or holds invalid records; the same bytes fail again.',
  },
  chunk_conflict: {
    status: 409,
    meaning: 'A chunk with another hash is already stored at this stream and index.',
  },
  chunk_header_mismatch: {
    status: 422,
    meaning: 'The chunk header names another recording, stream or index than the path.',
  },
  recording_closed: {
    status: 409,
    meaning: 'The recording was voided, or ended with fewer chunks than this index.',
  },
  payload_too_large: { status: 413, meaning: 'The body or file is over the route’s size limit.' },
  unsupported_media_type: {
    status: 415,
    meaning: 'The content type, or the file’s actual type, is not what the route takes.',
  },
  rate_limited: { status: 429, meaning: 'Too many requests: retry after `retry-after` seconds.' },
  request_timeout: {
    status: 408,
    meaning:
      'The request body stopped arriving (no bytes for the idle timeout); the connection is closed: resend.',
  },
  unsupported_api_version: {
    status: 400,
    meaning: 'The client speaks an API version this server does not serve: update it.',
  },
  internal: { status: 500, meaning: 'A server fault, logged under `requestId`; the body says nothing more.' },
  unavailable: {
    status: 503,
    meaning: 'The server is shutting down or its database is unreachable: retry later.',
  },
};

/** One invalid field of a request: where (`body.patient.ageYears`) and what is wrong. */
export const FieldIssueSchema = z.strictObject({ path: z.string(), message: z.string() });

/** The one shape of every 4xx/5xx body. */
export const ErrorBodySchema = z.strictObject({
  error: z.strictObject({
    code: ErrorCodeSchema,
    message: z.string(),
    /** Every bad field, for `validation_failed`. */
    issues: z.array(FieldIssueSchema).optional(),
    /** Correlates with the server's logs. */
    requestId: z.string().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/** An empty success body. */
export const OkSchema = z.strictObject({ ok: z.literal(true) });
