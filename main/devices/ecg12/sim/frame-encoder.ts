/**
 * Frame encoder for the unit's side of the ECG-12 protocol (§3): used by the simulator, the tests
 * and the decoder benchmark. The host never sends frames (it sends command lines, §2).
 */
import { crc16CcittFalse } from '../crc16.js';
import {
  CHANNEL_COUNT,
  FRAME_HEADER_BYTES,
  FRAME_TRAILER_BYTES,
  FrameType,
  MAX_SETS_PER_FRAME,
  SAMPLE_SET_BYTES,
  SAMPLES_HEADER_BYTES,
  SYNC_0,
  SYNC_1,
} from '../protocol.js';

const textEncoder = new TextEncoder();

/** Smallest and largest value a signed 24-bit sample can hold. */
export const MIN_COUNT = -(2 ** 23);
export const MAX_COUNT = 2 ** 23 - 1;

/**
 * Encodes one frame: sync, type, length, payload, CRC. The length is written as given even when
 * it exceeds 1024 (so tests can build invalid frames); `type` is written modulo 256.
 */
export function encodeFrame(type: number, payload: Uint8Array): Uint8Array {
  const frame = new Uint8Array(FRAME_HEADER_BYTES + payload.length + FRAME_TRAILER_BYTES);
  frame[0] = SYNC_0;
  frame[1] = SYNC_1;
  frame[2] = type & 0xff;
  frame[3] = payload.length & 0xff;
  frame[4] = (payload.length >>> 8) & 0xff;
  frame.set(payload, FRAME_HEADER_BYTES);
  const crc = crc16CcittFalse(frame, 2, FRAME_HEADER_BYTES + payload.length);
  frame[FRAME_HEADER_BYTES + payload.length] = crc & 0xff;
  frame[FRAME_HEADER_BYTES + payload.length + 1] = crc >>> 8;
  return frame;
}

/**
 * Encodes a SAMPLES frame. `counts` holds `setCount` sample sets interleaved by channel
 * (I, II, V1…V6 per set); values are clamped to the signed 24-bit range.
 */
export function encodeSamplesFrame(
  seq: number,
  leadOffMask: number,
  counts: ArrayLike<number>,
  setCount: number,
): Uint8Array {
  if (!Number.isInteger(setCount) || setCount < 1 || setCount > MAX_SETS_PER_FRAME) {
    throw new RangeError(`setCount must be 1…${MAX_SETS_PER_FRAME}, got ${setCount}`);
  }
  const payload = new Uint8Array(SAMPLES_HEADER_BYTES + setCount * SAMPLE_SET_BYTES);
  const view = new DataView(payload.buffer);
  view.setUint32(0, seq >>> 0, true);
  view.setUint16(4, leadOffMask & 0xffff, true);
  payload[6] = setCount;
  let offset = SAMPLES_HEADER_BYTES;
  for (let i = 0; i < setCount * CHANNEL_COUNT; i++) {
    const value = Math.max(MIN_COUNT, Math.min(MAX_COUNT, Math.round(counts[i] ?? 0)));
    payload[offset++] = value & 0xff;
    payload[offset++] = (value >> 8) & 0xff;
    payload[offset++] = (value >> 16) & 0xff;
  }
  return encodeFrame(FrameType.samples, payload);
}

/** STATUS flag bits (§3 STATUS). */
export const StatusFlag = { charging: 1, streaming: 2 } as const;

/** Encodes a STATUS frame: battery percent, flags ({@link StatusFlag}), lead-off mask. */
export function encodeStatusFrame(batteryPercent: number, flags: number, leadOffMask: number): Uint8Array {
  const payload = new Uint8Array(4);
  payload[0] = batteryPercent;
  payload[1] = flags;
  payload[2] = leadOffMask & 0xff;
  payload[3] = (leadOffMask >>> 8) & 0xff;
  return encodeFrame(FrameType.status, payload);
}

/** Encodes an INFO frame carrying `info` as UTF-8 JSON. */
export function encodeInfoFrame(info: Record<string, unknown>): Uint8Array {
  return encodeFrame(FrameType.info, textEncoder.encode(JSON.stringify(info)));
}

/** Encodes an ACK frame: status then the command line it answers (without line ending). */
export function encodeAckFrame(status: number, commandLine: string): Uint8Array {
  const text = textEncoder.encode(commandLine);
  const payload = new Uint8Array(1 + text.length);
  payload[0] = status;
  payload.set(text, 1);
  return encodeFrame(FrameType.ack, payload);
}

/** Encodes a LOG frame with UTF-8 text. */
export function encodeLogFrame(text: string): Uint8Array {
  return encodeFrame(FrameType.log, textEncoder.encode(text));
}
