/**
 * The report's measurement table: values with units, the reference each is compared with, flags
 * outside common adult ranges, reasons for absent values, QTc named with its formula, HRV with
 * its window.
 */
import { describe, expect, it } from 'vitest';
import type { EventRecord, MeasurementRecord } from '../../../server-contract/api/streams.js';
import { runsIn } from '../../../main/report/build-model.js';
import type { WindowedHrv } from '../../../main/dsp/hrv.js';
import {
  absent,
  degreesText,
  flagOf,
  measurementRows,
  qtcUpperMs,
  spanText,
  stFlag,
  type MeasurementRow,
} from '../../../main/report/measurement-rows.js';

const record: MeasurementRecord = {
  tMs: 1_763_700_010_000,
  windowMs: 10_000,
  heartRateBpm: 72.4,
  rrMs: 829,
  prMs: 164,
  qrsMs: 92,
  qtMs: 380,
  qtcBazettMs: 417,
  qtcFridericiaMs: 404.6,
  qtcFraminghamMs: 406,
  qtcHodgesMs: 402,
  qrsAxisDeg: 45.4,
  stUv: { I: 20, V2: 60 },
  sdnnMs: 30,
  rmssdMs: 25,
  pnn50Pct: 2,
  withheld: {},
};
const hrv: WindowedHrv = {
  nnCount: 360,
  meanNnMs: 830,
  sdnnMs: 41.6,
  rmssdMs: 33.2,
  nn50: 20,
  successiveDifferences: 355,
  pnn50Pct: 5.6,
  windowMs: 300_000,
  fullWindow: true,
};
const ectopics = {
  pvcRecording: 3,
  pacRecording: 0,
  pvcStrip: 1,
  pacStrip: 0,
  runRecording: 1,
  runStrip: 0,
  svRunRecording: 2,
  svRunStrip: 1,
};

function row(rows: MeasurementRow[], prefix: string): MeasurementRow {
  const found = rows.find((r) => r.name.startsWith(prefix));
  if (found === undefined) throw new Error(`no row ${prefix}`);
  return found;
}

