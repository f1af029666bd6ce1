/**
 * Errors the server raises on purpose. Each carries an HTTP status, a stable `code` (the
 * contract's error codes) and `expose`: whether its message may be shown to the client.
 * Anything else thrown is an internal error and answers a generic 500.
 */
import { ERROR_STATUS, type ErrorCode } from '../server-contract/api/index.js';

/** Stable error codes: the contract's, which also names the status of each (`ERROR_STATUS`). */
export type HttpErrorCode = ErrorCode;

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
    super(ERROR_STATUS.validation_failed.status, 'validation_failed', `invalid request: ${names}`, issues);
    this.name = 'ValidationError';
  }
}

export function notFound(what: string): HttpError {
  return new HttpError(ERROR_STATUS.not_found.status, 'not_found', `${what} not found`);
}

export function forbidden(message = 'not allowed for this account'): HttpError {
  return new HttpError(ERROR_STATUS.forbidden.status, 'forbidden', message);
}

export function unauthorized(message = 'authentication required'): HttpError {
  return new HttpError(ERROR_STATUS.unauthorized.status, 'unauthorized', message);
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
