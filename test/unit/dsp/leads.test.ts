import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deriveFrame, deriveLeads, LeadDerivationError, STANDARD_LEADS } from '../../../main/dsp/leads.js';
import { loadWfdbRecord } from '../../../main/devices/record-files.js';

const ptbdb = join(process.env.PULSEWATCH_DATA ?? '../shared/data', 'ptbdb');

describe('lead derivation', () => {
  it('applies the Einthoven and Goldberger relations', () => {
    const out = new Float64Array(12);
    deriveFrame([300, 1000, 1, 2, 3, 4, 5, 6], out);
    expect(Array.from(out)).toEqual([300, 1000, 700, -650, -200, 850, 1, 2, 3, 4, 5, 6]);
  });

  it('satisfies I + III = II and aVR + aVL + aVF = 0 for any input', () => {
    const out = new Float64Array(12);
    for (const [i, ii] of [
      [0, 0],
      [-512, 77],
      [1234.5, -9.25],
    ] as const) {
      deriveFrame([i, ii, 0, 0, 0, 0, 0, 0], out);
      expect(out[0]! + out[2]!).toBeCloseTo(out[1]!, 12);
      expect(out[3]! + out[4]! + out[5]!).toBeCloseTo(0, 12);
    }
  });

  it('rejects a frame set that is not 8 channels', () => {
    expect(() => deriveLeads([new Float64Array(3)])).toThrow(LeadDerivationError);
  });

  // PTB records all 12 leads; its III and augmented leads agree with these relations.
  it.skipIf(!existsSync(join(ptbdb, 's0010_re.hea')))(
    'reproduces the recorded III, aVR, aVL, aVF of a real 12-lead ECG (PTB s0010_re)',
    () => {
      const record = loadWfdbRecord(ptbdb, 's0010_re');
      const millivolts = (name: string): Float64Array => {
        const index = record.header.signals.findIndex((s) => s.description === name);
        const spec = record.header.signals[index]!;
        return Float64Array.from(record.signals[index]!, (v) => (v - spec.baseline) / spec.gain);
      };
      const acquired = ['i', 'ii', 'v1', 'v2', 'v3', 'v4', 'v5', 'v6'].map(millivolts);
      const derived = deriveLeads(acquired);
      for (const [index, name] of [
        [2, 'iii'],
        [3, 'avr'],
        [4, 'avl'],
        [5, 'avf'],
      ] as const) {
        const recorded = millivolts(name);
        let maxErrorMv = 0;
        for (let n = 0; n < recorded.length; n++) {
          maxErrorMv = Math.max(maxErrorMv, Math.abs(derived[index]![n]! - recorded[n]!));
        }
        expect(maxErrorMv, `${STANDARD_LEADS[index]} within quantisation`).toBeLessThan(0.002);
      }
    },
  );
});
