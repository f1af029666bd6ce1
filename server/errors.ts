/**
 * Errors the server raises on purpose. Each carries an HTTP status, a stable `code` (the
 * contract's error codes) and `expose`: whether its message may be shown to the client.
 * Anything else thrown is an internal error and answers a generic 500.
 */

/** Stable error codes; mirrors the contract's `ErrorCodeSchema`. */
export type HttpErrorCode =
  | 'validation_failed'
  | 'unauthorized'
  | 'token_expired'
  | 'forbidden'
  | 'account_locked'
  | 'not_found'
  | 'conflict'
  | 'study_code_taken'
  | 'chunk_hash_mismatch'
  | 'chunk_corrupt'
  | 'chunk_conflict'
  | 'chunk_header_mismatch'
  | 'recording_closed'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'unsupported_api_version'
  | 'internal'
  | 'unavailable';

/** One invalid field: its path (`body.patient.ageYears`) and what is wrong with it. */
export interface FieldIssue {
  path: string;
  message: string;
}

/** An error answered to the client with `status`, `code` and `message`. */
export class HttpError extends Error {
  readonly expose: boolean;
  constructor(
    readonly status: number,
    readonly code: HttpErrorCode,
    message: string,
    readonly issues?: FieldIssue[],
    /** Extra response headers, e.g. `retry-after`. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'HttpError';
    this.expose = status < 500;
  }
}

/** 400 naming every bad field of a request. */
export class ValidationError extends HttpError {
  constructor(issues: FieldIssue[]) {
    const names = issues.map((i) => i.path).join(', ');
    super(400, 'validation_failed', `invalid request: ${names}`, issues);
    this.name = 'ValidationError';
  }
}

export function notFound(what: string): HttpError {
  return new HttpError(404, 'not_found', `${what} not found`);
}

export function forbidden(message = 'not allowed for this account'): HttpError {
  return new HttpError(403, 'forbidden', message);
}

export function unauthorized(message = 'authentication required'): HttpError {
  return new HttpError(401, 'unauthorized', message);
}

/** Raised when configuration is invalid; `setting` names the offending setting. */
export class ConfigError extends Error {
  readonly code = 'config_invalid';
  constructor(
    readonly setting: string,
    message: string,
  ) {
    super(`${setting}: ${message}`);
    this.name = 'ConfigError';
  }
}
