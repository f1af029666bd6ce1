/**
 * What the uploader does with each answer (DESIGN.md "Data model and flow", issue 9 §4): acked,
 * retried (the server is unwell or unreachable: everything waits with the shared backoff; or only
 * this item waits: the server does not have its recording yet), refreshed token, or failed (the
 * server rejected it for good: kept, marked, reported — never deleted). Pure: no I/O, no clock.
 */
import type { ErrorCode } from '../../server-contract/api/common.js';
import type { QueueItem } from '../queue/types.js';
import { ApiError } from '../../server-contract/api/client.js';
import { SyncError, TransportError, messageOf } from './errors.js';

/** How one attempt ended. */
export type AttemptResult =
  | { kind: 'ok'; status: number; duplicate: boolean }
  | {
      kind: 'http_error';
      status: number;
      code: ErrorCode | null;
      message: string;
      retryAfterMs: number | null;
    }
  /** A 2xx whose body the contract does not allow. */
  | { kind: 'bad_response'; status: number; message: string }
  | { kind: 'network'; error: TransportError };

/** What the upload loop may decide: a classification, or one of its own verdicts. */
export type LoopDecision =
  | Decision
  /** The server refused the gateway's credentials: stop until re-enrolled. */
  | { action: 'unauthorized'; reason: string }
  /** The request was cancelled (stopping, settings changed): back to pending, due now. */
  | { action: 'interrupted' };

export type Decision =
  | { action: 'ack'; duplicate: boolean }
  /** The server as a whole is unwell (5xx, 429) or unreachable: pause everything, back off, probe. */
  | { action: 'retry_all'; reason: string; offline: boolean; retryAfterMs: number | null }
  /** Only this item must wait (its recording is not on the server yet, or its bytes arrived damaged). */
  | { action: 'retry_item'; reason: string }
  /** The access token expired or was refused: get a new one and send again. */
  | { action: 'reauth'; reason: string }
  /** Rejected for good: kept and marked failed, reported as an error report. */
  | { action: 'fail'; reason: string }
  /** Another patient on the server has this study code: failed, and staff must be told. */
  | { action: 'clash'; reason: string };

/** After this many damaged-in-transit answers for the same item, its stored bytes are suspect. */
export const MAX_HASH_MISMATCHES = 5;

/** What classification needs to know of the item: its route and its earlier damaged-in-transit answers. */
export interface ItemHistory {
  route: QueueItem['route'];
  /** `chunk_hash_mismatch` answers this item had before this one. */
  hashMismatches: number;
}

/** Plain name of an item for messages: "chunk ecg/3 of recording …", "patients.create". */
export function describeItem(
  item: Pick<QueueItem, 'kind' | 'route' | 'stream' | 'chunkIndex' | 'recordingId'>,
): string {
  if (item.kind === 'chunk')
    return `chunk ${item.stream ?? '?'}/${item.chunkIndex ?? '?'} of recording ${item.recordingId ?? '?'}`;
  return item.recordingId ? `${item.route} for recording ${item.recordingId}` : item.route;
}

function rejection(result: Extract<AttemptResult, { kind: 'http_error' }>): string {
  return `${result.message} (${result.status}${result.code ? ` ${result.code}` : ''})`;
}

function classifyHttpError(
  item: ItemHistory,
  result: Extract<AttemptResult, { kind: 'http_error' }>,
): Decision {
  const { status, code } = result;
  if (status === 401) return { action: 'reauth', reason: 'access token refused; getting a new one' };
  if (status === 429)
    return {
      action: 'retry_all',
      reason: 'server busy (429 too many requests)',
      offline: false,
      retryAfterMs: result.retryAfterMs,
    };
  if (status === 408)
    return {
      action: 'retry_all',
      reason: 'the server gave up waiting for the request (408)',
      offline: false,
      retryAfterMs: null,
    };
  if (status >= 500)
    return {
      action: 'retry_all',
      reason: status === 503 ? 'server unavailable (503)' : `server error (${status})`,
      offline: false,
      retryAfterMs: result.retryAfterMs,
    };
  if (status >= 300 && status < 400)
    return {
      action: 'retry_all',
      reason: `the server redirected (${status}) — check the server URL`,
      offline: false,
      retryAfterMs: null,
    };
  if (status === 404)
    return { action: 'retry_item', reason: `the server does not have it yet: ${rejection(result)}` };
  if (
    status === 409 &&
    code === 'study_code_taken' &&
    (item.route === 'patients.create' || item.route === 'patients.update')
  )
    return { action: 'clash', reason: rejection(result) };
  if (status === 422 && code === 'chunk_hash_mismatch') {
    if (item.hashMismatches + 1 < MAX_HASH_MISMATCHES)
      return { action: 'retry_item', reason: `damaged in transit, sending again: ${rejection(result)}` };
    return { action: 'fail', reason: `the stored bytes do not match their hash: ${rejection(result)}` };
  }
  return { action: 'fail', reason: `rejected by the server: ${rejection(result)}` };
}

/** Decides what to do after one attempt at sending `item`. */
export function classify(item: ItemHistory, result: AttemptResult): Decision {
  switch (result.kind) {
    case 'ok':
      return { action: 'ack', duplicate: result.duplicate };
    case 'bad_response':
      return {
        action: 'retry_all',
        reason: `the server's answer (${result.status}) does not match the contract: ${result.message}`,
        offline: false,
        retryAfterMs: null,
      };
    case 'network':
      return {
        action: 'retry_all',
        reason: result.error.message,
        offline: result.error.code !== 'bad_response' && result.error.code !== 'canceled',
        retryAfterMs: null,
      };
    case 'http_error':
      return classifyHttpError(item, result);
  }
}

/** The token request, classified like an item that is never rejected for good. */
const TOKEN_ROUTE: ItemHistory = { route: 'chunk', hashMismatches: 0 };

/** What a failure to get an access token means for the item waiting on it. */
export function classifyTokenFailure(error: unknown): LoopDecision {
  if (error instanceof SyncError && error.code === 'unauthorized')
    return { action: 'unauthorized', reason: error.message };
  if (error instanceof TransportError && error.code === 'canceled') return { action: 'interrupted' };
  if (error instanceof TransportError) return classify(TOKEN_ROUTE, { kind: 'network', error });
  if (error instanceof ApiError && error.code === 'http_error') {
    const decision = classify(TOKEN_ROUTE, {
      kind: 'http_error',
      status: error.status,
      code: error.body?.error.code ?? null,
      message: error.body?.error.message ?? `HTTP ${error.status}`,
      retryAfterMs: null,
    });
    if (decision.action === 'retry_all') return decision;
  }
  // Anything else (400, an answer outside the contract): wait and try again, saying why.
  return {
    action: 'retry_all',
    reason: `could not get an access token: ${messageOf(error)}`,
    offline: false,
    retryAfterMs: null,
  };
}
