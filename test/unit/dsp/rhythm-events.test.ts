/**
 * Rhythm events from classed beats as they come (rhythm-events.ts): ectopic beats, pauses, runs
 * of ventricular beats, bradycardia and tachycardia episodes, each episode reported at its onset
 * and again with its end, and nothing made across an interruption.
 */
import { describe, expect, it } from 'vitest';
import type { BeatClass } from '../../../main/dsp/hrv.js';
import { RhythmEvents, type RhythmEvent, type RhythmEventOptions } from '../../../main/dsp/rhythm-events.js';

/** Beat times from RR intervals (ms), the first beat at 1000 ms. */
function fromRr(rrMs: readonly number[]): number[] {
  const out = [1000];
  for (const rr of rrMs) out.push(out[out.length - 1]! + rr);
  return out;
}

/** Every event of `times` classed `classes` (N where not given). */
function play(
  times: readonly number[],
  classes: readonly BeatClass[] = [],
  options?: RhythmEventOptions,
): RhythmEvent[] {
  const tracker = new RhythmEvents(options);
  return [...times.flatMap((t, k) => tracker.beat(t, classes[k] ?? 'N')), ...tracker.interrupt()];
}

describe('rhythm events', () => {
  it('flags a pause longer than 2 s, not one of exactly 2 s', () => {
    const t = fromRr([800, 800, 800, 2400, 800, 800, 2000, 800]);
    expect(play(t).filter((e) => e.kind === 'pause')).toEqual([
      { kind: 'pause', startMs: t[3], endMs: t[4], value: 2400 },
    ]);
  });

  it('opens bradycardia below 50 bpm and tachycardia above 100 bpm after 8 beats beyond, and closes them when the rate comes back', () => {
    const t = fromRr([
      ...Array<number>(12).fill(1300),
      ...Array<number>(12).fill(800),
      ...Array<number>(14).fill(500),
    ]);
    const events = play(t);
    const brady = events.filter((e) => e.kind === 'bradycardia');
    expect(brady).toHaveLength(2);
    expect(brady[0]).toEqual({ kind: 'bradycardia', startMs: t[1], endMs: null, value: 60_000 / 1300 });
    expect(brady[1]!.startMs).toBe(t[1]);
    expect(brady[1]!.endMs).toBeGreaterThan(t[12]!); // the median of 8 RR lags the change
    expect(brady[1]!.endMs).toBeLessThan(t[20]!);
    const tachy = events.filter((e) => e.kind === 'tachycardia');
    expect(tachy.map((e) => e.endMs)).toEqual([null, t[t.length - 1]]); // open, then closed by the end
    expect(tachy[1]!.value).toBeCloseTo(120, 6);
  });

  it('makes one bradycardia of a rate hovering about 50 bpm, and ends it once 8 beats are back over 55', () => {
    const rr = (bpm: number, n: number): number[] => Array<number>(n).fill(60_000 / bpm);
    // 48/min, 6 beats at 52, 48 again, 20 beats at 54 (not clear of the limit), 48 again, then 60/min
    const t = fromRr([...rr(48, 8), ...rr(52, 6), ...rr(48, 8), ...rr(54, 20), ...rr(48, 10), ...rr(60, 14)]);
    const brady = play(t).filter((e) => e.kind === 'bradycardia');
    expect(brady.map((e) => [e.startMs, e.endMs])).toEqual([
      [t[1], null],
      [t[1], expect.any(Number)],
    ]);
    expect(brady[1]!.endMs).toBeGreaterThan(t[52]!); // into the 48/min stretch after the 54
    expect(brady[1]!.endMs).toBeLessThan(t[60]!);
  });

  it('does not call a few short RR intervals a tachycardia, and honours custom thresholds', () => {
    const t = fromRr([800, 800, 500, 500, 500, ...Array<number>(12).fill(800)]);
    expect(play(t)).toEqual([]);
    expect(play(t, [], { bradycardiaBpm: 80 }).some((e) => e.kind === 'bradycardia')).toBe(true);
  });

  it('reports a lone PVC or PAC, or a couplet, when the next beat shows it is no run', () => {
    const t = fromRr([800, 480, 1120, 800, 480, 480, 1200, 800, 560, 560, 1000]);
    const tracker = new RhythmEvents();
    const classes = ['N', 'N', 'V', 'N', 'S', 'V', 'V', 'N', 'N', 'S', 'S', 'N'] as const;
    const heard = t.map((tMs, k) => tracker.beat(tMs, classes[k]!));
    expect(heard).toEqual([
      [],
      [],
      [],
      [{ kind: 'pvc', startMs: t[2], endMs: t[2] }],
      [],
      [{ kind: 'pac', startMs: t[4], endMs: t[4] }], // a V after an S: both ended
      [],
      [
        { kind: 'pvc', startMs: t[5], endMs: t[5], beats: 2 },
        { kind: 'pvc', startMs: t[6], endMs: t[6], beats: 2 },
      ],
      [],
      [],
      [],
      [
        { kind: 'pac', startMs: t[9], endMs: t[9], beats: 2 },
        { kind: 'pac', startMs: t[10], endMs: t[10], beats: 2 },
      ],
    ]);
  });

  it('reports a run of supraventricular beats as one run, not as PACs nor as a tachycardia', () => {
    const t = fromRr([800, 800, ...Array<number>(12).fill(400), 900, 800]);
    const classes: BeatClass[] = ['N', 'N', ...Array<BeatClass>(13).fill('S'), 'N', 'N'];
    expect(play(t, classes)).toEqual([
      { kind: 'supraventricular_run', startMs: t[2], endMs: null, beats: 3, value: 150 },
      { kind: 'supraventricular_run', startMs: t[2], endMs: t[14], beats: 13, value: 150 },
    ]);
  });

  it('opens a ventricular run at its third beat and closes it at the next other beat, with its beats and rate, and no PVC of its own', () => {
    const t = fromRr([800, 800, 400, 400, 400, 400, 1200, 800]);
    const classes: BeatClass[] = ['N', 'N', 'V', 'V', 'F', 'V', 'V', 'N', 'N'];
    const tracker = new RhythmEvents();
    const heard = t.map((tMs, k) => tracker.beat(tMs, classes[k]!));
    expect(heard[4]).toEqual([{ kind: 'ventricular_run', startMs: t[2], endMs: null, beats: 3, value: 150 }]);
    expect(heard[7]).toEqual([{ kind: 'ventricular_run', startMs: t[2], endMs: t[6], beats: 5, value: 150 }]);
    expect(heard.flat()).toHaveLength(2);
    // broken by an interruption before its third beat, two ventricular beats are a couplet
    tracker.beat(t[8]! + 800, 'V');
    tracker.beat(t[8]! + 1200, 'V');
    expect(tracker.interrupt().map((e) => [e.kind, e.beats])).toEqual([
      ['pvc', 2],
      ['pvc', 2],
    ]);
  });

  it('makes no run of a couplet, nor of ventricular beats broken by a noise beat, and no run starts on a fusion beat', () => {
    const t = fromRr(Array<number>(9).fill(500));
    expect(
      play(t, ['N', 'V', 'V', 'N', 'V', 'V', 'Q', 'V', 'V', 'N']).some((e) => e.kind === 'ventricular_run'),
    ).toBe(false);
    expect(play(t, ['N', 'F', 'V', 'V', 'N']).some((e) => e.kind === 'ventricular_run')).toBe(false);
  });

  it('reports a run of ventricular beats at 150/min as a ventricular run, not also as a tachycardia', () => {
    const t = fromRr([800, 800, ...Array<number>(14).fill(400), 1000, 800]);
    const classes: BeatClass[] = ['N', 'N', ...Array<BeatClass>(15).fill('V'), 'N', 'N'];
    const events = play(t, classes).filter((e) => e.kind !== 'pvc');
    expect(events).toEqual([
      { kind: 'ventricular_run', startMs: t[2], endMs: null, beats: 3, value: 150 },
      { kind: 'ventricular_run', startMs: t[2], endMs: t[16], beats: 15, value: 150 },
    ]);
  });

  it('ends a run, a rate episode and the RR interval at an interruption', () => {
    const tracker = new RhythmEvents();
    const t = fromRr(Array<number>(13).fill(400)); // 14 beats: 11 sinus, then 3 PVCs
    const classes: BeatClass[] = [...Array<BeatClass>(11).fill('N'), 'V', 'V', 'V'];
    const before = t.flatMap((tMs, k) => tracker.beat(tMs, classes[k]!));
    expect(before.filter((e) => e.endMs === null).map((e) => e.kind)).toEqual([
      'tachycardia',
      'ventricular_run',
    ]);
    expect(tracker.interrupt()).toEqual([
      { kind: 'ventricular_run', startMs: t[11], endMs: t[13], beats: 3, value: 150 },
      { kind: 'tachycardia', startMs: t[1], endMs: t[10], value: 150 },
    ]);
    // 10 s later: no pause across the interruption, and the run starts afresh
    const after = [tracker.beat(t[13]! + 10_000, 'V'), tracker.beat(t[13]! + 10_400, 'N')].flat();
    expect(after.map((e) => e.kind)).toEqual(['pvc']);
    expect(tracker.interrupt()).toEqual([]);
  });
});
