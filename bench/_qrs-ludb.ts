/**
 * QRS detection on every LUDB lead alone, for `npm run bench -- qrs`: 12 leads of each 10-s
 * record, each a different projection of the same beats — a QRS that is small or biphasic on
 * one lead (III, aVL when the axis is near perpendicular to it), a T wave taller than the QRS,
 * a lead where the QRS is negative (aVR). The patients are others than MIT-BIH's, and their
 * conditions (bundle-branch blocks, hypertrophy, infarction, pacing, atrial fibrillation) are
 * labelled in ludb.csv. Reference: the cardiologists' QRS peaks (`N`) of all 12 leads clustered
 * into one mark per beat (intervals.ts `reference`); LUDB leaves the first and last beats of a
 * record unannotated, so detections farther than {@link EDGE_S} outside the annotated beats are
 * not scored. A detection matches within ±150 ms, as on MIT-BIH. The last lines fuse the live
 * pipeline's detection leads (pipeline.ts `DEFAULT_DETECTION_LEADS`), as the gateway runs, at the
 * records' rate and resampled to the benchmark's rates (80 Hz: the clinic's current unit).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadWfdbAnnotations, loadWfdbRecord } from '../main/devices/record-files.js';
import { DEFAULT_DETECTION_LEADS } from '../main/dsp/pipeline.js';
import { detectQrs } from '../main/dsp/qrs.js';
import { convertSampleIndex, resample } from '../main/dsp/resample.js';
import { adcToPhysical } from '../server-contract/formats/wfdb.js';
import { LUDB_LEADS, reference, waves } from './intervals.js';
import { microvoltsPerUnit } from './_ludb.js';
import { addScores, ppvPct, scoreBeats, sensitivityPct, type BeatScore } from './_scoring.js';

/** Detections this far before the first or after the last annotated beat are not scored, s. */
const EDGE_S = 0.3;

/** The records of an LUDB folder (the one holding `data/`), in numeric order. */
export function ludbRecordNames(root: string): string[] {
  if (!existsSync(join(root, 'data')))
    throw new Error(`--ludb ${root}: no data/ folder of LUDB records there`);
  return readdirSync(join(root, 'data'))
    .filter((f) => f.endsWith('.hea'))
    .map((f) => f.slice(0, -4))
    .sort((a, b) => Number(a) - Number(b) || a.localeCompare(b));
}

/** Scores by key (a lead, a rate), with the records that had errors. */
class Tally {
  private readonly byKey = new Map<string, { scores: BeatScore[]; errors: string[] }>();

  add(key: string, record: string, score: BeatScore): void {
    const entry = this.byKey.get(key) ?? { scores: [], errors: [] };
    this.byKey.set(key, entry);
    entry.scores.push(score);
    if (score.fn + score.fp > 0) entry.errors.push(`${record} (FN ${score.fn} FP ${score.fp})`);
  }

  /** Each key's gross score, in the order keys came, after printing its line (`label` names it). */
  report(label: (key: string, records: number) => string): Map<string, BeatScore> {
    const out = new Map<string, BeatScore>();
    for (const [key, { scores, errors }] of this.byKey) {
      const s = addScores(scores);
      out.set(key, s);
      console.log(
        `${label(key, scores.length)}: TP ${s.tp} FP ${s.fp} FN ${s.fn} Se ${sensitivityPct(s).toFixed(2)} ` +
          `+P ${ppvPct(s).toFixed(2)}${errors.length === 0 ? '' : `; records with errors: ${errors.join(', ')}`}`,
      );
    }
    return out;
  }
}

/**
 * Runs the detector on each lead of each record alone (at the records' rate), and on the live
 * pipeline's detection leads fused at that rate and resampled to each of `rates`; prints a line per
 * lead (and the records with errors on it), the gross line and a fused line per rate; returns the
 * gross score of the leads alone and the fused scores by rate ("native" and each of `rates`).
 */
export function scoreLudbLeads(
  root: string,
  names: readonly string[],
  rates: readonly number[],
): { alone: BeatScore; fused: Map<string, BeatScore> } {
  const dir = join(root, 'data');
  const perLead = new Tally();
  const fused = new Tally();
  const fusedNames = DEFAULT_DETECTION_LEADS.map((l) => l.toLowerCase());
  for (const name of names) {
    const record = loadWfdbRecord(dir, name);
    const fs = record.header.samplingFrequencyHz;
    const peaks = reference(
      LUDB_LEADS.map((l) => waves(loadWfdbAnnotations(dir, name, l))),
      fs,
    ).qrsPeaks;
    if (peaks.length === 0) continue;
    const inside = (i: number): boolean =>
      i > peaks[0]! - EDGE_S * fs && i < peaks[peaks.length - 1]! + EDGE_S * fs;
    const leads = record.signals.map((adc, i) => {
      const spec = record.header.signals[i]!;
      const scale = microvoltsPerUnit(spec.units);
      return Float64Array.from(adc, (v) => adcToPhysical(v, spec) * scale);
    });
    const names12 = record.header.signals.map((s) => s.description.toLowerCase());
    const detectionLeads = fusedNames.map((l) => leads[names12.indexOf(l)]).filter((x) => x !== undefined);
    if (detectionLeads.length === fusedNames.length) {
      for (const rate of [undefined, ...rates]) {
        const found =
          rate === undefined || rate === fs
            ? Array.from(detectQrs(detectionLeads, fs))
            : Array.from(
                detectQrs(
                  detectionLeads.map((x) => resample(x, fs, rate)),
                  rate,
                ),
                (i) => convertSampleIndex(i, rate, fs),
              );
        fused.add(
          rate === undefined ? 'native' : String(rate),
          name,
          scoreBeats(peaks, found.filter(inside), fs),
        );
      }
    }
    leads.forEach((microvolts, i) => {
      const found = Array.from(detectQrs([microvolts], fs)).filter(inside);
      perLead.add(names12[i]!, name, scoreBeats(peaks, found, fs));
    });
  }
  const alone = perLead.report((lead) => `ludb lead ${lead.padEnd(3)} alone`);
  const gross = addScores([...alone.values()]);
  console.log(
    `ludb gross, ${names.length} records x ${alone.size} leads, each alone: TP ${gross.tp} FP ${gross.fp} ` +
      `FN ${gross.fn} Se ${sensitivityPct(gross).toFixed(2)} +P ${ppvPct(gross).toFixed(2)}`,
  );
  const byRate = fused.report(
    (key, records) =>
      `ludb the live pipeline's detection leads fused (${DEFAULT_DETECTION_LEADS.join('+')}), ` +
      `${key === 'native' ? 'native rate' : `${key} Hz`}, ${records} records`,
  );
  return { alone: gross, fused: byRate };
}
