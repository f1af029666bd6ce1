/**
 * Structured JSON logs (pino). Patient details never reach a log line: request bodies are not
 * logged, and the redaction list below covers the fields that could carry them if an object
 * were ever logged whole.
 */
import { pino, type Logger } from 'pino';

/** Paths pino replaces with `[redacted]`. */
export const REDACTED_PATHS = [
  'identity',
  '*.identity',
  'name',
  'phone',
  'address',
  '*.phone',
  '*.address',
  'password',
  '*.password',
  'refreshToken',
  '*.refreshToken',
  'clientSecret',
  '*.clientSecret',
  'authorization',
  '*.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
];

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const options = {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    base: { service: 'pulsewatch-server' },
  };
  return destination ? pino(options, destination) : pino(options);
}
