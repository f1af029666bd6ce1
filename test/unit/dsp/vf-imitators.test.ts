import { describe, expect, it } from 'vitest';
import { holterAsAcquired, playLive } from '../../../bench/_vf-live.js';
import { syntheticEpisodeRecord } from '../../../bench/_vf-synthetic.js';
import { butterworthHighpass, butterworthLowpass, cascade } from '../../../main/dsp/filters-design.js';
import { SosFilter } from '../../../main/dsp/filters.js';
import { SyntheticEcg } from '../../../main/dsp/synthetic.js';
import { wideRhythm } from '../../../main/dsp/synthetic-wide.js';
import type { NoiseKind } from '../../../main/dsp/synthetic-noise.js';
import { organisation } from '../../../main/dsp/vf-organisation.js';

const at = (fs: number, s: number): number => Math.round(s * fs);

describe('VF imitators: wide-complex beating rhythms', () => {
  // Atrial fibrillation conducted with left bundle-branch block: a broad, nearly sinusoidal QRS
  // whose spectrum peaks at 2.5-3 Hz, at irregular rates up to 180/min. These strips each raised
  // false VF episodes before the organisation veto (the complexes repeat one shape and the lead
  // rests between them; VF waves do neither).
  const strips: { fs: number; seed: number; noise?: { kind: NoiseKind; snrDb: number } }[] = [
    { fs: 500, seed: 10, noise: { kind: 'em', snrDb: 24 } },
    { fs: 250, seed: 5, noise: { kind: 'em', snrDb: 18 } },
    { fs: 128, seed: 8 },
    { fs: 80, seed: 5 },
  ];
  for (const { fs, seed, noise } of strips) {
    it(`raises no VF on atrial fibrillation with left bundle-branch block at ${fs} Hz`, () => {
      const strip = wideRhythm({ pattern: 'af-bbb', seed, sampleRateHz: fs, durationS: 180, noise });
      const { channels, detectionLeads } = holterAsAcquired(strip.leads);
      const live = playLive(channels, fs, 1, detectionLeads);
      expect(live.vf).toEqual([]);
      expect(live.alarms).toEqual([]);
      // the beats are all still reported (none withheld as if inside VF)
      expect(live.beats.length).toBeGreaterThan(0.97 * strip.beats.length);
    });
  }

  it('finds the AF+LBBB complexes organised and a regular 4.5-Hz flutter sinusoid, with no baseline between its waves, not', () => {
    const fs = 250;
    const strip = wideRhythm({ pattern: 'af-bbb', seed: 8, sampleRateHz: fs, durationS: 60 });
    // a 4-s stretch of lead II band-passed 1-30 Hz as the VF detector sees it, mean removed
    const filter = new SosFilter(cascade(butterworthHighpass(2, 1, fs), butterworthLowpass(2, 30, fs)));
    filter.reset(strip.leads[0][0]);
    const filtered = strip.leads[0].map((v) => filter.step(v));
    const slice = filtered.slice(at(fs, 35.5), at(fs, 39.5));
    const mean = slice.reduce((a, b) => a + b, 0) / slice.length;
    const beating = organisation(
      slice.map((v) => v - mean),
      fs,
    );
    expect(beating.organised).toBe(true);
    const flutter = Float64Array.from(
      { length: at(fs, 4) },
      (_, i) => 500 * Math.sin((2 * Math.PI * 4.5 * i) / fs),
    );
    const waves = organisation(flutter, fs);
    // the waves never return to a baseline: no quiet stretch between complexes at all
    expect(waves.quietPairs).toBe(0);
    expect(waves.organised).toBe(false);
  });

  it('finds beats organised among a few complexes over twice their size (a wide salvo that ended), and fibrillation of changing size not', () => {
    const fs = 250;
    // a biphasic wide complex (σ 30 ms) of peak `size` centred at t s
    const complex = (t: number, size: number, i: number): number => {
      const u = (i / fs - t) / 0.03;
      return size * 1.65 * u * Math.exp(-0.5 * u * u);
    };
    const big = [0.3, 0.65];
    const small = [1.05, 1.45, 1.85, 2.25, 2.65, 3.05, 3.45];
    const beating = Float64Array.from({ length: at(fs, 4) }, (_, i) =>
      [...big.map((t) => complex(t, 1000, i)), ...small.map((t) => complex(t, 400, i))].reduce(
        (a, b) => a + b,
      ),
    );
    // against the big complexes alone the small beats were no complexes, and the last big one
    // lies over 1.6 s before the window's end: the rhythm seemed to have stopped
    const found = organisation(beating, fs);
    expect(found.complexes).toBeGreaterThanOrEqual(small.length);
    expect(found.organised).toBe(true);
    // fibrillation: 5-6 Hz waves whose size swells and fades, never at rest
    const fibrillation = Float64Array.from({ length: at(fs, 4) }, (_, i) => {
      const t = i / fs;
      const size = 200 + 800 * (0.5 + 0.5 * Math.sin(2 * Math.PI * 0.4 * t));
      return size * Math.sin(2 * Math.PI * (5 * t + 0.3 * Math.sin(2 * Math.PI * 0.7 * t)));
    });
    expect(organisation(fibrillation, fs).organised).toBe(false);
  });
});

