import { describe, expect, it } from 'vitest';
import { SampleSpans } from '../../../main/dsp/sample-spans.js';

describe('SampleSpans', () => {
  it('holds closed spans inclusively and an open one without end, and forgets what ended before', () => {
    const spans = new SampleSpans();
    expect(spans.contains(0)).toBe(false);
    spans.open(10);
    spans.open(12); // already open: the span still starts at 10
    expect(spans.isOpen).toBe(true);
    expect(spans.openStart).toBe(10);
    expect([9, 10, 11, 1e9].map((n) => spans.contains(n))).toEqual([false, true, true, true]);
    spans.close(20);
    spans.close(25); // none open: nothing changes
    expect(spans.isOpen).toBe(false);
    expect(spans.openStart).toBeNull();
    expect([20, 21, 25].map((n) => spans.contains(n))).toEqual([true, false, false]);
    spans.open(30);
    spans.forgetBefore(21); // the first ended at 20
    expect([15, 30, 40].map((n) => spans.contains(n))).toEqual([false, true, true]);
    spans.forgetBefore(1e9); // an open span is never forgotten
    expect(spans.contains(1e9)).toBe(true);
  });
});
