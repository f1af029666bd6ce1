/**
 * `npm run bench -- lead-off [--data DIR] [--real 100,101,…] [--minutes 10] [--off-s 10]
 *  [--every-s 90]`
 *
 * Electrodes taken off and put back during a recording, in the real records (bench/_lead-off.ts):
 * from 60 s into each record's first `--minutes`, every `--every-s` seconds, every electrode is
 * off for `--off-s` seconds, and back at 1, 0.5, 0.25 and 0.15 of the amplitude in turn
 * (electrodes put back on another site; 0.15 is about 2 % of the QRS's 5–15 Hz energy), which then
 * holds until the next lead-off. Two kinds of lead-off:
 * - **flat**: the inputs sit at the converter's rail and the device says nothing (the pipeline
 *   sees a flat line, which may also be asystole);
 * - **reported**: the device reports the electrodes off (LivePipeline `electrodesOff`) and the
 *   inputs float (mains hum and noise, which the quality monitor does not call flat).
 * The live pipeline (pipeline.ts, as the gateway runs it) reads each record on both channels and
 * on channel 0 (MLII) alone. Scored after each lead-off, from 2 s after the electrodes are back
 * to 1 s before the next lead-off (a beat just before electrodes come off is lost in the edge,
 * which is not what this measures): beat Se and +P (EC57 matching, 150 ms) and asystole episodes
 * there (false: the beats go on); and the time from the return to the first beat found (its R
 * peak; while the detector relearns it is reported up to 4 s later). Also, for reported
 * lead-offs, beats and asystole episodes inside the lead-off (both should be none).
 *
 * Headline: leadOffs (per kind and lead set), recoverySePct, recoveryPpvPct (the worst kind and
 * lead set), recoverySeAt15Pct (the same, after the lead-offs back at 0.15 of the amplitude),
 * asystoleAfterReturn (all kinds and lead sets), beatsInsideReportedOff,
 * asystoleInsideReportedOff, firstBeatDelayMedianS, firstBeatDelayMaxS (over all lead-offs).
 */
import { databaseDir, parseOptions, printHeadline } from './_common.js';
import { playWithLeadOffs, withLeadOffs, type LeadOff, type OffSignal } from './_lead-off.js';
import { loadScoredRecord, recordNames } from './_records.js';
import {
  addScores,
  median,
  overlap,
  ppvPct,
  scoreBeats,
  sensitivityPct,
  type BeatScore,
} from './_scoring.js';

const SCALES = [1, 0.5, 0.25, 0.15];
/** Beats are scored from this long after the electrodes are back (the detector relearns meanwhile). */
const SETTLE_S = 2;
/** …and up to this long before the next lead-off. */
const BEFORE_NEXT_S = 1;

interface Figures {
  leadOffs: number;
  recovery: BeatScore[];
  /** Recovery after the lead-offs back at each scale (SCALES order). */
  recoveryByScale: BeatScore[][];
  asystoleAfterReturn: number;
  beatsInsideOff: number;
  asystoleInsideOff: number;
  firstBeatDelaysS: number[];
}

const empty = (): Figures => ({
  leadOffs: 0,
  recovery: [],
  recoveryByScale: SCALES.map(() => []),
  asystoleAfterReturn: 0,
  beatsInsideOff: 0,
  asystoleInsideOff: 0,
  firstBeatDelaysS: [],
});

function positiveNumber(options: Map<string, string>, key: string, fallback: number): number {
  const text = options.get(key);
  const value = text === undefined ? fallback : Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`--${key} takes a positive number, not "${text}"`);
  return value;
}

