/** Loading an annotated WFDB record for the detection and classification benchmarks. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { WFDB_INVALID_SAMPLE, type WfdbAnnotation } from '../server-contract/formats/wfdb.js';
import { loadWfdbAnnotations, loadWfdbRecord } from '../main/devices/record-files.js';
import { flutterEpisodes, referenceBeats, type SampleSpan } from './_scoring.js';

/** A record with its reference beats and ventricular flutter/fibrillation episodes. */
export interface ScoredRecord {
  name: string;
  sampleRateHz: number;
  /** The chosen channels in ADC units, invalid samples replaced by the last valid one. */
  signals: Float64Array[];
  /** ADC units per mV of each chosen channel. */
  gains: number[];
  reference: number[];
  flutter: SampleSpan[];
  annotations: WfdbAnnotation[];
}

function cleaned(raw: ArrayLike<number>): Float64Array {
  const signal = new Float64Array(raw.length);
  let last = 0;
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] !== WFDB_INVALID_SAMPLE) last = raw[i]!;
    signal[i] = last;
  }
  return signal;
}

/** Loads `channels` (indexes beyond the record's last are dropped) and the `.atr` reference. */
export function loadScoredRecord(dir: string, name: string, channels: readonly number[]): ScoredRecord {
  const record = loadWfdbRecord(dir, name);
  const picked = [...new Set(channels.filter((c) => c < record.signals.length))];
  if (picked.length === 0) picked.push(0);
  const annotations = loadWfdbAnnotations(dir, name, 'atr');
  const length = record.signals[0]?.length ?? 0;
  return {
    name,
    sampleRateHz: record.header.samplingFrequencyHz,
    signals: picked.map((c) => cleaned(record.signals[c]!)),
    gains: picked.map((c) => record.header.signals[c]?.gain ?? 200),
    reference: referenceBeats(annotations),
    flutter: flutterEpisodes(annotations, length),
    annotations,
  };
}

/**
 * Names of the records in `dir` that have a header and an `.atr`, optionally only `only` (comma
 * list); a name asked for that is not there is an error naming it, not a run over no records.
 */
export function recordNames(dir: string, only: string | undefined): string[] {
  const all = readdirSync(dir)
    .filter((f) => f.endsWith('.hea'))
    .map((f) => f.slice(0, -4))
    .filter((name) => existsSync(join(dir, `${name}.atr`)))
    .sort();
  if (only === undefined) return all;
  const wanted = only
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '');
  const missing = wanted.filter((n) => !all.includes(n));
  if (missing.length > 0)
    throw new Error(
      `no annotated record ${missing.join(', ')} in ${dir} (there: ${all.join(', ') || 'none'})`,
    );
  return all.filter((name) => wanted.includes(name));
}
