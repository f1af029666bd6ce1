/**
 * The gateway's own log: structured JSON lines (pino) in rotating files under
 * `<dataDir>/logs/` (`gateway.log`, `gateway.1.log`, …), for IT and the diagnostics bundle.
 *
 * No patient details: the core logs ids, states, codes and device serials, never a patient's
 * fields or a note; the redaction list is the safety net should an object ever be logged whole.
 */
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { RotatingFile, type RotatingFileOptions } from './rotating-file.js';

export type { Logger } from 'pino';

/** Fields that could carry patient details or secrets, at any of the first two levels. */
export const GATEWAY_REDACTED_PATHS = [
  'identity',
  'name',
  'phone',
  'address',
  'notes',
  'note',
  'ageYears',
  'sex',
  'studyCode',
  'studyGroup',
  'patient',
  'clientSecret',
  'enrollmentCode',
  'code',
  'password',
  'pin',
  'accessToken',
  'refreshToken',
  'authorization',
].flatMap((field) => [field, `*.${field}`]);

/** The log folder of a gateway data folder. */
export function logDir(dataDir: string): string {
  return join(dataDir, 'logs');
}

export interface GatewayLog {
  logger: Logger;
  file: RotatingFile;
}

/** Opens the rotating log of `dataDir`. */
export function openGatewayLog(
  dataDir: string,
  base: Record<string, string>,
  options: RotatingFileOptions & { level?: string } = {},
): GatewayLog {
  const file = new RotatingFile(logDir(dataDir), 'gateway', options);
  const logger = pino(
    {
      level: options.level ?? 'info',
      base: { service: 'pulsewatch-gateway', ...base },
      redact: { paths: GATEWAY_REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    file,
  );
  return { logger, file };
}
