/**
 * The simulator's arrest rhythms and ventricular tachycardia: the `--episodes` spec is parsed or
 * refused in words, and the episodes replace the source's ECG only where they are, fading in and
 * out.
 */
import { describe, expect, it } from 'vitest';
import {
  parseEpisodes,
  SimEpisodeError,
  withEpisodes,
} from '../../../main/devices/ecg12/sim/rhythm-episodes.js';
import { syntheticSource } from '../../../main/devices/ecg12/sim/synthetic-source.js';
import { syntheticVtBeats } from '../../../main/dsp/synthetic-vt.js';

const LSB_NV = 476.84;
const RATE = 250;

function counts(source: ReturnType<typeof syntheticSource>, from: number, to: number, channel = 1): number[] {
  const set = new Int32Array(8);
  const out: number[] = [];
  for (let i = from; i < to; i++) {
    source.fill(i, set, 0);
    out.push(set[channel]!);
  }
  return out;
}

function spreadMicrovolts(values: number[]): number {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return (Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length) * LSB_NV) / 1000;
}

describe('simulator arrest episodes: the spec', () => {
  it('reads kinds, starts and durations in seconds, in time order', () => {
    expect(parseEpisodes('asystole@70+8, vf@30+20,flutter@100.5+12,vt@120+10')).toEqual([
      { kind: 'vf', startS: 30, durationS: 20 },
      { kind: 'asystole', startS: 70, durationS: 8 },
      { kind: 'flutter', startS: 100.5, durationS: 12 },
      { kind: 'vt', startS: 120, durationS: 10 },
    ]);
  });

  it('lets a lead-off fall in a rhythm episode (electrodes knocked off during VF)', () => {
    expect(parseEpisodes('vf@20+15,leadoff@30+15')).toEqual([
      { kind: 'vf', startS: 20, durationS: 15 },
      { kind: 'leadoff', startS: 30, durationS: 15 },
    ]);
  });

  it.each([
    ['vf@30', /is not KIND@START\+DURATION/],
    ['svt@30+10', /unknown rhythm "svt".*vf, flutter, vt, asystole/],
    ['vf@30+0.5', /duration is 1–600 s/],
    ['vf@-3+10', /is not KIND@START\+DURATION/],
    ['vf@30+20,asystole@45+5', /episodes overlap: vf@30\+20 and asystole@45/],
    ['leadoff@30+20,leadoff@45+5', /episodes overlap: leadoff@30\+20 and leadoff@45/],
    ['', /is not KIND@START\+DURATION/],
  ])('refuses %j, saying why', (spec, why) => {
    expect(() => parseEpisodes(spec)).toThrow(SimEpisodeError);
    expect(() => parseEpisodes(spec)).toThrow(why);
  });
});

describe('simulator arrest episodes: the source', () => {
  const plain = syntheticSource(RATE, LSB_NV, { seed: 7 });
  const played = withEpisodes(
    syntheticSource(RATE, LSB_NV, { seed: 7 }),
    LSB_NV,
    parseEpisodes('vf@4+6,asystole@14+5'),
  );

  it('names what it plays', () => {
    expect(played.name).toMatch(/with ventricular fibrillation at 4–10 s, asystole at 14–19 s$/);
  });

  it('leaves the ECG as it is outside the episodes', () => {
    expect(counts(played, 0, 4 * RATE)).toEqual(counts(plain, 0, 4 * RATE));
    expect(counts(played, 10 * RATE + 1, 14 * RATE)).toEqual(counts(plain, 10 * RATE + 1, 14 * RATE));
    expect(counts(played, 19 * RATE + 1, 22 * RATE)).toEqual(counts(plain, 19 * RATE + 1, 22 * RATE));
  });

  it('plays fibrillation on every channel, each its own wave, and a flat line in asystole', () => {
    const vf = [0, 1, 2].map((ch) => counts(played, 5 * RATE, 9 * RATE, ch));
    expect(vf[0]).not.toEqual(counts(plain, 5 * RATE, 9 * RATE, 0));
    expect(vf[1]).not.toEqual(vf[2]);
    for (const lead of vf) expect(spreadMicrovolts(lead)).toBeGreaterThan(50);
    const flat = counts(played, 14.5 * RATE, 18.5 * RATE);
    expect(spreadMicrovolts(flat)).toBeLessThan(8);
    expect(spreadMicrovolts(counts(plain, 14.5 * RATE, 18.5 * RATE))).toBeGreaterThan(50);
  });

  it('plays ventricular tachycardia: one broad complex of one focus at 140–180/min, negative in V1, positive in V5', () => {
    const vt = withEpisodes(syntheticSource(RATE, LSB_NV, { seed: 7 }), LSB_NV, parseEpisodes('vt@4+6'));
    expect(vt.name).toMatch(/with ventricular tachycardia at 4–10 s$/);
    const beats = syntheticVtBeats(6, 1009 + 4 * RATE);
    const rate = (60 * (beats.length - 1)) / (beats.at(-1)! - beats[0]!);
    expect(rate).toBeGreaterThanOrEqual(138);
    expect(rate).toBeLessThanOrEqual(182);
    const uv = (ch: number): number[] => counts(vt, 5 * RATE, 9 * RATE, ch).map((c) => (c * LSB_NV) / 1000);
    const [v1, v5] = [uv(2), uv(6)];
    expect(Math.min(...v1)).toBeLessThan(-1000); // V1 mostly negative
    expect(-Math.min(...v1)).toBeGreaterThan(1.5 * Math.max(...v1));
    expect(Math.max(...v5)).toBeGreaterThan(900); // V5 mostly positive
    expect(Math.max(...v5)).toBeGreaterThan(1.5 * -Math.min(...v5));
    expect(counts(vt, 0, 4 * RATE)).toEqual(counts(plain, 0, 4 * RATE));
  });

  it('reports every electrode off during a lead-off, with the inputs floating, even inside VF', () => {
    const off = withEpisodes(
      syntheticSource(RATE, LSB_NV, { seed: 7 }),
      LSB_NV,
      parseEpisodes('vf@4+6,leadoff@8+4'),
    );
    expect([7.9, 8, 11.9, 12].map((s) => off.electrodesOffMask?.(Math.round(s * RATE)))).toEqual([
      0, 0x1ff, 0x1ff, 0,
    ]);
    expect('electrodesOffMask' in plain).toBe(false);
    // mains hum of 0.3 mV on every input, in VF's place and the ECG's after it
    for (const ch of [0, 1, 7]) {
      const floating = counts(off, 8 * RATE, 12 * RATE, ch);
      expect(spreadMicrovolts(floating)).toBeGreaterThan(150);
      expect(spreadMicrovolts(floating)).toBeLessThan(300);
    }
    expect(counts(off, 12 * RATE, 14 * RATE)).toEqual(counts(plain, 12 * RATE, 14 * RATE));
  });

  it('is the same every time a run replays it', () => {
    const again = withEpisodes(
      syntheticSource(RATE, LSB_NV, { seed: 7 }),
      LSB_NV,
      parseEpisodes('vf@4+6,asystole@14+5'),
    );
    const backwards = counts(again, 14 * RATE, 19 * RATE).map((_, k, all) => all[all.length - 1 - k]);
    expect(counts(again, 4 * RATE, 10 * RATE)).toEqual(counts(played, 4 * RATE, 10 * RATE));
    expect(counts(again, 14 * RATE, 19 * RATE)).toEqual(counts(played, 14 * RATE, 19 * RATE));
    expect(backwards.reverse()).toEqual(counts(played, 14 * RATE, 19 * RATE));
  });
});
