/**
 * Property test of the ECG-12 decoder: random frame streams with random damage (corrupted bytes,
 * dropped frames, garbage biased towards sync bytes), fed in random splits. A CRC-16 accepts about
 * 1 in 65,536 random corruptions, so a run in which a damaged frame (or garbage) got through is
 * counted rather than failed, and the count across all runs is bounded; every other run must be exact.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  encodeFrame,
  encodeLogFrame,
  encodeStatusFrame,
} from '../../../main/devices/ecg12/sim/frame-encoder.js';
import { MAX_FRAME_BYTES } from '../../../main/devices/ecg12/protocol.js';
import { collectingDecoder, type Collected, concat, countAt, samplesFrame } from './frame-helpers.js';

const itemArb = fc.record({
  kind: fc.constantFrom('samples', 'samples', 'samples', 'samples', 'status', 'log', 'unknown'),
  fate: fc.constantFrom('intact', 'intact', 'intact', 'intact', 'corrupt', 'drop'),
  garbage: fc.uint8Array({ maxLength: 24 }),
  damage: fc.array(fc.record({ pos: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }), {
    minLength: 1,
    maxLength: 4,
  }),
});
const streamArb = fc.record({
  setCount: fc.constantFrom(1, 4, 5, 10, 20, 32),
  items: fc.array(itemArb, { maxLength: 50 }),
  cuts: fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 30 }),
});

type Item = typeof itemArb extends fc.Arbitrary<infer T> ? T : never;

function biasTowardsSync(garbage: Uint8Array): Uint8Array {
  return garbage.map((b) => (b < 40 ? 0xa5 : b < 70 ? 0x5a : b));
}

function frameOf(item: Item, seq: number, setCount: number, n: number): Uint8Array {
  switch (item.kind) {
    case 'samples':
      return samplesFrame(seq, seq * setCount, setCount, n & 0x1ff);
    case 'status':
      return encodeStatusFrame(n % 101, 2, n & 0x1ff);
    case 'log':
      return encodeLogFrame(`log ${n}`);
    default:
      return encodeFrame(0x10 + (n % 0x60), Uint8Array.of(n & 0xff, 1, 2));
  }
}

function corrupt(frame: Uint8Array, damage: Item['damage']): Uint8Array {
  const copy = frame.slice();
  const xorByPos = new Map<number, number>();
  for (const d of damage) xorByPos.set(d.pos % copy.length, d.xor);
  for (const [pos, xor] of xorByPos) copy[pos]! ^= xor;
  return copy;
}

/** A frame's identity as the collector sees it. */
function describe_(item: Item, seq: number, setCount: number, n: number): string {
  switch (item.kind) {
    case 'samples':
      return `S${seq}:${expectedCounts(seq * setCount, setCount).join(',')}`;
    case 'status':
      return `T${n % 101}:${n & 0x1ff}`;
    case 'log':
      return `Llog ${n}`;
    default:
      return `U${0x10 + (n % 0x60)}`;
  }
}

function expectedCounts(firstIndex: number, setCount: number): number[] {
  const counts: number[] = [];
  for (let i = 0; i < setCount; i++) for (let ch = 0; ch < 8; ch++) counts.push(countAt(firstIndex + i, ch));
  return counts;
}

/** Accepted frames that match no frame sent intact (multiset difference). */
function foreignFramesAccepted(out: Collected, intactSent: readonly string[]): number {
  const remaining = new Map<string, number>();
  for (const key of intactSent) remaining.set(key, (remaining.get(key) ?? 0) + 1);
  const accepted = [
    ...out.frames.map((f) => `S${f.seq}:${f.counts.join(',')}`),
    ...out.statuses.map((s) => `T${s.batteryPercent}:${s.leadOffMask}`),
    ...out.logs.map((t) => `L${t}`),
    ...out.unknown.map((t) => `U${t}`),
  ];
  let foreign = 0;
  for (const key of accepted) {
    const left = remaining.get(key) ?? 0;
    if (left === 0) foreign++;
    else remaining.set(key, left - 1);
  }
  return foreign + out.acks.length + out.infos.length;
}

describe('ECG-12 frame decoder under random splits and damage', () => {
  it('emits every intact frame exactly once and in order, and rejects damaged ones (bar CRC false accepts)', () => {
    let runs = 0;
    let damagedFrames = 0;
    let runsWithFalseAccept = 0;
    fc.assert(
      fc.property(streamArb, ({ setCount, items, cuts }) => {
        runs++;
        const parts: Uint8Array[] = [];
        const intactSeqs: number[] = [];
        const intactSent: string[] = [];
        let intactFrames = 0;
        let seq = 0;
        items.forEach((item, n) => {
          parts.push(biasTowardsSync(item.garbage));
          const frame = frameOf(item, seq, setCount, n);
          if (item.fate === 'intact') {
            parts.push(frame);
            intactFrames++;
            intactSent.push(describe_(item, seq, setCount, n));
            if (item.kind === 'samples') intactSeqs.push(seq);
          } else if (item.fate === 'corrupt') {
            parts.push(corrupt(frame, item.damage));
            damagedFrames++;
          }
          if (item.kind === 'samples') seq++;
        });
        parts.push(new Uint8Array(MAX_FRAME_BYTES)); // trailing idle bytes: flushes any frame still pending
        const stream = concat(parts);

        const { decoder, out } = collectingDecoder();
        let at = 0;
        for (let i = 0; at < stream.length; i++) {
          const next = Math.min(stream.length, at + cuts[i % cuts.length]!);
          decoder.push(stream.subarray(at, next));
          at = next;
        }
        const c = decoder.counters;
        expect(decoder.pendingBytes).toBe(0); // never stalls
        expect(c.bytesInFrames + c.bytesDiscarded).toBe(c.bytesReceived);

        const decodedSeqs = out.frames.map((f) => f.seq);
        const exact =
          c.framesAccepted === intactFrames &&
          decodedSeqs.length === intactSeqs.length &&
          decodedSeqs.every((s, i) => s === intactSeqs[i]);
        if (!exact) {
          // Only acceptable when something that was not sent intact got through the CRC.
          expect(foreignFramesAccepted(out, intactSent)).toBeGreaterThan(0);
          runsWithFalseAccept++;
          return;
        }
        out.frames.forEach((f, i) => {
          expect(f.firstIndex).toBe(intactSeqs[i]! * setCount);
          expect(f.counts).toEqual(expectedCounts(f.firstIndex, setCount));
        });
        const lastSeq = intactSeqs.at(-1);
        expect(c.sampleSetsLost).toBe(
          lastSeq === undefined ? 0 : (lastSeq + 1 - intactSeqs.length) * setCount,
        );
      }),
      { numRuns: 400, seed: 20261121 },
    );
    // Expected false accepts ≈ damagedFrames / 65,536 (plus garbage forming a valid frame, rarer still).
    const expectedFalseAccepts = damagedFrames / 65536;
    expect(runs).toBe(400);
    expect(runsWithFalseAccept).toBeLessThanOrEqual(Math.max(2, Math.ceil(10 * expectedFalseAccepts)));
  });
});