describe('measurement rows', () => {
  it('formats a normal recording with units, references and no flags', () => {
    const rows = measurementRows({ record, sex: 'female', hrv, ectopics });
    expect(rows.map((r) => [r.name, r.value, r.flag])).toEqual([
      ['Heart rate', '72 bpm', null],
      ['PR interval', '164 ms', null],
      ['QRS duration', '92 ms', null],
      ['QT interval', '380 ms', null],
      ['QTc (Fridericia, QT / RR^(1/3))', '405 ms', null],
      ['QRS axis (frontal)', '+45°', null],
      ['ST level (largest deviation)', 'V2 0.06 mV', null],
      ['HRV (NN intervals)', 'SDNN 42 ms, RMSSD 33 ms, 360 NN, over 5 min 00 s', null],
      ['PVCs (ventricular ectopic beats)', '3 in the recording, 1 in the strip', null],
      ['PACs (supraventricular ectopic beats)', '0 in the recording, 0 in the strip', null],
      ['Ventricular runs (3 beats or more)', '1 in the recording, 0 in the strip', null],
      ['Supraventricular runs (3 beats or more)', '2 in the recording, 1 in the strip', null],
    ]);
    expect(row(rows, 'QTc').reference).toBe('350–460 ms');
    expect(row(rows, 'PR').reference).toBe('120–200 ms');
  });

  it.each([
    ['Heart rate', { heartRateBpm: 48 }, 'Low'],
    ['Heart rate', { heartRateBpm: 131 }, 'High'],
    ['PR interval', { prMs: 230 }, 'High'],
    ['PR interval', { prMs: 100 }, 'Low'],
    ['QRS duration', { qrsMs: 132 }, 'Wide'],
    ['QTc', { qtcFridericiaMs: 455 }, 'High'],
    ['QRS axis', { qrsAxisDeg: -45 }, 'Left deviation'],
    ['QRS axis', { qrsAxisDeg: 120 }, 'Right deviation'],
    ['ST level', { stUv: { V4: 150, V2: 120 } }, 'Elevated'],
    ['ST level', { stUv: { II: -80 } }, 'Depressed'],
  ] as const)('flags %s outside the range (%o → %s)', (name, change, flag) => {
    const rows = measurementRows({ record: { ...record, ...change }, sex: 'male', hrv, ectopics });
    expect(row(rows, name).flag).toBe(flag);
  });

  it('uses 460 ms for women and 450 ms otherwise as the QTc limit', () => {
    expect(qtcUpperMs('female')).toBe(460);
    expect(qtcUpperMs('male')).toBe(450);
    expect(qtcUpperMs(undefined)).toBe(450);
    const female = measurementRows({
      record: { ...record, qtcFridericiaMs: 455 },
      sex: 'female',
      hrv,
      ectopics,
    });
    expect(row(female, 'QTc').flag).toBeNull();
  });

  it('names why a value is absent, and says when no measurement covers the strip', () => {
    const withheld: MeasurementRecord = {
      ...record,
      prMs: null,
      qrsMs: null,
      qrsAxisDeg: null,
      stUv: {},
      withheld: { prMs: 'not_measurable', qrsMs: 'rate_too_low', qrsAxisDeg: 'poor_signal' },
    };
    const rows = measurementRows({ record: withheld, sex: undefined, hrv: null, ectopics });
    expect(row(rows, 'PR').value).toBe('— (not measurable)');
    expect(row(rows, 'QRS duration').value).toBe('— (sample rate too low)');
    expect(row(rows, 'QRS axis').value).toBe('— (poor signal)');
    expect(row(rows, 'HRV').value).toBe('— (too few beats)');
    const none = measurementRows({ record: null, sex: undefined, hrv: null, ectopics });
    expect(row(none, 'Heart rate').value).toBe('— (no measurement for this strip)');
    expect(row(none, 'Heart rate').flag).toBeNull();
  });

  it('says when HRV covers less than the 5-min standard window', () => {
    const short = { ...hrv, windowMs: 39_400, fullWindow: false };
    const rows = measurementRows({ record, sex: 'male', hrv: short, ectopics });
    expect(row(rows, 'HRV').value).toContain('over 39 s (shorter than the 5-min standard');
  });

  it('formats the small pieces', () => {
    expect(degreesText(-29.6)).toBe('-30°');
    expect(degreesText(0.2)).toBe('0°');
    expect(spanText(300_000)).toBe('5 min 00 s');
    expect(spanText(65_400)).toBe('1 min 05 s');
    expect(absent(undefined)).toBe('—');
    expect(flagOf(100, { low: 60, high: 100 })).toBeNull();
    expect(stFlag('V2', 150)).toBeNull();
    expect(stFlag('V5', 150)).toBe('Elevated');
  });
});

describe('ventricular runs in the strip', () => {
  it('counts each run once, from its onset, its end or both, when it overlaps the strip', () => {
    const events: EventRecord[] = [
      { tMs: 1_000, kind: 'ventricular_run', note: '3 so far' },
      { tMs: 1_000, kind: 'ventricular_run', durationMs: 2_000, note: '5' }, // 1–3 s
      { tMs: 9_000, kind: 'ventricular_run', durationMs: 500 }, // its onset not kept
      { tMs: 20_000, kind: 'ventricular_run' }, // still going on at the end
      { tMs: 5_000, kind: 'pvc' },
      { tMs: 6_000, kind: 'supraventricular_run', durationMs: 1_000 },
    ];
    expect(runsIn(events, 'ventricular_run', 0, 10_000)).toBe(2);
    expect(runsIn(events, 'ventricular_run', 3_500, 9_000)).toBe(0);
    expect(runsIn(events, 'ventricular_run', 3_000, 9_001)).toBe(2);
    expect(runsIn(events, 'ventricular_run', 25_000, 35_000)).toBe(1);
    expect(runsIn([], 'ventricular_run', 0, 10_000)).toBe(0);
    expect(runsIn(events, 'supraventricular_run', 0, 10_000)).toBe(1);
  });
});
