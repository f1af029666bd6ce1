import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWfdbAnnotations, loadWfdbRecord } from '../../../main/devices/record-files.js';
import { classifyRecordBeats } from '../../../main/dsp/beat-record.js';
import {
  artefactOnOtherLeads,
  ventricularBeat,
  type VentricularEvidence,
} from '../../../main/dsp/beat-ventricular.js';
import { WFDB_BEAT_SYMBOLS } from '../../../server-contract/formats/wfdb.js';

/** A narrow beat not quite the normal shape, as the PVCs of MIT-BIH 105 are, in sinus rhythm. */
const nearNormal: VentricularEvidence = {
  correlation: 0.86,
  widthRatio: 1.05,
  prematurity: 0.6,
  ventricularCorrelation: -1,
  atrialRhythm: true,
  bestLeadCorrelation: 0.96,
};

describe('ventricular beat decision', () => {
  it('calls a clearly premature beat whose QRS is not the normally conducted one V, even at normal width', () => {
    expect(ventricularBeat(nearNormal)).toBe(true);
  });

  it('leaves the same QRS alone when it is only modestly early, normally shaped, or in fibrillation', () => {
    expect(ventricularBeat({ ...nearNormal, prematurity: 0.8 })).toBe(false);
    expect(ventricularBeat({ ...nearNormal, correlation: 0.93 })).toBe(false);
    // in atrial fibrillation an early beat is an early conducted beat, N (Ashman aberrancy included)
    expect(ventricularBeat({ ...nearNormal, atrialRhythm: false })).toBe(false);
  });

  it('still calls a premature beat unlike the normal QRS V whatever the atria do', () => {
    expect(ventricularBeat({ ...nearNormal, correlation: 0.6, atrialRhythm: false })).toBe(true);
  });

  it('calls a late, wide, very unlike beat V (an escape) but not an on-time beat wider than a QRS can be', () => {
    const escape = {
      ...nearNormal,
      correlation: 0.3,
      widthRatio: 1.8,
      prematurity: 1.3,
      bestLeadCorrelation: 0.4,
    };
    expect(ventricularBeat(escape)).toBe(true);
    expect(ventricularBeat({ ...escape, widthRatio: 3, prematurity: 1 })).toBe(false);
  });

  it('takes an on-time beat with the normal QRS on one lead for artefact on the other, not V', () => {
    const onTimeUnlike = {
      ...nearNormal,
      correlation: 0.4,
      widthRatio: 2,
      prematurity: 1,
      ventricularCorrelation: 0.95,
    };
    expect(ventricularBeat({ ...onTimeUnlike, bestLeadCorrelation: 0.5 })).toBe(true);
    expect(artefactOnOtherLeads({ ...onTimeUnlike, bestLeadCorrelation: 0.99 })).toBe(true);
    expect(ventricularBeat({ ...onTimeUnlike, bestLeadCorrelation: 0.99 })).toBe(false);
    // one lead compared: no other lead to tell
    expect(ventricularBeat({ ...onTimeUnlike, bestLeadCorrelation: NaN })).toBe(true);
    // a premature beat is left to the other rules
    expect(artefactOnOtherLeads({ ...onTimeUnlike, prematurity: 0.6, bestLeadCorrelation: 0.99 })).toBe(
      false,
    );
  });

  const mitdb = join(process.env.PULSEWATCH_DATA ?? '../shared/data', 'mitdb');
  it.skipIf(!existsSync(join(mitdb, '103.hea')))(
    'calls no normal beat V where artefact disturbs one lead (MIT-BIH 103, 19–24 minutes, both leads)',
    () => {
      const record = loadWfdbRecord(mitdb, '103');
      const end = 24 * 60 * 360;
      const leads = record.signals.map((s) => Float64Array.from(s).subarray(0, end));
      const reference = loadWfdbAnnotations(mitdb, '103', 'atr').filter(
        (a) => WFDB_BEAT_SYMBOLS.has(a.symbol) && a.sample < end - 360,
      );
      const classes = classifyRecordBeats(
        leads,
        reference.map((a) => a.sample),
        360,
      );
      const from = 19 * 60 * 360;
      const falseV = classes.filter(
        (c, k) => c.beatClass === 'V' && reference[k]!.sample >= from && reference[k]!.symbol !== 'V',
      ).length;
      // before the one-lead artefact test: 13 normal beats of these minutes called V
      expect(falseV).toBeLessThanOrEqual(2);
    },
  );

  it.skipIf(!existsSync(join(mitdb, '105.hea')))(
    'classes the near-normal PVCs of a real record (MIT-BIH 105, first 15 minutes, both leads) V',
    () => {
      const record = loadWfdbRecord(mitdb, '105');
      const end = 15 * 60 * 360;
      const leads = record.signals.map((s) => Float64Array.from(s).subarray(0, end));
      const reference = loadWfdbAnnotations(mitdb, '105', 'atr').filter(
        (a) => WFDB_BEAT_SYMBOLS.has(a.symbol) && a.sample < end - 360,
      );
      const classes = classifyRecordBeats(
        leads,
        reference.map((a) => a.sample),
        360,
      );
      const isV = reference.map((a) => a.symbol === 'V');
      const vv = classes.filter((c, k) => c.beatClass === 'V' && isV[k]).length;
      const refV = isV.filter(Boolean).length;
      const saidV = classes.filter((c) => c.beatClass === 'V').length;
      // before the clearly-premature rule: 1 of these 28 PVCs called V (now 28, and 1 false V)
      expect(refV).toBeGreaterThan(25);
      expect(vv / refV).toBeGreaterThanOrEqual(0.9);
      expect(vv / saidV).toBeGreaterThanOrEqual(0.9);
    },
  );
});
