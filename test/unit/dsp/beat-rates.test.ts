import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScoredRecord } from '../../../bench/_records.js';
import { classifiedBeats } from '../../../bench/_beats-record.js';
import { confusion, referenceClass } from '../../../bench/_beats-match.js';
import { WFDB_BEAT_SYMBOLS } from '../../../server-contract/formats/wfdb.js';

const mitdb = join(process.env.PULSEWATCH_DATA ?? '../shared/data', 'mitdb');

/** Reference class → called class counts of one MIT-BIH record played at `rate` Hz (both leads). */
function atRate(name: string, rate: number): Record<string, Record<string, number>> {
  const record = loadScoredRecord(mitdb, name, [0, 1]);
  const fs = record.sampleRateHz;
  const reference = record.annotations
    .filter((a) => WFDB_BEAT_SYMBOLS.has(a.symbol))
    .map((a) => ({ sample: a.sample, cls: referenceClass(a.symbol) }));
  return confusion(reference, classifiedBeats(record.signals, fs, 1000 / record.gains[0]!, rate), fs);
}

describe.skipIf(!existsSync(join(mitdb, '113.hea')))('beat classes at the device rates, real records', () => {
  it('calls the normal beats of MIT-BIH 113 (sinus arrhythmia) N at 80 Hz, not V', () => {
    // aligned with the template at whole samples only, and the width read in whole samples,
    // 13 of them were called V at 80 Hz (1 at 360 Hz): their correlation fell to 0.8
    const m = atRate('113', 80);
    expect(m.N!.V).toBeLessThanOrEqual(3);
    expect(m.N!.N).toBeGreaterThan(1770);
  }, 60_000);

  it('calls the APCs of MIT-BIH 100 S at 80 and 128 Hz as at 360 Hz', () => {
    // 30 of the 33 at 360 Hz; at 128 / 80 Hz 12 / 9 with the width in whole samples, 31 / 20
    // with it interpolated, 32 / 30 aligned between samples as well
    for (const rate of [80, 128]) {
      const m = atRate('100', rate);
      expect(m.S!.S, `${rate} Hz`).toBeGreaterThanOrEqual(28);
      expect(m.N!.S! + m.N!.V!, `${rate} Hz`).toBeLessThanOrEqual(3);
    }
  }, 60_000);

  it('calls the sinus beats resuming after the PVC pauses of MIT-BIH 106 N at 128 and 80 Hz, not S', () => {
    // with the RR after a PVC's compensatory pause read as an abrupt change, 11 and 6 false S
    for (const rate of [80, 128]) expect(atRate('106', rate).N!.S, `${rate} Hz`).toBeLessThanOrEqual(2);
  }, 60_000);
});
