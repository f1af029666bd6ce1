/** Helpers shared by the ECG-12 decoder tests: build frames, collect decoder output. */
import { Ecg12FrameDecoder, type Ecg12DecoderHandlers } from '../../../main/devices/ecg12/frame-decoder.js';
import { encodeSamplesFrame } from '../../../main/devices/ecg12/sim/frame-encoder.js';

/** Deterministic counts for sample set `index`, channel `ch` (spans the signed 24-bit range). */
export function countAt(index: number, ch: number): number {
  return ((((index * 7919 + ch * 104729) % 16777216) + 16777216) % 16777216) - 8388608;
}

/** A SAMPLES frame whose sets are {@link countAt}(firstIndex + i, ch). */
export function samplesFrame(seq: number, firstIndex: number, setCount: number, leadOffMask = 0): Uint8Array {
  const counts = new Int32Array(setCount * 8);
  for (let i = 0; i < setCount; i++)
    for (let ch = 0; ch < 8; ch++) counts[i * 8 + ch] = countAt(firstIndex + i, ch);
  return encodeSamplesFrame(seq, leadOffMask, counts, setCount);
}

/** What a decoder emitted. */
export interface Collected {
  frames: { seq: number; firstIndex: number; setCount: number; leadOffMask: number; counts: number[] }[];
  gaps: { firstIndex: number; setCount: number }[];
  acks: { status: number; line: string }[];
  logs: string[];
  infos: string[];
  unknown: number[];
  statuses: { batteryPercent: number; leadOffMask: number; streaming: boolean }[];
}

/** A decoder (run started at `firstSeq`) whose output is collected. */
export function collectingDecoder(firstSeq = 0): { decoder: Ecg12FrameDecoder; out: Collected } {
  const out: Collected = { frames: [], gaps: [], acks: [], logs: [], infos: [], unknown: [], statuses: [] };
  const handlers: Ecg12DecoderHandlers = {
    samples: (b) =>
      out.frames.push({
        seq: b.seq,
        firstIndex: b.firstIndex,
        setCount: b.setCount,
        leadOffMask: b.leadOffMask,
        counts: Array.from(b.counts.subarray(0, b.setCount * 8)),
      }),
    gap: (firstIndex, setCount) => out.gaps.push({ firstIndex, setCount }),
    ack: (status, line) => out.acks.push({ status, line }),
    log: (text) => out.logs.push(text),
    info: (json) => out.infos.push(json),
    unknownFrame: (type) => out.unknown.push(type),
    status: (s) =>
      out.statuses.push({
        batteryPercent: s.batteryPercent,
        leadOffMask: s.leadOffMask,
        streaming: s.streaming,
      }),
  };
  const decoder = new Ecg12FrameDecoder(handlers);
  decoder.startRun(firstSeq);
  return { decoder, out };
}

/** Concatenates byte arrays. */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
