/**
 * Eight-lead 500 Hz ECG from LUDB as the ECG-12 unit would send it (leads I, II, V1–V6; physical
 * value → counts: µV × 1000 / 476.84, rounded), shared by the benchmarks that need real ECG.
 */
import { loadWfdbRecord } from '../main/devices/record-files.js';
import { adcToPhysical } from '../server-contract/formats/wfdb.js';

export const LEADS = ['i', 'ii', 'v1', 'v2', 'v3', 'v4', 'v5', 'v6'] as const;
export const CHANNEL_NAMES = ['I', 'II', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'];
export const LSB_NANOVOLTS = 476.84;
export const SAMPLE_RATE_HZ = 500;

export function microvoltsPerUnit(units: string): number {
  if (units === 'mV') return 1000;
  if (units === 'uV' || units === 'µV') return 1;
  throw new Error(`unexpected signal units ${units}`);
}

/** One record's eight leads as ECG-12 counts. */
export function loadCounts(dir: string, record: string): Int32Array[] {
  const { header, signals } = loadWfdbRecord(dir, record);
  return LEADS.map((lead) => {
    const index = header.signals.findIndex((s) => s.description.toLowerCase() === lead);
    const spec = header.signals[index];
    const adc = signals[index];
    if (spec === undefined || adc === undefined) throw new Error(`record ${record} has no lead ${lead}`);
    const scale = (microvoltsPerUnit(spec.units) * 1000) / LSB_NANOVOLTS;
    return Int32Array.from(adc, (v) => Math.round(adcToPhysical(v, spec) * scale));
  });
}

/** The records concatenated per channel and looped to `totalSamples`. */
export function buildSignal(dir: string, totalSamples: number): Int32Array[] {
  const records = Array.from({ length: 100 }, (_, i) => loadCounts(dir, String(i + 1)));
  return LEADS.map((_, c) => {
    const out = new Int32Array(totalSamples);
    let at = 0;
    while (at < totalSamples) {
      for (const record of records) {
        const part = record[c]!.subarray(0, totalSamples - at);
        out.set(part, at);
        at += part.length;
        if (at >= totalSamples) break;
      }
    }
    return out;
  });
}
