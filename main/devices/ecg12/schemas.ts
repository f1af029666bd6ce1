/**
 * Zod schemas (and their inferred types) for what the ECG-12 host link reads from the unit and
 * reports to the rest of the gateway: INFO, decoder counters, link status, gaps.
 */
import { z } from 'zod';
import { Ecg12StatusSchema as ApiEcg12StatusSchema, ElectrodeSchema } from '../../../preload/schemas.js';
import { Ecg12Error } from './errors.js';
import { SUPPORTED_RATES_HZ } from './protocol.js';

/**
 * The INFO frame's JSON (§3 INFO). Unknown keys are ignored (stripped), as the spec requires.
 * `lsb_nV` is nanovolts per ADC count.
 */
export const Ecg12InfoSchema = z.object({
  model: z.string().optional(),
  serial: z.string().min(1),
  fw: z.string().optional(),
  rate: z.number().refine((hz) => (SUPPORTED_RATES_HZ as readonly number[]).includes(hz), {
    message: `rate must be one of ${SUPPORTED_RATES_HZ.join(', ')}`,
  }),
  lsb_nV: z.number().positive(),
  channels: z.array(z.string()).optional(),
});
/** A parsed INFO frame. */
export type Ecg12Info = z.infer<typeof Ecg12InfoSchema>;

/** Parses the INFO frame's JSON; throws `Ecg12Error` `bad_info` naming `unitName` when it is unreadable. */
export function parseInfoJson(json: string | undefined, unitName: string): Ecg12Info {
  let value: unknown;
  try {
    value = JSON.parse(json ?? '');
  } catch {
    value = undefined;
  }
  const parsed = Ecg12InfoSchema.safeParse(value);
  if (!parsed.success) {
    throw new Ecg12Error(
      'bad_info',
      `${unitName} sent unreadable identification (INFO) — check its firmware version (1.2 expected)`,
    );
  }
  return parsed.data;
}

const count = z.number().int().nonnegative();

/** The frame decoder's counters (§4 "Counters a host should keep", plus a few more). */
export const Ecg12DecoderCountersSchema = z.object({
  /** Every byte pushed into the decoder. */
  bytesReceived: count,
  /** Bytes of accepted (CRC-valid) frames. */
  bytesInFrames: count,
  /** Bytes discarded while hunting for sync, including the first byte of each rejected frame. */
  bytesDiscarded: count,
  /** CRC-valid frames of any type. */
  framesAccepted: count,
  /** Frames rejected because the CRC failed. */
  crcRejects: count,
  /** Frames rejected because the length field exceeded 1024. */
  lengthRejects: count,
  /** CRC-valid frames of a reserved type, skipped. */
  unknownTypeFrames: count,
  /** CRC-valid frames of a known type whose payload does not fit its layout (e.g. K out of 1…32). */
  malformedFrames: count,
  /** LOG frames. */
  logFrames: count,
  /** SAMPLES frames accepted in a run. */
  samplesFrames: count,
  /** SAMPLES frames that arrived while no run was open (ignored). */
  samplesFramesOutsideRun: count,
  /** Sample sets delivered. */
  sampleSetsReceived: count,
  /** Sample sets lost to `seq` gaps (§4). */
  sampleSetsLost: count,
  /** Number of `seq` gaps. */
  gapCount: count,
  /** Times `seq` went backwards inside a run (the unit restarted streaming on its own). */
  seqResets: count,
});
/** See {@link Ecg12DecoderCountersSchema}. */
export type Ecg12DecoderCounters = z.infer<typeof Ecg12DecoderCountersSchema>;

/**
 * Link states shown to staff: the gateway API's own (`preload/schemas.ts` `Ecg12StatusSchema`),
 * so they reach the UI unmapped. `disconnected` before the first start and after `stop()`.
 */
export const Ecg12LinkStateSchema = ApiEcg12StatusSchema.shape.state;
/** See {@link Ecg12LinkStateSchema}. */
export type Ecg12LinkState = z.infer<typeof Ecg12LinkStateSchema>;

/** A status change of the unit's link, with a message written for clinic staff. */
export const Ecg12StatusSchema = z.object({
  state: Ecg12LinkStateSchema,
  /** The unit's serial number when known (from INFO), else undefined. */
  serial: z.string().optional(),
  /** Port path in use or last used. */
  path: z.string().optional(),
  /** Plain-language message for staff, e.g. "unit ECG-12345 unplugged — reconnect the USB cable". */
  message: z.string(),
  /** Stable error code when `state` is `error` (see `Ecg12Error`). */
  errorCode: z.string().optional(),
  /** Host time of the change, ms since the Unix epoch. */
  atMs: z.number(),
});
/** See {@link Ecg12StatusSchema}. */
export type Ecg12Status = z.infer<typeof Ecg12StatusSchema>;

/** The unit's STATUS frame as reported to the gateway (battery and lead-off). */
export const Ecg12DeviceStatusSchema = z.object({
  batteryPercent: z.number().int().min(0).max(255),
  charging: z.boolean(),
  streaming: z.boolean(),
  leadOffMask: z.number().int().nonnegative(),
  /** The electrodes off (RA, LA, LL, V1…V6), bit order of the mask. */
  leadOff: z.array(ElectrodeSchema),
  atMs: z.number(),
});
/** See {@link Ecg12DeviceStatusSchema}. */
export type Ecg12DeviceStatus = z.infer<typeof Ecg12DeviceStatusSchema>;

/**
 * A gap in the samples. `kind: 'seq'` gaps come from a jump in SAMPLES `seq` (§4) and are exact;
 * `kind: 'between-runs'` gaps are estimated on the host clock (§5) after a reconnect.
 */
export const Ecg12GapSchema = z.object({
  kind: z.enum(['seq', 'between-runs']),
  /** Run number (0 for the link's first run); for between-runs gaps, the run after the gap. */
  run: z.number().int().nonnegative(),
  /** Run index of the first missing set (seq gaps only). */
  runFirstIndex: z.number().int().nonnegative().optional(),
  /** Index of the first missing set on the session timeline (all runs placed end to end with their gaps). */
  sessionFirstIndex: z.number().int().nonnegative(),
  /** Missing sample sets (whole sets; for between-runs gaps rounded from the host clock). */
  sampleSets: z.number().int().nonnegative(),
  /** Time of the first missing set, ms since the Unix epoch (estimated for between-runs gaps). */
  startMs: z.number(),
  /** True for between-runs gaps (host-clock estimate), false for seq gaps (exact count). */
  estimated: z.boolean(),
});
/** See {@link Ecg12GapSchema}. */
export type Ecg12Gap = z.infer<typeof Ecg12GapSchema>;

/** Link-level counters: the decoder's plus reconnects and command failures. */
export const Ecg12LinkCountersSchema = Ecg12DecoderCountersSchema.extend({
  runs: count,
  reconnects: count,
  commandTimeouts: count,
  sampleSetsLostBetweenRuns: count,
});
/** See {@link Ecg12LinkCountersSchema}. */
export type Ecg12LinkCounters = z.infer<typeof Ecg12LinkCountersSchema>;
