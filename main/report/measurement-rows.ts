/**
 * The report's measurement table: each value formatted with its unit, the common adult reference
 * range it is compared with, and a flag when it lies outside. The ranges are the usual textbook
 * ones (AHA/ACCF/HRS recommendations for the standardization and interpretation of the ECG,
 * 2009, parts II–VI), stated on the page; they mark values for review, they do not diagnose.
 * QTc is given with Fridericia's formula (preferred by the FDA's thorough QT guidance; Bazett
 * over-corrects above 100 bpm), its name printed beside it.
 */
import type { MeasurementRecord } from '../../server-contract/api/streams.js';
import type { WindowedHrv } from '../dsp/hrv.js';

/** One line of the table. */
export interface MeasurementRow {
  name: string;
  /** Formatted value with unit, or "—" with the reason it is absent. */
  value: string;
  /** The reference the value is compared with, e.g. "120–200 ms"; empty when none applies. */
  reference: string;
  /** "High", "Low", … when outside the reference; null otherwise. */
  flag: string | null;
}

export type Sex = 'female' | 'male' | 'other' | 'unknown';

/** Ectopic beats and ventricular runs of the whole recording (null: not counted) and of the printed strip. */
export interface EctopicCounts {
  pvcRecording: number | null;
  pacRecording: number | null;
  pvcStrip: number;
  pacStrip: number;
  runRecording: number | null;
  runStrip: number;
  svRunRecording: number | null;
  svRunStrip: number;
}

export interface MeasurementInput {
  /** The recorded measurement of the strip (window ending at the strip's end), or null. */
  record: MeasurementRecord | null;
  sex: Sex | undefined;
  hrv: WindowedHrv | null;
  ectopics: EctopicCounts;
}

/** The QTc formula the report leads with. */
export const QTC_FORMULA = { name: 'Fridericia', field: 'qtcFridericiaMs', text: 'QT / RR^(1/3)' } as const;

const WITHHELD_TEXT: Record<string, string> = {
  poor_signal: 'poor signal',
  lead_off: 'lead off',
  not_measurable: 'not measurable',
  insufficient_beats: 'too few beats',
  rate_too_low: 'sample rate too low',
  rhythm_episode: 'during VF/asystole',
  no_measurement: 'no measurement for this strip',
};

/** "—" with the reason a value is absent. */
export function absent(reason: string | undefined): string {
  return reason === undefined ? '—' : `— (${WITHHELD_TEXT[reason] ?? reason.replace(/_/g, ' ')})`;
}

/** A value outside [low, high] gets `lowFlag`/`highFlag`; either bound may be absent. */
export function flagOf(
  value: number,
  range: { low?: number; high?: number },
  lowFlag = 'Low',
  highFlag = 'High',
): string | null {
  if (range.low !== undefined && value < range.low) return lowFlag;
  if (range.high !== undefined && value > range.high) return highFlag;
  return null;
}

/** Signed degrees, e.g. "+60°", "-30°" (ASCII minus: the PDF's standard fonts have no U+2212). */
export function degreesText(deg: number): string {
  const rounded = Math.round(deg);
  return `${rounded > 0 ? '+' : rounded < 0 ? '-' : ''}${Math.abs(rounded)}°`;
}

