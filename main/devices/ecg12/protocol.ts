/**
 * Constants of the ECG-12 serial protocol, revision 1.2 (specs/ecg12-serial-protocol.md).
 * Frame layout (§3): sync `A5 5A`, type (1), payload length N (2, LE, ≤ 1024), payload, CRC-16 (2, LE)
 * over type, length and payload.
 */
import { ElectrodeSchema, type Electrode } from '../../../preload/schemas.js';

/** First sync byte. */
export const SYNC_0 = 0xa5;
/** Second sync byte. */
export const SYNC_1 = 0x5a;
/** Bytes before the payload: sync (2), type (1), length (2). */
export const FRAME_HEADER_BYTES = 5;
/** Bytes after the payload: the CRC. */
export const FRAME_TRAILER_BYTES = 2;
/** Largest payload length a valid frame may declare (§3). */
export const MAX_PAYLOAD_BYTES = 1024;
/** Largest whole frame in bytes. */
export const MAX_FRAME_BYTES = FRAME_HEADER_BYTES + MAX_PAYLOAD_BYTES + FRAME_TRAILER_BYTES;

/** Frame types (§3). Others are reserved and must be skipped when well formed. */
export const FrameType = {
  samples: 0x01,
  status: 0x02,
  info: 0x03,
  ack: 0x04,
  log: 0x7f,
} as const;

/** Channels the unit sends, in wire order (§3 SAMPLES). */
export const ECG12_CHANNELS = ['I', 'II', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'] as const;
/** Number of channels per sample set. */
export const CHANNEL_COUNT = 8;
/** Bytes per sample set: 8 channels × 24-bit. */
export const SAMPLE_SET_BYTES = CHANNEL_COUNT * 3;
/** Bytes before the sample sets in a SAMPLES payload: seq (4), leadOff (2), K (1). */
export const SAMPLES_HEADER_BYTES = 7;
/** Most sample sets one SAMPLES frame may carry (§3: K is 1 … 32). */
export const MAX_SETS_PER_FRAME = 32;

/** Sampling rates the unit accepts with `RATE <hz>` (§2). */
export const SUPPORTED_RATES_HZ = [80, 250, 500, 1000] as const;
/** One of {@link SUPPORTED_RATES_HZ}. */
export type Ecg12RateHz = (typeof SUPPORTED_RATES_HZ)[number];
/** The unit's rate after power-up (§2). */
export const POWER_UP_RATE_HZ: Ecg12RateHz = 500;

/** Whether `hz` is a rate the unit supports. */
export function isSupportedRate(hz: number): hz is Ecg12RateHz {
  return (SUPPORTED_RATES_HZ as readonly number[]).includes(hz);
}

/** Sample sets per SAMPLES frame at a rate (§3): rate / 50 at 250 Hz and above, 4 at 80 Hz. */
export function setsPerFrame(rateHz: Ecg12RateHz): number {
  return rateHz === 80 ? 4 : rateHz / 50;
}

/** ACK status codes (§3 ACK). */
export const AckStatus = {
  ok: 0,
  unknownCommand: 1,
  badArgument: 2,
  busy: 3,
} as const;

/** Human-readable name of an ACK status. */
export function ackStatusName(status: number): string {
  switch (status) {
    case AckStatus.ok:
      return 'ok';
    case AckStatus.unknownCommand:
      return 'unknown command';
    case AckStatus.badArgument:
      return 'bad argument';
    case AckStatus.busy:
      return 'busy (streaming)';
    default:
      return `unknown status ${status}`;
  }
}

/**
 * Electrodes of the lead-off bitmask, bit 0 first (§3 SAMPLES: RA, LA, LL, V1…V6). The gateway
 * API's electrode list is in the same order, so it is this list (a test pins the bit order).
 */
export const LEAD_OFF_ELECTRODES: readonly Electrode[] = ElectrodeSchema.options;

/** The electrodes whose bit is set in a lead-off mask. */
export function leadOffElectrodes(mask: number): Electrode[] {
  return LEAD_OFF_ELECTRODES.filter((_, bit) => (mask & (1 << bit)) !== 0);
}

/** USB vendor id of the unit (§1), lower-case hex. */
export const ECG12_USB_VENDOR_ID = '1209';
/** USB product id of the unit (§1), lower-case hex. */
export const ECG12_USB_PRODUCT_ID = 'ec12';
/** Baud rate hosts open the port at by convention (CDC-ACM ignores it, §1). */
export const ECG12_BAUD_RATE = 115200;
