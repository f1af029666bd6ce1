/**
 * Builds chunk bytes field by field, following the layout documented in
 * server-contract/codec/header.ts, so tests can craft malformed chunks.
 */
import { readFileSync } from 'node:fs';
import { deflateSync } from 'fflate';

export type Bytes = number[];

export function varuint(value: number): Bytes {
  const out: Bytes = [];
  let v = value;
  while (v >= 128) {
    out.push((v % 128) | 128);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

export function varint(value: number): Bytes {
  return varuint(value >= 0 ? value * 2 : -value * 2 - 1);
}

export function f64(value: number): Bytes {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value, true);
  return Array.from(new Uint8Array(view.buffer));
}

export function str(text: string | Bytes): Bytes {
  const bytes = typeof text === 'string' ? Array.from(new TextEncoder().encode(text)) : text;
  return [...varuint(bytes.length), ...bytes];
}

const fixtureDir = new URL('../../fixtures/codec/', import.meta.url);

export function fixtureBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(name, fixtureDir)));
}

export function fixtureJson(name: string): unknown {
  return JSON.parse(readFileSync(new URL(name, fixtureDir), 'utf8'));
}

const RECORDING_ID = [0x01, 0x9a, 0, 0, 0, 0, 0x70, 0, 0x80, 0, 0, 0, 0, 0x01, 0, 0xd1];

/** Header fields of ludb1-ecg.chunk as byte pieces, in layout order. */
export function ecgHeaderFields(): Record<string, Bytes> {
  const channel = (name: string): Bytes => [...str(name), ...str('nV'), ...f64(476.84)];
  return {
    magic: [0x50, 0x57, 0x43, 0x4b],
    version: [1],
    kind: [1],
    recordingId: RECORDING_ID,
    stream: str('ecg'),
    chunkIndex: varuint(0),
    anchorMs: varint(1_767_225_600_000),
    firstSampleIndex: varuint(0),
    sampleRateHz: f64(500),
    channels: [8, ...['I', 'II', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'].flatMap(channel)],
    sampleCount: varuint(1000),
    gaps: [...varuint(1), ...varuint(600), ...varuint(25), ...str('frames_lost')],
  };
}

export function join(fields: Record<string, Bytes>, ...rest: (Bytes | Uint8Array)[]): Uint8Array {
  return Uint8Array.from([...Object.values(fields).flat(), ...rest.flatMap((r) => Array.from(r))]);
}

/** A records chunk with the given times (absolute ms), JSON text bytes and deflate level. */
export function recordsChunk(options: {
  times?: number[];
  json?: Bytes | string;
  jsonLength?: number;
  deflated?: Bytes;
  level?: 0 | 1 | 9;
  recordCount?: Bytes;
}): Uint8Array {
  const anchorMs = 1_767_225_600_000;
  const times = options.times ?? [anchorMs + 10, anchorMs + 20];
  const json =
    typeof options.json === 'string'
      ? Array.from(new TextEncoder().encode(options.json))
      : (options.json ?? Array.from(new TextEncoder().encode('[{},{}]')));
  const deflated =
    options.deflated ?? Array.from(deflateSync(Uint8Array.from(json), { level: options.level ?? 9 }));
  let previous = anchorMs;
  const deltas = times.flatMap((t) => {
    const d = varint(t - previous);
    previous = t;
    return d;
  });
  const header = {
    magic: [0x50, 0x57, 0x43, 0x4b],
    version: [1],
    kind: [2],
    recordingId: RECORDING_ID,
    stream: str('beats'),
    chunkIndex: varuint(0),
    anchorMs: varint(anchorMs),
    recordCount: options.recordCount ?? varuint(times.length),
  };
  return join(header, deltas, varuint(options.jsonLength ?? json.length), varuint(deflated.length), deflated);
}
