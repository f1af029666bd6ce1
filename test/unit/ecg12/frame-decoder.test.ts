import { describe, expect, it } from 'vitest';
import {
  encodeAckFrame,
  encodeFrame,
  encodeInfoFrame,
  encodeLogFrame,
  encodeSamplesFrame,
  encodeStatusFrame,
  StatusFlag,
} from '../../../main/devices/ecg12/sim/frame-encoder.js';
import { Ecg12FrameDecoder } from '../../../main/devices/ecg12/frame-decoder.js';
import { collectingDecoder, concat, countAt, samplesFrame } from './frame-helpers.js';

function feedAllSplits(
  bytes: Uint8Array,
  check: (decoder: ReturnType<typeof collectingDecoder>) => void,
): void {
  for (let cut = 0; cut <= bytes.length; cut++) {
    const d = collectingDecoder();
    d.decoder.push(bytes.subarray(0, cut));
    d.decoder.push(bytes.subarray(cut));
    check(d);
  }
}

describe('ECG-12 frame decoder', () => {
  it('decodes SAMPLES frames into signed 24-bit counts with run indexes', () => {
    const { decoder, out } = collectingDecoder();
    decoder.push(concat([samplesFrame(0, 0, 10, 0x1ff), samplesFrame(1, 10, 10)]));
    expect(out.frames.map((f) => [f.seq, f.firstIndex, f.setCount])).toEqual([
      [0, 0, 10],
      [1, 10, 10],
    ]);
    expect(out.frames[0]!.leadOffMask).toBe(0x1ff);
    expect(out.frames[1]!.counts[8 * 3 + 5]).toBe(countAt(13, 5));
    expect(decoder.counters.sampleSetsReceived).toBe(20);
  });

  it('keeps the extremes of the 24-bit range', () => {
    const { decoder, out } = collectingDecoder();
    const counts = [-8388608, 8388607, -1, 0, 1, -2, 2, 123456];
    decoder.push(encodeSamplesFrame(0, 0, counts, 1));
    expect(out.frames[0]!.counts).toEqual(counts);
  });

  it('decodes the same output whatever byte the input is split at', () => {
    const stream = concat([
      encodeLogFrame('boot'),
      samplesFrame(0, 0, 4),
      encodeStatusFrame(87, StatusFlag.streaming, 3),
    ]);
    feedAllSplits(stream, ({ out, decoder }) => {
      expect(out.logs).toEqual(['boot']);
      expect(out.frames).toHaveLength(1);
      expect(out.frames[0]!.counts[31]).toBe(countAt(3, 7));
      expect(out.statuses).toEqual([{ batteryPercent: 87, leadOffMask: 3, streaming: true }]);
      expect(decoder.counters.bytesDiscarded).toBe(0);
    });
  });

  it('discards and counts bytes before a sync, including a lone 0xA5', () => {
    const { decoder, out } = collectingDecoder();
    decoder.push(concat([Uint8Array.of(1, 2, 0xa5, 0xa5, 3), samplesFrame(0, 0, 1)]));
    expect(out.frames).toHaveLength(1);
    expect(decoder.counters.bytesDiscarded).toBe(5);
  });

  it('rejects a frame whose CRC fails and resumes one byte after its start', () => {
    const bad = samplesFrame(0, 0, 4);
    bad[20]! ^= 0x10;
    // A good frame hidden inside the rejected frame's bytes must still be found.
    const inner = samplesFrame(0, 0, 1);
    const outer = encodeFrame(0x01, concat([Uint8Array.of(9, 9), inner]));
    outer[outer.length - 1]! ^= 0xff;
    feedAllSplits(concat([bad, outer]), ({ out, decoder }) => {
      expect(decoder.counters.crcRejects).toBe(2);
      expect(out.frames.map((f) => f.seq)).toEqual([0]);
      expect(out.frames[0]!.setCount).toBe(1);
    });
  });

  it('rejects a length above 1024 without waiting for that many bytes', () => {
    const { decoder, out } = collectingDecoder();
    decoder.push(concat([Uint8Array.of(0xa5, 0x5a, 0x01, 0x01, 0x04), samplesFrame(0, 0, 2)]));
    expect(decoder.counters.lengthRejects).toBe(1);
    expect(out.frames).toHaveLength(1);
    expect(decoder.counters.bytesDiscarded).toBe(5);
  });

  it('accepts a payload of exactly 1024 bytes', () => {
    const { decoder, out } = collectingDecoder();
    decoder.push(encodeFrame(0x7f, new Uint8Array(1024).fill(0x41)));
    expect(out.logs[0]).toHaveLength(1024);
    expect(decoder.counters.lengthRejects).toBe(0);
  });

  it('skips a CRC-valid frame of an unknown type without error', () => {
    const { decoder, out } = collectingDecoder();
    decoder.push(
      concat([samplesFrame(0, 0, 2), encodeFrame(0x42, Uint8Array.of(1, 2, 3)), samplesFrame(1, 2, 2)]),
    );
    expect(out.unknown).toEqual([0x42]);
    expect(decoder.counters.unknownTypeFrames).toBe(1);
    expect(out.frames.map((f) => f.firstIndex)).toEqual([0, 2]);
    expect(decoder.counters.gapCount).toBe(0);
  });

  it('passes LOG, INFO and ACK frames to their handlers', () => {
    const { decoder, out } = collectingDecoder();
    decoder.push(
      concat([
        encodeLogFrame('fw 1.2.0 — ok'),
        encodeInfoFrame({ serial: 'ECG-1', rate: 500 }),
        encodeAckFrame(3, 'RATE 80'),
      ]),
    );
    expect(out.logs).toEqual(['fw 1.2.0 — ok']);
    expect(JSON.parse(out.infos[0]!)).toEqual({ serial: 'ECG-1', rate: 500 });
    expect(out.acks).toEqual([{ status: 3, line: 'RATE 80' }]);
    expect(decoder.counters.logFrames).toBe(1);
  });

  it('records a gap of (seq jump - 1) x K sample sets and keeps indexes counting it', () => {
    const { decoder, out } = collectingDecoder();
    decoder.push(concat([samplesFrame(0, 0, 5), samplesFrame(3, 15, 5), samplesFrame(4, 20, 5)]));
    expect(out.gaps).toEqual([{ firstIndex: 5, setCount: 10 }]);
    expect(out.frames.map((f) => f.firstIndex)).toEqual([0, 15, 20]);
    expect(decoder.counters.sampleSetsLost).toBe(10);
    expect(decoder.nextSampleIndex).toBe(25);
  });

  it('counts frames lost at the start of a run as a gap from index 0', () => {
    const { decoder, out } = collectingDecoder();
    decoder.push(samplesFrame(2, 8, 4));
    expect(out.gaps).toEqual([{ firstIndex: 0, setCount: 8 }]);
    expect(out.frames[0]!.firstIndex).toBe(8);
  });

  it('wraps seq at 2^32 without a gap, and measures a jump across the wrap', () => {
    const a = collectingDecoder(0xfffffffe);
    a.decoder.push(
      concat([samplesFrame(0xfffffffe, 0, 4), samplesFrame(0xffffffff, 4, 4), samplesFrame(0, 8, 4)]),
    );
    expect(a.out.gaps).toEqual([]);
    const b = collectingDecoder(0xfffffffe);
    b.decoder.push(concat([samplesFrame(0xfffffffe, 0, 4), samplesFrame(1, 12, 4)]));
    expect(b.out.gaps).toEqual([{ firstIndex: 4, setCount: 8 }]);
    expect(b.out.frames[1]!.firstIndex).toBe(12);
  });

  it('treats seq going backwards as a restarted run', () => {
    const { decoder, out } = collectingDecoder();
    decoder.push(concat([samplesFrame(0, 0, 4), samplesFrame(1, 4, 4), samplesFrame(0, 0, 4)]));
    expect(decoder.counters.seqResets).toBe(1);
    expect(out.frames.map((f) => f.firstIndex)).toEqual([0, 4, 0]);
  });

  it('counts a CRC-valid SAMPLES frame with a bad K or length as malformed', () => {
    const { decoder, out } = collectingDecoder();
    const good = samplesFrame(0, 0, 2);
    const payload = good.slice(5, good.length - 2);
    payload[6] = 3; // K says 3, payload holds 2
    const zeroK = payload.slice(0, 7);
    zeroK[6] = 0;
    decoder.push(
      concat([encodeFrame(0x01, payload), encodeFrame(0x01, zeroK), encodeFrame(0x02, Uint8Array.of(1))]),
    );
    expect(decoder.counters.malformedFrames).toBe(3);
    expect(out.frames).toHaveLength(0);
  });

  it('ignores SAMPLES frames while no run is open', () => {
    const decoder = new Ecg12FrameDecoder();
    decoder.push(samplesFrame(0, 0, 4));
    expect(decoder.counters.samplesFramesOutsideRun).toBe(1);
    expect(decoder.counters.sampleSetsReceived).toBe(0);
  });

  it('accounts for every byte: in frames, discarded, or pending', () => {
    const { decoder } = collectingDecoder();
    const stream = concat([Uint8Array.of(0, 0xa5), samplesFrame(0, 0, 3), Uint8Array.of(0xa5, 0x5a, 1)]);
    decoder.push(stream);
    const c = decoder.counters;
    expect(c.bytesInFrames + c.bytesDiscarded + decoder.pendingBytes).toBe(c.bytesReceived);
    expect(decoder.pendingBytes).toBe(3);
  });

  it('handles a single push far larger than its internal buffer', () => {
    const { decoder, out } = collectingDecoder();
    const frames = Array.from({ length: 200 }, (_, seq) => samplesFrame(seq, seq * 20, 20));
    decoder.push(concat(frames));
    expect(out.frames).toHaveLength(200);
    expect(out.frames[199]!.counts[159]).toBe(countAt(3999, 7));
  });
});
