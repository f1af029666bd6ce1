import { describe, expect, it } from 'vitest';
import {
  computeHrv,
  computeHrvWindow,
  hrvFromNnRuns,
  nnRuns,
  type TimedBeat,
} from '../../../main/dsp/hrv.js';

function beatsFromRr(rrMs: number[], classes?: string): TimedBeat[] {
  const beats: TimedBeat[] = [{ timeMs: 0, beatClass: 'N' }];
  let t = 0;
  rrMs.forEach((rr, i) => {
    t += rr;
    const c = classes?.[i + 1] ?? 'N';
    beats.push({ timeMs: t, beatClass: c as TimedBeat['beatClass'] });
  });
  return beats;
}

describe('HRV over normal-to-normal intervals', () => {
  // RR (ms): 800 820 780 900 840 760 800 860 790 810 → computed by hand:
  // mean 816; deviations −16 4 −36 84 24 −56 −16 44 −26 −6; Σd² = 15 240 → SDNN = √(15240/9) = 41.15
  // successive differences 20 −40 120 −60 −80 40 60 −70 20 → Σ = 400+1600+14400+3600+6400+1600+3600+4900+400
  // = 36 900 → RMSSD = √(36900/9) = 64.03; |Δ| > 50: 120, 60, 80, 60, 70 → NN50 = 5, pNN50 = 5/9 = 55.6 %
  const rr = [800, 820, 780, 900, 840, 760, 800, 860, 790, 810];

  it('matches hand-computed SDNN, RMSSD and pNN50 (NN50 over successive differences)', () => {
    const h = computeHrv(beatsFromRr(rr));
    if ('withheld' in h) throw new Error('withheld');
    expect(h.nnCount).toBe(10);
    expect(h.meanNnMs).toBeCloseTo(816, 9);
    expect(h.sdnnMs).toBeCloseTo(Math.sqrt(15240 / 9), 9);
    expect(h.rmssdMs).toBeCloseTo(Math.sqrt(36900 / 9), 9);
    expect(h.nn50).toBe(5);
    expect(h.successiveDifferences).toBe(9);
    expect(h.pnn50Pct).toBeCloseTo((100 * 5) / 9, 9);
  });

  it('counts a difference of exactly 50 ms as not above 50', () => {
    const h = hrvFromNnRuns([[800, 850, 800, 850, 800, 850, 800, 850, 800, 850]]);
    if ('withheld' in h) throw new Error('withheld');
    expect(h.nn50).toBe(0);
  });

  it('drops every interval touching an ectopic beat and does not difference across it', () => {
    // beat 5 is a PVC: intervals 4→5 and 5→6 leave; runs are beats 0..4 and 6..12
    const rrWithPvc = [800, 800, 800, 800, 480, 1120, 800, 800, 800, 800, 800, 800];
    const beats = beatsFromRr(rrWithPvc, 'NNNNNVNNNNNNN');
    expect(nnRuns(beats)).toEqual([
      [800, 800, 800, 800],
      [800, 800, 800, 800, 800, 800],
    ]);
    const h = computeHrv(beats);
    if ('withheld' in h) throw new Error('withheld');
    expect(h.sdnnMs).toBe(0);
    expect(h.rmssdMs).toBe(0);
    expect(h.successiveDifferences).toBe(8);
  });

  it('leaves out an interval with a missed beat in it, and keeps sinus arrhythmia', () => {
    // sinus rhythm breathing: RR swinging 700–1000 ms over 6 beats; one beat missed (signal lost
    // for a moment) joins two intervals into one of ≈ 1.7–2 cycles
    const swing = Array.from({ length: 60 }, (_, k) =>
      Math.round(850 + 150 * Math.sin((2 * Math.PI * k) / 6)),
    );
    const kept = computeHrv(beatsFromRr(swing));
    if ('withheld' in kept) throw new Error('withheld');
    expect(kept.nnCount).toBe(60);
    const missed = [...swing.slice(0, 30), swing[30]! + swing[31]!, ...swing.slice(32)];
    expect(nnRuns(beatsFromRr(missed))).toEqual([swing.slice(0, 30), swing.slice(32)]);
    const h = computeHrv(beatsFromRr(missed));
    if ('withheld' in h) throw new Error('withheld');
    expect(h.nnCount).toBe(58);
    expect(Math.abs(h.rmssdMs - kept.rmssdMs)).toBeLessThan(0.05 * kept.rmssdMs);
  });

  it('leaves out the two short intervals around an extra beat taken for normal', () => {
    const rr = [800, 810, 790, 800, 820, 300, 500, 800, 790, 810, 800, 805, 795];
    expect(nnRuns(beatsFromRr(rr))).toEqual([rr.slice(0, 5), rr.slice(7)]);
  });

  it('drops intervals spanning a recording gap', () => {
    const beats = beatsFromRr([800, 800, 800, 800]);
    expect(nnRuns(beats, [[1000, 1500]])).toEqual([[800], [800, 800]]);
  });

  it('withholds figures with fewer than 10 NN intervals', () => {
    expect(computeHrv(beatsFromRr([800, 810, 790]))).toEqual({
      withheld: 'too-few-nn-intervals',
      nnCount: 3,
    });
  });
});

describe('HRV over a labelled window', () => {
  it('uses only the last 5 minutes and says how long the window was', () => {
    // 10 minutes: the first 5 at RR 1000 ± 100 ms alternating, the last 5 at a steady 800 ms
    const beats: { timeMs: number; beatClass: 'N' }[] = [];
    let t = 0;
    for (let k = 0; t < 300_000; k++) {
      beats.push({ timeMs: t, beatClass: 'N' });
      t += k % 2 === 0 ? 900 : 1100;
    }
    while (t <= 600_000) {
      beats.push({ timeMs: t, beatClass: 'N' });
      t += 800;
    }
    const w = computeHrvWindow(beats);
    expect(w.fullWindow).toBe(true);
    expect(w.windowMs).toBeGreaterThan(299_000);
    expect(w.windowMs).toBeLessThanOrEqual(300_000);
    expect('sdnnMs' in w && w.sdnnMs).toBeCloseTo(0, 6);
    expect('rmssdMs' in w && w.rmssdMs).toBeCloseTo(0, 6);
    const short = computeHrvWindow(beats.slice(0, 40));
    expect(short.fullWindow).toBe(false);
    expect(short.windowMs).toBeLessThan(60_000);
    expect('rmssdMs' in short && short.rmssdMs).toBeCloseTo(200, 6);
  });
});
