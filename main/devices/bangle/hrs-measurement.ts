/**
 * Parser for the standard Heart Rate Measurement characteristic (0x2A37).
 *
 * Layout (Bluetooth SIG GATT Specification Supplement, "Heart Rate Measurement"):
 * byte 0 flags — bit 0 value format (0: uint8, 1: uint16 LE), bits 1–2 sensor contact
 * (bit 2 = supported, bit 1 = detected), bit 3 energy expended present (uint16 LE, kJ),
 * bit 4 RR intervals present (uint16 LE each, units of 1/1024 s), bits 5–7 reserved.
 * Bangle.js `bootgatthrm` sends only `[0x06, bpm]` (domain-notes §1.6).
 */

/** A decoded 0x2A37 value. */
export interface HeartRateMeasurement {
  /** Heart rate, beats per minute. */
  bpm: number;
  /** `null` when the sensor does not support contact detection; else whether skin contact is detected. */
  sensorContact: boolean | null;
  /** Cumulative energy expended, kJ, when present. */
  energyExpendedKj: number | null;
  /** RR intervals, ms (converted from 1/1024 s, not rounded), oldest first. */
  rrIntervalsMs: number[];
}

/** Thrown for a value too short for the fields its flags announce. */
export class HrsParseError extends Error {
  readonly code = 'HRS_PARSE';
  constructor(message: string) {
    super(message);
    this.name = 'HrsParseError';
  }
}

const FLAG_UINT16 = 0x01;
const FLAG_CONTACT_DETECTED = 0x02;
const FLAG_CONTACT_SUPPORTED = 0x04;
const FLAG_ENERGY = 0x08;
const FLAG_RR = 0x10;

function need(bytes: Uint8Array, offset: number, count: number, what: string): void {
  if (offset + count > bytes.length) {
    throw new HrsParseError(`0x2A37 value of ${bytes.length} bytes is too short for ${what}`);
  }
}

function uint16(bytes: Uint8Array, offset: number): number {
  return bytes[offset]! | (bytes[offset + 1]! << 8);
}

/** Decodes one Heart Rate Measurement value. */
export function parseHeartRateMeasurement(bytes: Uint8Array): HeartRateMeasurement {
  need(bytes, 0, 1, 'flags');
  const flags = bytes[0]!;
  let offset = 1;
  let bpm: number;
  if (flags & FLAG_UINT16) {
    need(bytes, offset, 2, 'a uint16 heart rate');
    bpm = uint16(bytes, offset);
    offset += 2;
  } else {
    need(bytes, offset, 1, 'a uint8 heart rate');
    bpm = bytes[offset]!;
    offset += 1;
  }
  const sensorContact = flags & FLAG_CONTACT_SUPPORTED ? (flags & FLAG_CONTACT_DETECTED) !== 0 : null;
  let energyExpendedKj: number | null = null;
  if (flags & FLAG_ENERGY) {
    need(bytes, offset, 2, 'energy expended');
    energyExpendedKj = uint16(bytes, offset);
    offset += 2;
  }
  const rrIntervalsMs: number[] = [];
  if (flags & FLAG_RR) {
    if ((bytes.length - offset) % 2 !== 0)
      throw new HrsParseError('0x2A37 RR interval field has an odd length');
    for (; offset + 1 < bytes.length; offset += 2) rrIntervalsMs.push((uint16(bytes, offset) * 1000) / 1024);
  }
  return { bpm, sensorContact, energyExpendedKj, rrIntervalsMs };
}