/** Duration as "5 min 00 s" or "42 s". */
export function spanText(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s` : `${s} s`;
}

/** QTc upper limit: 450 ms for men, 460 ms for women (and when sex is not recorded, the lower). */
export function qtcUpperMs(sex: Sex | undefined): number {
  return sex === 'female' ? 460 : 450;
}

/** ST level limits at J+60: elevation ≥ 0.2 mV in V2–V3, ≥ 0.1 mV elsewhere; depression ≥ 0.05 mV. */
export function stFlag(lead: string, uv: number): string | null {
  const elevationUv = lead === 'V2' || lead === 'V3' ? 200 : 100;
  if (uv >= elevationUv) return 'Elevated';
  if (uv <= -50) return 'Depressed';
  return null;
}

/** The table rows, in print order. */
export function measurementRows(input: MeasurementInput): MeasurementRow[] {
  const r = input.record;
  const why = (field: string) => absent(r === null ? 'no_measurement' : r.withheld[field]);
  const ms = (
    field: keyof MeasurementRecord,
    name: string,
    range: { low?: number; high?: number },
    ref: string,
  ) => {
    const v = r?.[field];
    if (typeof v !== 'number') return { name, value: why(field), reference: ref, flag: null };
    return { name, value: `${Math.round(v)} ms`, reference: ref, flag: flagOf(v, range) };
  };
  const rows: MeasurementRow[] = [];
  const hr = r?.heartRateBpm;
  rows.push(
    typeof hr === 'number'
      ? {
          name: 'Heart rate',
          value: `${Math.round(hr)} bpm`,
          reference: '60–100 bpm',
          flag: flagOf(hr, { low: 60, high: 100 }),
        }
      : { name: 'Heart rate', value: why('heartRateBpm'), reference: '60–100 bpm', flag: null },
  );
  rows.push(ms('prMs', 'PR interval', { low: 120, high: 200 }, '120–200 ms'));
  rows.push({ ...ms('qrsMs', 'QRS duration', {}, '< 120 ms'), ...wide(r?.qrsMs) });
  rows.push(ms('qtMs', 'QT interval', {}, 'rate dependent: see QTc'));
  const upper = qtcUpperMs(input.sex);
  rows.push(
    ms(
      QTC_FORMULA.field,
      `QTc (${QTC_FORMULA.name}, ${QTC_FORMULA.text})`,
      { low: 350, high: upper },
      `350–${upper} ms`,
    ),
  );
  const axis = r?.qrsAxisDeg;
  rows.push(
    typeof axis === 'number'
      ? {
          name: 'QRS axis (frontal)',
          value: degreesText(axis),
          reference: '-30° to +90°',
          flag: flagOf(axis, { low: -30, high: 90 }, 'Left deviation', 'Right deviation'),
        }
      : { name: 'QRS axis (frontal)', value: why('qrsAxisDeg'), reference: '-30° to +90°', flag: null },
  );
  rows.push(stRow(r));
  rows.push(hrvRow(input.hrv));
  rows.push(
    ectopicRow('PVCs (ventricular ectopic beats)', input.ectopics.pvcRecording, input.ectopics.pvcStrip),
  );
  rows.push(
    ectopicRow('PACs (supraventricular ectopic beats)', input.ectopics.pacRecording, input.ectopics.pacStrip),
  );
  rows.push(
    ectopicRow('Ventricular runs (3 beats or more)', input.ectopics.runRecording, input.ectopics.runStrip),
  );
  rows.push(
    ectopicRow(
      'Supraventricular runs (3 beats or more)',
      input.ectopics.svRunRecording,
      input.ectopics.svRunStrip,
    ),
  );
  return rows;
}

function wide(qrs: number | null | undefined): Partial<MeasurementRow> {
  return typeof qrs === 'number' && qrs >= 120 ? { flag: 'Wide' } : {};
}

function stRow(r: MeasurementRecord | null): MeasurementRow {
  const reference = 'J+60: up < 0.1 mV (V2–V3 < 0.2 mV), down < 0.05 mV';
  const entries = Object.entries(r?.stUv ?? {}).filter(
    (e): e is [string, number] => typeof e[1] === 'number',
  );
  if (entries.length === 0)
    return {
      name: 'ST level',
      value: absent(r === null ? 'no_measurement' : (r.withheld.stUv ?? 'not_measurable')),
      reference,
      flag: null,
    };
  const flagged = entries.filter(([lead, uv]) => stFlag(lead, uv) !== null);
  const shown =
    flagged.length > 0 ? flagged : [entries.reduce((a, b) => (Math.abs(b[1]) > Math.abs(a[1]) ? b : a))];
  const value = shown.map(([lead, uv]) => `${lead} ${(uv / 1000).toFixed(2)} mV`).join(', ');
  return {
    name: flagged.length > 0 ? 'ST level (leads outside range)' : 'ST level (largest deviation)',
    value,
    reference,
    flag: flagged.length > 0 ? [...new Set(flagged.map(([lead, uv]) => stFlag(lead, uv)))].join(', ') : null,
  };
}

function hrvRow(hrv: WindowedHrv | null): MeasurementRow {
  const name = 'HRV (NN intervals)';
  if (hrv === null || 'withheld' in hrv)
    return {
      name,
      value: absent('insufficient_beats'),
      reference: 'window 5 min (Task Force 1996)',
      flag: null,
    };
  const window = `over ${spanText(hrv.windowMs)}${hrv.fullWindow ? '' : ' (shorter than the 5-min standard: not comparable with norms)'}`;
  return {
    name,
    value: `SDNN ${Math.round(hrv.sdnnMs)} ms, RMSSD ${Math.round(hrv.rmssdMs)} ms, ${hrv.nnCount} NN, ${window}`,
    reference: 'window 5 min (Task Force 1996)',
    flag: null,
  };
}

function ectopicRow(name: string, recording: number | null, strip: number): MeasurementRow {
  return {
    name,
    value: `${recording === null ? '—' : recording} in the recording, ${strip} in the strip`,
    reference: '',
    flag: null,
  };
}
