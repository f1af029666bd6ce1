/**
 * The one place errors become responses: an `HttpError` answers its status, code and message;
 * anything else is logged with its stack and answers a bare 500 `internal` (no internals leak).
 */
import type { Context, Next } from 'koa';
import type { Logger } from 'pino';
import { ERROR_STATUS, type ErrorCode } from '../../server-contract/api/index.js';
import { HttpError } from '../errors.js';
import type { Metrics } from '../ops/metrics.js';

function isDbError(err: unknown): boolean {
  const e = err as { code?: unknown; severity?: unknown };
  return (typeof e.code === 'string' && e.code.startsWith('SQLITE_')) || typeof e.severity === 'string';
}

/** Errors thrown by Koa/router with an HTTP status (e.g. a malformed URL). */
function statusOf(err: unknown): number | undefined {
  const status = (err as { status?: unknown }).status;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

/**
 * The contract's code for a 4xx that Koa or the router raised itself; a status the contract
 * has no code for becomes 400 `validation_failed`, so status and code always agree with ERROR_STATUS.
 */
export const FRAMEWORK_4XX_CODES: Readonly<Record<number, ErrorCode>> = {
  400: 'validation_failed',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  408: 'request_timeout',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

function frameworkError(status: number): HttpError {
  const code = FRAMEWORK_4XX_CODES[status];
  return code === undefined
    ? new HttpError(ERROR_STATUS.validation_failed.status, 'validation_failed', 'bad request')
    : new HttpError(ERROR_STATUS[code].status, code, 'bad request');
}

export function errorHandler(metrics: Metrics, baseLog: Logger) {
  return async function handleErrors(ctx: Context, next: Next): Promise<void> {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined)
        throw new HttpError(404, 'not_found', `no route ${ctx.method} ${ctx.path}`);
      // The router's allowedMethods(): the path exists, the method does not.
      if (ctx.status === 405 && ctx.body === undefined) {
        const allow = ctx.response.get('allow');
        throw new HttpError(
          405,
          'method_not_allowed',
          `${ctx.path} takes ${allow}, not ${ctx.method}`,
          undefined,
          {
            allow,
          },
        );
      }
    } catch (err) {
      const requestId = String(ctx.state.requestId ?? '');
      const log = (ctx.state.log as Logger | undefined) ?? baseLog;
      let httpError: HttpError;
      if (err instanceof HttpError) httpError = err;
      else if (statusOf(err) !== undefined) httpError = frameworkError(statusOf(err)!);
      else {
        if (isDbError(err)) metrics.dbErrors.inc();
        log.error({ err, route: ctx.state.routeName }, 'request failed');
        httpError = new HttpError(
          500,
          'internal',
          'internal error; the server logged it under this request id',
        );
      }
      ctx.status = httpError.status;
      // A body we did not read (too large, unauthenticated, …) is not drained: close the connection.
      if (!ctx.req.complete) ctx.set('connection', 'close');
      for (const [k, v] of Object.entries(httpError.headers ?? {})) ctx.set(k, v);
      ctx.body = {
        error: {
          code: httpError.code,
          message: httpError.message,
          ...(httpError.issues ? { issues: httpError.issues } : {}),
          requestId,
        },
      };
    }
  };
}
