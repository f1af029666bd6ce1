/**
 * Request bodies read with a hard byte limit (the connection is not read past it), an idle
 * timeout (a client that stops sending is cut off instead of holding a slot) and a minimum
 * average rate once a grace period has passed (a client dribbling a byte a second is cut off
 * too, instead of holding the connection for the whole request timeout).
 */
import type { IncomingMessage } from 'node:http';
import { HttpError } from '../errors.js';

export interface BodyLimits {
  maxBytes: number;
  /** Longest pause between two pieces of the body, ms. */
  idleTimeoutMs: number;
  /** Slowest average rate accepted once `rateGraceMs` have passed, bytes/s (default 1024). */
  minBytesPerS?: number;
  /** How long a body may arrive at any rate before the minimum applies, ms (default 10 s). */
  rateGraceMs?: number;
}

export function tooLarge(maxBytes: number): HttpError {
  return new HttpError(413, 'payload_too_large', `request body exceeds ${maxBytes} bytes`);
}

/** Reads the whole body, rejecting with 413 as soon as it exceeds `maxBytes`. */
export function readBody(req: IncomingMessage, limits: BodyLimits): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limits.maxBytes)
    return Promise.reject(tooLarge(limits.maxBytes));
  const minBytesPerS = limits.minBytesPerS ?? 1024;
  const rateGraceMs = limits.rateGraceMs ?? 10_000;
  const startedMs = Date.now();
  return new Promise((resolveBody, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    let timer: NodeJS.Timeout | undefined;
    const finish = (err?: Error) => {
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
      if (err) {
        req.resume();
        reject(err);
      } else resolveBody(Buffer.concat(parts, size));
    };
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        // The response carries `connection: close`, so Node drops the socket once it is sent.
        finish(
          new HttpError(
            408,
            'request_timeout',
            `request body stalled for ${limits.idleTimeoutMs} ms`,
            undefined,
            { connection: 'close' },
          ),
        );
      }, limits.idleTimeoutMs);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limits.maxBytes) {
        finish(tooLarge(limits.maxBytes));
        return;
      }
      parts.push(chunk);
      const elapsedMs = Date.now() - startedMs;
      if (elapsedMs > rateGraceMs && size < (minBytesPerS * elapsedMs) / 1000) {
        finish(
          new HttpError(
            408,
            'request_timeout',
            `request body arriving at ${Math.round((size * 1000) / elapsedMs)} bytes/s, below ${minBytesPerS}`,
            undefined,
            { connection: 'close' },
          ),
        );
        return;
      }
      arm();
    };
    const onEnd = () => finish();
    const onError = (err: Error) => finish(err);
    const onAborted = () => finish(new HttpError(400, 'validation_failed', 'request aborted by the client'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
    arm();
  });
}

/** The media type of a `content-type` header, lower-cased, without parameters. */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}