describe('ventricular tachycardia is a beating rhythm', () => {
  // Sustained monomorphic VT: a broad complex of three lobes (QRS ≈ 130 ms) and a T wave opposite
  // it, one focus, regular, at 170 and 210/min. Its spectrum peaks at 2.8-3.5 Hz, within VF's
  // band, but its complexes repeat one shape with a baseline between them: no VF, and its beats
  // are reported. (A sinusoid at these rates, no QRS or T to be told apart, is ventricular
  // flutter's form, and is VF.)
  const waves = (fs: number, beats: { t: number; vt: boolean }[], gain: number): Float64Array => {
    const sinus: [number, number, number][] = [
      [-0.02, 0.008, -0.1],
      [0, 0.01, 1.2],
      [0.02, 0.008, -0.25],
      [0.25, 0.05, 0.3],
      [-0.16, 0.02, 0.12],
    ];
    const vt: [number, number, number][] = [
      [-0.04, 0.015, 0.3],
      [0, 0.015, 1],
      [0.045, 0.02, -0.6],
      [0.2, 0.045, -0.3],
    ];
    const x = new Float64Array(at(fs, 90));
    for (const b of beats)
      for (const [c, sigma, mv] of b.vt ? vt : sinus)
        for (
          let i = Math.max(0, at(fs, b.t + c - 5 * sigma));
          i <= Math.min(x.length - 1, at(fs, b.t + c + 5 * sigma));
          i++
        )
          x[i] = x[i]! + gain * 1000 * mv * Math.exp(-0.5 * ((i / fs - b.t - c) / sigma) ** 2);
    return x;
  };
  for (const fs of [360, 128, 80]) {
    it(`raises no VF on sustained VT at 170 and 210/min and reports its beats at ${fs} Hz`, () => {
      const runs = [
        { from: 20, to: 40, rate: 170 },
        { from: 55, to: 75, rate: 210 },
      ];
      const beats: { t: number; vt: boolean }[] = [];
      for (let t = 0.5; t < 89;) {
        const run = runs.find((r) => t >= r.from && t < r.to);
        beats.push({ t, vt: run !== undefined });
        t += run === undefined ? 0.8 : 60 / run.rate;
      }
      const ii = waves(fs, beats, 1);
      const chest = waves(fs, beats, -0.8);
      const { channels, detectionLeads } = holterAsAcquired([ii, chest]);
      const live = playLive(channels, fs, 1, detectionLeads);
      expect(live.vf).toEqual([]);
      expect(live.alarms).toEqual([]);
      const found = beats.filter((b) => live.beats.some((r) => Math.abs(r - at(fs, b.t)) <= at(fs, 0.15)));
      expect(found.length).toBeGreaterThanOrEqual(0.98 * beats.length);
    });
  }
});

describe('ventricular flutter is still VF', () => {
  // Ventricular flutter: a regular sine-like wave at 240-300/min with no isoelectric baseline,
  // every wave the same shape, exactly what the organisation veto must not take for beats.
  for (const fs of [500, 250, 128, 80]) {
    it(`opens a VF episode on a regular 4-5-Hz sinusoid over sinus rhythm at ${fs} Hz`, () => {
      const ecg = new SyntheticEcg({ seed: 4, sampleRateHz: fs, heartRateBpm: 72 });
      const leads = ecg.nextBlock(at(fs, 70)).microvolts.map((c) => Float64Array.from(c));
      const episodes = [
        { from: at(fs, 20), to: at(fs, 35), hz: 4 },
        { from: at(fs, 45), to: at(fs, 60), hz: 5 },
      ];
      for (const { from, to, hz } of episodes) {
        leads.forEach((lead, l) => {
          const gain = 300 + 80 * l;
          for (let i = from; i <= to; i++) lead[i] = gain * Math.sin((2 * Math.PI * hz * (i - from)) / fs);
        });
      }
      const live = playLive(leads, fs, 1);
      expect(live.vf).toHaveLength(2);
      episodes.forEach(({ from, to }, k) => {
        const found = live.vf[k]!;
        expect(Math.abs(found.startSample - from)).toBeLessThan(at(fs, 3));
        expect(Math.abs(found.endSample - to)).toBeLessThan(at(fs, 3));
      });
    });
  }
});

describe('fine fibrillation seen better on a chest lead', () => {
  it('raises the VF alarm within 6 s when the VF lead shows borderline fibrillation and the QRS detector still fires on its waves', () => {
    // Synthetic record 1 of `bench vf` at 128 Hz: fibrillation of 350 µV from 514.5 s. On lead
    // II its spectrum falls short of the opening limits for ~12 s, while V2 and V5 open an
    // episode within 3 s; the QRS detector takes fibrillation waves for beats, so the silence
    // that used to let another lead stand in for the VF lead never came (alarm after 14 s).
    const fs = 128;
    const record = syntheticEpisodeRecord(fs, 600, 1);
    const episode = record.episodes.find(
      (e) => e.kind === 'fibrillation' && Math.abs(e.startSample - at(fs, 514.5)) < at(fs, 0.1),
    );
    expect(episode).toBeDefined();
    const from = at(fs, 480);
    const live = playLive(
      record.leads.map((l) => l.slice(from)),
      fs,
      1,
    );
    const onset = episode!.startSample - from;
    const alarm = live.alarms.find((a) => a.kind !== 'asystole' && a.raisedAtSample >= onset);
    expect(alarm).toBeDefined();
    expect((alarm!.raisedAtSample - onset) / fs).toBeLessThan(6);
  });
});
