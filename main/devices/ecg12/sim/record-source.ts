/**
 * Sample sources for the ECG-12 simulator: a real 12-lead WFDB record (LUDB, PTB) reduced to the
 * unit's 8 channels (I, II, V1…V6), converted to ADC counts at the unit's scale, resampled to the
 * unit's rate and looped. Deterministic: set `index` is always the same counts.
 */
import { join } from 'node:path';
import { adcToPhysical, type WfdbSignalSpec } from '../../../../server-contract/formats/wfdb.js';
import { resample } from '../../../dsp/resample.js';
import { loadWfdbRecord } from '../../record-files.js';
import { CHANNEL_COUNT, ECG12_CHANNELS } from '../protocol.js';

/** Counts for any sample set index, looping with period `periodSets`. */
export interface SampleSource {
  /** Describes the source, e.g. `ludb/1 @ 500 Hz`. */
  readonly name: string;
  readonly rateHz: number;
  /** Sets before the source repeats (`Infinity` for a source that never does). */
  readonly periodSets: number;
  /** Writes the 8 counts (I, II, V1…V6) of set `index` (≥ 0) into `out` at `offset`. */
  fill(index: number, out: Int32Array, offset: number): void;
  /** The electrodes off at set `index` (protocol lead-off bits), when the source plays lead-offs. */
  electrodesOffMask?(index: number): number;
}

/** A source backed by one period of interleaved counts. */
export function tableSource(name: string, rateHz: number, interleaved: Int32Array): SampleSource {
  const periodSets = interleaved.length / CHANNEL_COUNT;
  if (!Number.isInteger(periodSets) || periodSets < 1)
    throw new RangeError('table must hold whole sample sets');
  return {
    name,
    rateHz,
    periodSets,
    fill(index, out, offset) {
      const from = (index % periodSets) * CHANNEL_COUNT;
      for (let ch = 0; ch < CHANNEL_COUNT; ch++) out[offset + ch] = interleaved[from + ch]!;
    },
  };
}

const NANOVOLTS_PER_UNIT: Record<string, number> = { v: 1e9, mv: 1e6, uv: 1e3, µv: 1e3, nv: 1 };

function nanovoltsPerUnit(signal: WfdbSignalSpec): number {
  const factor = NANOVOLTS_PER_UNIT[signal.units.toLowerCase()];
  if (factor === undefined) throw new Error(`signal ${signal.description} is in ${signal.units}, not volts`);
  return factor;
}

/**
 * Loads `<dataRoot>/<database>/...<record>` (`ludb/1` → `ludb/data/1`, `ptbdb/s0010_re`) as a
 * source at `rateHz` with `lsbNanovolts` per count. Channels are matched to I, II, V1…V6 by their
 * description, case-insensitively.
 */
export function loadRecordSource(
  dataRoot: string,
  recordSpec: string,
  rateHz: number,
  lsbNanovolts: number,
): SampleSource {
  const [database, record] = recordSpec.split('/');
  if (database === undefined || record === undefined)
    throw new Error(`record must be <database>/<name>, got ${recordSpec}`);
  const dir = database === 'ludb' ? join(dataRoot, 'ludb', 'data') : join(dataRoot, database);
  const { header, signals } = loadWfdbRecord(dir, record);
  const channels = ECG12_CHANNELS.map((lead) => {
    const at = header.signals.findIndex((s) => s.description.toLowerCase() === lead.toLowerCase());
    if (at < 0) throw new Error(`record ${recordSpec} has no lead ${lead}`);
    const spec = header.signals[at]!;
    const toCounts = nanovoltsPerUnit(spec) / lsbNanovolts;
    const counts = Float64Array.from(signals[at]!, (adc) => adcToPhysical(adc, spec) * toCounts);
    return resample(counts, header.samplingFrequencyHz, rateHz);
  });
  const periodSets = channels[0]!.length;
  const table = new Int32Array(periodSets * CHANNEL_COUNT);
  for (let i = 0; i < periodSets; i++) {
    for (let ch = 0; ch < CHANNEL_COUNT; ch++) table[i * CHANNEL_COUNT + ch] = Math.round(channels[ch]![i]!);
  }
  return tableSource(`${recordSpec} @ ${rateHz} Hz`, rateHz, table);
}
