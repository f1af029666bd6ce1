/**
 * Error reports (the contract's `errorReports.create`, which replaced the clinic's e-mailed crash
 * logs): an uncaught error, a device fault or a chunk the server rejected becomes a queued control
 * message with the app version, the OS and, where one is involved, the device serial. Never
 * patient details: the context takes only short scalar values under keys that do not name a
 * person's data, and messages are cut to the contract's limits.
 */
import { arch, platform, release } from 'node:os';
import { v7 as uuidv7 } from 'uuid';
import type { ErrorReport } from '../../server-contract/api/reports.js';
import { PRIORITY, type EnqueueInput } from '../queue/types.js';

/** What a caller may attach to a report: the device and counters, never patient data. */
export type ErrorContext = Record<string, string | number | boolean | null | undefined>;

/** Keys that could carry a person's data; dropped from every report. */
const PERSONAL_KEY = /patient|name|phone|address|identity|notes|study|birth|email/i;
const MAX_CONTEXT_KEYS = 32;

/** The OS as the report names it, e.g. `linux 6.1.0 x64`. */
export function osDescription(): string {
  return `${platform()} ${release()} ${arch()}`.slice(0, 64);
}

function cleanContext(context: ErrorContext): NonNullable<ErrorReport['context']> {
  const out: NonNullable<ErrorReport['context']> = {};
  let kept = 0;
  for (const [key, value] of Object.entries(context)) {
    if (value === undefined || PERSONAL_KEY.test(key) || key.length > 64 || kept >= MAX_CONTEXT_KEYS)
      continue;
    if (typeof value === 'number' && !Number.isFinite(value)) continue;
    out[key] = typeof value === 'string' ? value.slice(0, 500) : value;
    kept++;
  }
  return out;
}

/** The parts of a report that come from the error. */
function describe(error: unknown): { message: string; stack: string | undefined } {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const prefix = typeof code === 'string' ? `${error.name} [${code}]: ` : `${error.name}: `;
    return { message: `${prefix}${error.message}`, stack: error.stack };
  }
  return { message: String(error), stack: undefined };
}

/** Builds the queue input of one error report. */
export function errorReportItem(
  error: unknown,
  context: ErrorContext,
  app: { appVersion: string; nowMs: number; severity?: ErrorReport['severity'] },
): EnqueueInput {
  const { message, stack } = describe(error);
  const body: ErrorReport = {
    id: uuidv7({ msecs: app.nowMs }),
    occurredAtMs: Math.round(app.nowMs),
    severity: app.severity ?? 'error',
    appVersion: app.appVersion.slice(0, 32),
    platform: osDescription(),
    message: message.slice(0, 2000),
    ...(stack === undefined ? {} : { stack: stack.slice(0, 20_000) }),
    context: cleanContext(context),
  };
  return { kind: 'control', route: 'errorReports.create', body, priority: PRIORITY.errorReport };
}