export function run(args: string[]): Promise<void> {
  const options = parseOptions(args);
  const dir = databaseDir(options, 'mitdb');
  const names = recordNames(dir, options.get('real'));
  if (names.length === 0) throw new Error(`no annotated records in ${dir}`);
  const minutes = positiveNumber(options, 'minutes', 10);
  const offS = positiveNumber(options, 'off-s', 10);
  const everyS = positiveNumber(options, 'every-s', 90);
  if (everyS <= offS + SETTLE_S) throw new Error('--every-s must leave time after each lead-off');
  console.log(
    `lead-off: ${names.length} records from ${dir}, first ${minutes} min each; every ${everyS} s from 60 s, ` +
      `${offS} s off, back at ${SCALES.join(', ')} of the amplitude in turn; live pipeline on both channels and on MLII alone`,
  );
  const kinds: { off: OffSignal; reported: boolean; label: string }[] = [
    { off: 'flat', reported: false, label: 'flat, not reported' },
    { off: 'floating', reported: true, label: 'reported, floating' },
  ];
  const cases = kinds.flatMap((kind) =>
    [
      { channels: [0, 1], leads: 'two channels' },
      { channels: [0], leads: 'MLII alone' },
    ].map((set) => ({ ...kind, ...set, figures: empty() })),
  );
  for (const name of names) {
    for (const c of cases) {
      const record = loadScoredRecord(dir, name, c.channels);
      const fs = record.sampleRateHz;
      const length = Math.min(record.signals[0]!.length, Math.round(minutes * 60 * fs));
      const signals = record.signals.map((s) => s.subarray(0, length));
      const leadOffs: LeadOff[] = [];
      for (let k = 0, t = 60; (t + everyS) * fs <= length; k++, t += everyS) {
        const startSample = Math.round(t * fs);
        leadOffs.push({
          startSample,
          endSample: startSample + Math.round(offS * fs) - 1,
          scaleAfter: SCALES[k % SCALES.length]!,
        });
      }
      const pasted = withLeadOffs(signals, record.gains, fs, leadOffs, c.off);
      const live = playWithLeadOffs(record, pasted, leadOffs, c.reported);
      const reference = record.reference.filter((r) => r < length);
      const f = c.figures;
      leadOffs.forEach((span, k) => {
        const from = span.endSample + 1 + SETTLE_S * fs;
        const next = leadOffs[k + 1]?.startSample;
        const until = next === undefined ? length : next - BEFORE_NEXT_S * fs;
        const inside = (s: number, a: number, b: number): boolean => s >= a && s < b;
        const score = scoreBeats(
          reference.filter((r) => inside(r, from, until)),
          live.beats.filter((b) => inside(b, from, until)),
          fs,
        );
        f.leadOffs++;
        f.recovery.push(score);
        f.recoveryByScale[SCALES.indexOf(span.scaleAfter)]!.push(score);
        const after = { startSample: from, endSample: until - 1 };
        f.asystoleAfterReturn += live.asystole.filter((a) => overlap(a, after) > 0).length;
        if (c.reported) {
          f.beatsInsideOff += live.beats.filter((b) =>
            inside(b, span.startSample, span.endSample + 1),
          ).length;
          f.asystoleInsideOff += live.asystole.filter((a) => overlap(a, span) > 0).length;
        }
        // the first beat found after the return (one that matches a reference beat)
        const back = span.endSample + 1;
        const firstRef = reference.filter((r) => inside(r, back, until));
        const tolerance = 0.15 * fs;
        const first = live.beats.find(
          (b) => inside(b, back, until) && firstRef.some((r) => Math.abs(r - b) <= tolerance),
        );
        f.firstBeatDelaysS.push(first === undefined ? (until - back) / fs : (first - back) / fs);
      });
    }
  }
  for (const c of cases) {
    const f = c.figures;
    const all = addScores(f.recovery);
    const smallest = addScores(f.recoveryByScale.at(-1)!);
    console.log(
      `${c.label}, ${c.leads}: ${f.leadOffs} lead-offs; after the return Se ${sensitivityPct(all).toFixed(2)} ` +
        `+P ${ppvPct(all).toFixed(2)} (TP ${all.tp} FP ${all.fp} FN ${all.fn}); back at ${SCALES.at(-1)}: ` +
        `Se ${sensitivityPct(smallest).toFixed(2)} (FN ${smallest.fn}); asystole after the return ${f.asystoleAfterReturn}; ` +
        (c.reported
          ? `inside the lead-off: ${f.beatsInsideOff} beats, ${f.asystoleInsideOff} asystole; `
          : '') +
        `first beat after the return: median ${median(f.firstBeatDelaysS).toFixed(1)} s, max ${Math.max(...f.firstBeatDelaysS).toFixed(1)} s`,
    );
    for (const [k, scale] of SCALES.entries()) {
      const s = addScores(f.recoveryByScale[k]!);
      console.log(`  back at ${scale}: Se ${sensitivityPct(s).toFixed(2)} +P ${ppvPct(s).toFixed(2)}`);
    }
  }
  const worst = (pick: (f: Figures) => number): number => Math.min(...cases.map((c) => pick(c.figures)));
  const total = (pick: (f: Figures) => number): number => cases.reduce((sum, c) => sum + pick(c.figures), 0);
  const delays = cases.flatMap((c) => c.figures.firstBeatDelaysS);
  const round2 = (v: number): number => Number(v.toFixed(2));
  printHeadline({
    records: names.length,
    leadOffs: cases[0]!.figures.leadOffs,
    recoverySePct: round2(worst((f) => sensitivityPct(addScores(f.recovery)))),
    recoveryPpvPct: round2(worst((f) => ppvPct(addScores(f.recovery)))),
    recoverySeAt15Pct: round2(worst((f) => sensitivityPct(addScores(f.recoveryByScale.at(-1)!)))),
    asystoleAfterReturn: total((f) => f.asystoleAfterReturn),
    beatsInsideReportedOff: total((f) => f.beatsInsideOff),
    asystoleInsideReportedOff: total((f) => f.asystoleInsideOff),
    firstBeatDelayMedianS: round2(median(delays)),
    firstBeatDelayMaxS: round2(Math.max(...delays)),
  });
  return Promise.resolve();
}
