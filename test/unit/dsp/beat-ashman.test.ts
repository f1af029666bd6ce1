import { describe, expect, it } from 'vitest';
import { ashmanBeat, type AshmanEvidence } from '../../../main/dsp/beat-ashman.js';
import { classifyRecordBeats } from '../../../main/dsp/beat-record.js';
import { atrialRhythm } from '../../../main/dsp/synthetic-atrial.js';

const ASHMAN: AshmanEvidence = {
  atrialRhythm: false,
  rr: 200,
  previousRr: 400,
  onsetCorrelation: 0.98,
  widthRatio: 1.8,
};

describe('Ashman beat rule', () => {
  it('takes a long-short beat of fibrillating atria, starting as the normal QRS, for aberrancy', () => {
    expect(ashmanBeat(ASHMAN)).toBe(true);
  });

  it.each([
    ['the atria keep a sinus rhythm', { atrialRhythm: true }],
    ['no long cycle before the short one', { previousRr: 250 }],
    ['the onset differs from the normal QRS (a ventricular focus)', { onsetCorrelation: 0.9 }],
    ['wider than bundle-branch aberrancy', { widthRatio: 2.6 }],
    ['no RR before it', { rr: null }],
  ])('leaves a beat V when %s', (_, change) => {
    expect(ashmanBeat({ ...ASHMAN, ...change })).toBe(false);
  });
});

describe('atrial fibrillation with Ashman beats and PVCs (synthetic, exact labels)', () => {
  it('calls the aberrantly conducted beats N and keeps the PVCs V', () => {
    const t = { nAsV: 0, n: 0, vAsV: 0, v: 0 };
    for (const seed of [1, 2]) {
      const strip = atrialRhythm({ pattern: 'af-ashman', seed, durationS: 300 });
      const classes = classifyRecordBeats(
        strip.leads,
        strip.beats.map((b) => b.sample),
        strip.sampleRateHz,
      );
      strip.beats.forEach((b, k) => {
        const v = classes[k]!.beatClass === 'V';
        if (b.beatClass === 'V') {
          t.v++;
          if (v) t.vAsV++;
        } else {
          t.n++;
          if (v) t.nAsV++;
        }
      });
    }
    expect(t.v).toBeGreaterThan(30);
    expect(t.vAsV / t.v).toBeGreaterThan(0.95);
    // before the rule: about a fifth of the N beats (the Ashman beats) were called V
    expect(t.nAsV / t.n).toBeLessThan(0.04);
  });
});
