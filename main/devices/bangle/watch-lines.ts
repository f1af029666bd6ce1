/**
 * Strict schemas for every line the watch program sends (`bangle-stream.md` "Lines from
 * the watch"). A line is one JSON object produced by `JSON.stringify` on the watch; every
 * object has `t` (type) and `n` (per-`pw.start` line counter). Unknown fields are rejected:
 * the program is ours, so an extra field means a version mismatch or corruption.
 */
import { z } from 'zod';

/** Line counter: starts at 0 at each `pw.start`, +1 per line. */
const counter = z.number().int().nonnegative();
/** Watch time, ms since the Unix epoch (watch clock; the gateway re-bases it). */
const watchTs = z.number().int().positive();
/** Accelerometer rates the program accepts, Hz (KX022 output data rates, domain-notes §1.4). */
export const ACCEL_RATES_HZ = [12.5, 25, 50, 100] as const;
const milliG = z.number().int().min(-16000).max(16000);

export const HelloLineSchema = z.strictObject({
  t: z.literal('hello'),
  n: counter,
  v: z.number().int().positive(),
  fw: z.string().max(32),
  hw: z.string().max(32),
  ts: watchTs,
});
export const HrmLineSchema = z.strictObject({
  t: z.literal('hrm'),
  n: counter,
  ts: watchTs,
  bpm: z.number().int().min(0).max(300),
  conf: z.number().int().min(0).max(100),
});
export const AccLineSchema = z
  .strictObject({
    t: z.literal('acc'),
    n: counter,
    ts: watchTs,
    hz: z.number().positive().max(200),
    xyz: z
      .array(milliG)
      .min(3)
      .max(3 * 200),
  })
  .refine((line) => line.xyz.length % 3 === 0, {
    message: 'xyz length must be a multiple of 3',
    path: ['xyz'],
  });
export const PpgLineSchema = z.strictObject({
  t: z.literal('ppg'),
  n: counter,
  ts: watchTs,
  hz: z.number().positive().max(200),
  raw: z.array(z.number().int().min(-65536).max(65536)).min(1).max(200),
});
export const BatLineSchema = z.strictObject({
  t: z.literal('bat'),
  n: counter,
  ts: watchTs,
  pct: z.number().int().min(0).max(100),
  chg: z.boolean(),
});
export const PongLineSchema = z.strictObject({ t: z.literal('pong'), n: counter, ts: watchTs });
export const OkLineSchema = z.strictObject({ t: z.literal('ok'), n: counter, call: z.string().max(32) });
export const ErrLineSchema = z.strictObject({
  t: z.literal('err'),
  n: counter,
  call: z.string().max(32),
  msg: z.string().max(500),
});

/** Any valid line from the watch program. */
export const WatchLineSchema = z.union([
  HelloLineSchema,
  HrmLineSchema,
  AccLineSchema,
  PpgLineSchema,
  BatLineSchema,
  PongLineSchema,
  OkLineSchema,
  ErrLineSchema,
]);
export type WatchLine = z.infer<typeof WatchLineSchema>;
export type HelloLine = z.infer<typeof HelloLineSchema>;
export type HrmLine = z.infer<typeof HrmLineSchema>;
export type AccLine = z.infer<typeof AccLineSchema>;
export type PpgLine = z.infer<typeof PpgLineSchema>;
export type BatLine = z.infer<typeof BatLineSchema>;
export type PongLine = z.infer<typeof PongLineSchema>;
export type OkLine = z.infer<typeof OkLineSchema>;
export type ErrLine = z.infer<typeof ErrLineSchema>;

/** Result of {@link parseWatchLine}: the line, or why it was rejected (for the log). */
export type ParsedWatchLine = { ok: true; line: WatchLine } | { ok: false; reason: string };

/** Parses one cleaned console line (see `stripReplNoise`) as strict protocol JSON. */
export function parseWatchLine(cleaned: string): ParsedWatchLine {
  let value: unknown;
  try {
    value = JSON.parse(cleaned);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !('t' in value)) {
    return { ok: false, reason: 'not a JSON object with "t"' };
  }
  const result = WatchLineSchema.safeParse(value);
  if (!result.success) {
    const first = result.error.issues[0];
    return {
      ok: false,
      reason: `invalid line: ${first ? `${first.path.join('.')} ${first.message}` : 'schema'}`,
    };
  }
  return { ok: true, line: result.data };
}
