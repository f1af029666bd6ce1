import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineReassembler, XOFF, XON } from '../../../main/devices/bangle/line-reassembler.js';

const bytes = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));

describe('LineReassembler', () => {
  it('joins a line split across notifications and keeps the tail', () => {
    const r = new LineReassembler();
    expect(r.push(bytes('{"t":"hr')).lines).toEqual([]);
    expect(r.push(bytes('m"}\r\n{"t"')).lines).toEqual(['{"t":"hrm"}']);
    expect(r.push(bytes(':"ok"}\r\n')).lines).toEqual(['{"t":"ok"}']);
  });

  it('yields the same lines for any split of the stream', () => {
    const lines = ['{"t":"hello","v":1}', '>\x1b[J{"t":"acc"}', '', 'Uncaught Error: x'];
    const stream = bytes(lines.map((l) => `${l}\r\n`).join(''));
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: stream.length }), { maxLength: 20 }), (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const r = new LineReassembler();
        const out: string[] = [];
        let from = 0;
        for (const to of [...points, stream.length]) {
          out.push(...r.push(stream.subarray(from, to)).lines);
          from = to;
        }
        expect(out).toEqual(lines);
      }),
    );
  });

  it('decodes latin1 (Espruino strings are byte strings)', () => {
    const r = new LineReassembler();
    expect(r.push(Uint8Array.from([0x63, 0x61, 0x66, 0xe9, 0x0a])).lines).toEqual(['café']);
  });

  it('takes XON/XOFF out of the data and tracks the pause', () => {
    const r = new LineReassembler();
    const a = r.push(Uint8Array.from([0x61, XOFF, 0x62]));
    expect(a).toMatchObject({ lines: [], paused: true, flowChanged: true });
    const b = r.push(Uint8Array.from([0x63, XON, 0x0a]));
    expect(b).toMatchObject({ lines: ['abc'], paused: false, flowChanged: true });
    expect(r.isPaused).toBe(false);
  });

  it('drops a line longer than the cap and recovers at the next newline', () => {
    const r = new LineReassembler(16);
    const first = r.push(bytes('x'.repeat(20)));
    expect(first.overflowBytes).toBe(20);
    expect(r.push(bytes('yyyy\nok\n')).lines).toEqual(['ok']);
  });

  it('forgets the partial line and the pause on reset', () => {
    const r = new LineReassembler();
    r.push(Uint8Array.from([0x61, XOFF]));
    r.reset();
    expect(r.isPaused).toBe(false);
    expect(r.push(bytes('b\n')).lines).toEqual(['b']);
  });
});
