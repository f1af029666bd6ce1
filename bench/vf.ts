/**
 * `npm run bench -- vf [--rates 500,250,128,80] [--records 6] [--minutes 10] [--seed 1]
 *  [--data DIR] [--real 100,101,…|none] [--real-rates 128,80] [--noise-records 118,119] [--snr 6,0]
 *  [--wide-seeds 1,…,10|none] [--wide-duration 180]`
 *
 * Ventricular flutter/fibrillation and asystole as rhythm episodes, scored as ANSI/AAMI EC57
 * scores VF episodes: episode sensitivity and positive predictivity (a reference episode counts
 * as found if a detected one overlaps it, and the converse), duration Se and +P (overlap over
 * the reference's and over the detection's total length). Everything runs through the live
 * pipeline the gateway runs (pipeline.ts: beats held for the VF decision, none reported inside
 * VF, asystole after 4 s without a QRS on an attached lead), so the figures are what a user sees.
 *
 * 1. **Synthetic episodes with exact onsets** (bench/_vf-synthetic.ts): `--records` records of
 *    `--minutes` per rate, sinus 60–100/min with PVCs, each with flutter (4–7 Hz, 300–900 µV),
 *    fibrillation (3–9 Hz, fine 150 µV to coarse 600 µV) and asystole (with or without P waves)
 *    episodes of 8–45 s (asystole 5–12 s) at random places. Also the alarm delay (from the true
 *    onset to the moment the alarm is raised), beats reported inside reference VF, and beat Se/+P
 *    outside the episodes. The generator and the detector were written by the same team, so this
 *    part guards against regressions and checks the timing; it validates nothing on its own.
 * 2. **Real records** (`--data`, default ../shared/data/mitdb; all records unless `--real`): the
 *    annotated `[` … `]` episodes are the reference; where a folder has none (the MIT-BIH 100
 *    series), every episode is false and is counted per hour. The owner can point `--data` at
 *    records with VF (MIT-BIH 207, the CU or VF databases). Each record is also played resampled
 *    to every `--real-rates` rate (default 128 and 80 Hz, the clinic's unit; `''` for none): a
 *    false alarm that only a low rate raises shows there, and the live beats' Se/+P per rate
 *    (EC57 rules) can be set beside `bench qrs`'s figures at the same rate.
 * 3. **Noise**: the NST protocol's noise (bench/_nst.ts) at `--snr` on `--noise-records`:
 *    false VF and asystole episodes per hour of record, each noise type.
 * 4. **Imitators** (bench/_vf-wide.ts): beating rhythms with wide complexes, the classic false
 *    positives of VF detectors (every synthetic-wide.ts pattern, clean and under NST noise, and
 *    the AF patterns of synthetic-atrial.ts), `--wide-seeds` strips of `--wide-duration` s per
 *    pattern, noise and rate: false VF episodes, count and per hour.
 * 5. **Ventricular standstill in the real records** (bench/_vf-standstill.ts): every 2 min of
 *    each real record, 6–12 s where the QRS complexes stop; in every other one the record's own P
 *    waves go on (complete AV block without escape), in the rest a sinus arrest. Standstills the
 *    asystole alarm covered, and beats reported inside them (a P wave counted as a QRS); detected
 *    on both channels (as part 2) and on channel 0 alone (a single-lead device such as the watch).
 *
 * Headline (worst rate for synthetic figures): episodeSePct, episodePpvPct, durationSePct,
 * durationPpvPct (VF), asystoleSePct, asystolePpvPct (episodes), alarmDelayMedianS,
 * alarmDelayMaxS (VF), beatsInsideVf, falseVfPerHour, falseAsystolePerHour (real records, clean,
 * the worst rate played), liveSePct, livePpvPct (the live beats on the real records, native rate)
 * and liveSe<rate>Pct, livePpv<rate>Pct for each `--real-rates` rate,
 * standstillEpisodes, standstillAsystoleSePct, standstillPWavesSePct (with P waves going on),
 * standstillBeatsInside (real records with standstill pasted; the worse of two leads and one),
 * noiseFalseVfPerHour, noiseFalseAsystolePerHour (worst noise type and SNR), wideFalseVfEpisodes,
 * wideFalseVfPerHour (imitators, all rates together), realRecords, and
 * with reference VF in the data realEpisodeSePct, realEpisodePpvPct, realDurationSePct,
 * realDurationPpvPct.
 */
import { loadavg } from 'node:os';
import { convertSampleIndex, resample } from '../main/dsp/resample.js';
import type { NoiseKind } from '../main/dsp/synthetic-noise.js';
import { databaseDir, parseOptions, printHeadline, rateList } from './_common.js';
import { noisyChannels } from './_nst.js';
import { loadScoredRecord, recordNames, type ScoredRecord } from './_records.js';
import {
  addScores,
  median,
  outsideSpans,
  overlap,
  ppvPct,
  scoreBeats,
  scoreEpisodes,
  sensitivityPct,
  type BeatScore,
  type SampleSpan,
} from './_scoring.js';
import { holterAsAcquired, playLive, type LiveOutcome } from './_vf-live.js';
import { syntheticEpisodeRecord } from './_vf-synthetic.js';
import { scoreSyntheticRate, type RateFigures } from './_vf-score.js';
import { wideFalseVf } from './_vf-wide.js';
import {
  addStandstillFigures,
  emptyStandstillFigures,
  scoreStandstills,
  withStandstills,
  type StandstillFigures,
} from './_vf-standstill.js';

const round = (v: number, digits = 2): number => Number(v.toFixed(digits));

/** The live pipeline over `record`'s channels, or over `signals` drawn from them at `rateHz`. */
function liveOnRecord(
  record: ScoredRecord,
  signals = record.signals,
  rateHz = record.sampleRateHz,
): LiveOutcome {
  const { channels, detectionLeads } = holterAsAcquired(signals);
  return playLive(channels, rateHz, 1000 / record.gains[0]!, detectionLeads);
}

function hoursOf(record: ScoredRecord): number {
  return record.signals[0]!.length / record.sampleRateHz / 3600;
}

function synthetic(rates: number[], records: number, minutes: number, seed: number): RateFigures[] {
  return rates.map((fs) => {
    const outcomes = [];
    for (let r = 0; r < records; r++) {
      const record = syntheticEpisodeRecord(fs, minutes * 60, seed + r);
      outcomes.push({ record, live: playLive(record.leads, fs, 1) });
    }
    const figures = scoreSyntheticRate(fs, outcomes);
    console.log(
      `synthetic ${fs} Hz (${records} x ${minutes} min): VF ${figures.vfEpisodes} episodes, ` +
        `episode Se ${figures.vf.episodeSePct.toFixed(1)} +P ${figures.vf.episodePpvPct.toFixed(1)}, ` +
        `duration Se ${figures.vf.durationSePct.toFixed(1)} +P ${figures.vf.durationPpvPct.toFixed(1)}; ` +
        `alarm delay median ${figures.alarmDelaysS.length ? median(figures.alarmDelaysS).toFixed(1) : '-'} s, ` +
        `max ${figures.alarmDelaysS.length ? Math.max(...figures.alarmDelaysS).toFixed(1) : '-'} s; ` +
        `asystole ${figures.asystoleEpisodes} episodes, Se ${figures.asystole.episodeSePct.toFixed(1)} ` +
        `+P ${figures.asystole.episodePpvPct.toFixed(1)}, alarm delay median ` +
        `${figures.asystoleDelaysS.length ? median(figures.asystoleDelaysS).toFixed(1) : '-'} s; ` +
        `beats inside VF ${figures.beatsInsideVf}; beats outside episodes Se ` +
        `${sensitivityPct(figures.beats).toFixed(2)} +P ${ppvPct(figures.beats).toFixed(2)}`,
    );
    for (const miss of figures.missed) console.log(`  missed ${miss}`);
    for (const extra of figures.falseEpisodes) console.log(`  false ${extra}`);
    return figures;
  });
}

interface RealFigures {
  hours: number;
  reference: SampleSpan[];
  detected: SampleSpan[];
  /** Per rate played (the native rate first, key undefined): false episodes and live beat scores. */
  perRate: Map<number | undefined, RealRateFigures>;
  /** Standstills, detected on both channels and on channel 0 alone. */
  standstill: [StandstillFigures, StandstillFigures];
}

interface RealRateFigures {
  falseVf: number;
  falseAsystole: number;
  /** Live beats against the reference, EC57 rules (VF episodes left out). */
  beats: BeatScore[];
}

/** One record played live at `rateHz` (native when undefined): what it reports, in a line. */
function realAtRate(record: ScoredRecord, rateHz: number | undefined, into: RealRateFigures) {
  const fs = record.sampleRateHz;
  const rate = rateHz ?? fs;
  const at = (s: number): number => (rate === fs ? s : convertSampleIndex(s, fs, rate));
  const signals = rate === fs ? record.signals : record.signals.map((x) => resample(x, fs, rate));
  const flutter = record.flutter.map((f) => ({ startSample: at(f.startSample), endSample: at(f.endSample) }));
  const live = liveOnRecord(record, signals, rate);
  const falseVf = live.vf.filter((d) => !flutter.some((r) => overlap(r, d) > 0)).length;
  const beats = scoreBeats(
    outsideSpans(record.reference.map(at), flutter),
    outsideSpans(live.beats, flutter),
    rate,
  );
  into.falseVf += falseVf;
  into.falseAsystole += live.asystole.length;
  into.beats.push(beats);
  const line =
    `detected VF ${live.vf.length} (false ${falseVf}), asystole ${live.asystole.length}; ` +
    `live beats Se ${sensitivityPct(beats).toFixed(2)} +P ${ppvPct(beats).toFixed(2)}` +
    live.asystole.map((a) => ` [asystole ${(a.startSample / rate).toFixed(1)} s]`).join('') +
    live.vf.map((v) => ` [VF ${(v.startSample / rate).toFixed(1)} s]`).join('');
  return { live, line };
}

function real(dir: string, names: string[], rates: number[]): RealFigures {
  const sum: RealFigures = {
    hours: 0,
    reference: [],
    detected: [],
    perRate: new Map(
      [undefined, ...rates].map((rate) => [rate, { falseVf: 0, falseAsystole: 0, beats: [] }]),
    ),
    standstill: [emptyStandstillFigures(), emptyStandstillFigures()],
  };
  let offset = 0;
  for (const name of names) {
    const record = loadScoredRecord(dir, name, [0, 1]);
    sum.hours += hoursOf(record);
    const shift = (s: SampleSpan): SampleSpan => ({
      startSample: s.startSample + offset,
      endSample: s.endSample + offset,
    });
    sum.perRate.forEach((figures, rate) => {
      const { live, line } = realAtRate(record, rate, figures);
      if (rate !== undefined) {
        console.log(`  ${rate} Hz: ${line}`);
        return;
      }
      sum.reference.push(...record.flutter.map(shift));
      sum.detected.push(...live.vf.map(shift));
      console.log(
        `real ${name} (${(hoursOf(record) * 60).toFixed(0)} min): reference VF ${record.flutter.length}, ${line}`,
      );
    });
    offset += record.signals[0]!.length + 1;
    const pasted = withStandstills(record);
    if (pasted.spans.length === 0) continue;
    const lines = [2, 1].map((leads, k) => {
      const live = liveOnRecord(record, pasted.signals.slice(0, leads));
      const still = scoreStandstills(pasted.spans, live, record.sampleRateHz);
      addStandstillFigures(sum.standstill[k]!, still);
      return (
        `${leads === 2 ? 'two leads' : 'one lead'}: with P waves ${still.alarmedWithP}/${still.withP} alarmed, ` +
        `sinus arrest ${still.alarmedWithoutP}/${still.withoutP}, beats inside ${still.beatsInside}`
      );
    });
    console.log(`  standstill ${name}: ${lines.join('; ')}`);
  }
  return sum;
}

function noise(dir: string, names: string[], snrs: number[]): { vf: number; asystole: number } {
  let worstVf = 0;
  let worstAsystole = 0;
  const records = names.map((name) => loadScoredRecord(dir, name, [0, 1]));
  for (const kind of ['ma', 'em', 'bw'] as NoiseKind[]) {
    for (const snr of snrs) {
      let hours = 0;
      let vf = 0;
      let asystole = 0;
      for (const record of records) {
        const live = liveOnRecord(record, noisyChannels(record, kind, snr, Number(record.name) * 100 + snr));
        hours += hoursOf(record);
        vf += live.vf.length;
        asystole += live.asystole.length;
      }
      console.log(
        `noise ${kind} ${snr} dB on ${names.join(',')} (${hours.toFixed(2)} h): false VF ${vf} ` +
          `(${(vf / hours).toFixed(2)}/h), false asystole ${asystole} (${(asystole / hours).toFixed(2)}/h)`,
      );
      worstVf = Math.max(worstVf, vf / hours);
      worstAsystole = Math.max(worstAsystole, asystole / hours);
    }
  }
  return { vf: worstVf, asystole: worstAsystole };
}

/** Runs the benchmark (synchronous work; the promise is the runner's interface). */
export function run(args: string[]): Promise<void> {
  const options = parseOptions(args);
  const rates = rateList(options, '500,250,128,80');
  const records = Number(options.get('records') ?? 6);
  const minutes = Number(options.get('minutes') ?? 10);
  const seed = Number(options.get('seed') ?? 1);
  if (!Number.isInteger(records) || records < 1) throw new Error(`--records takes a whole number ≥ 1`);
  if (!(minutes >= 2)) throw new Error(`--minutes takes a number ≥ 2`);
  if (!Number.isInteger(seed)) throw new Error(`--seed takes a whole number`);
  const dir = databaseDir(options, 'mitdb');
  const realOption = options.get('real');
  const names = realOption === 'none' ? [] : recordNames(dir, realOption);
  const missing =
    realOption === undefined || realOption === 'none'
      ? []
      : realOption.split(',').filter((n) => !names.includes(n));
  if (missing.length > 0) throw new Error(`--real: no annotated record ${missing.join(', ')} in ${dir}`);
  const realRates = rateList(options, '128,80', 'real-rates');
  const noiseNames = (options.get('noise-records') ?? '118,119').split(',').filter((n) => names.includes(n));
  const snrs = (options.get('snr') ?? '6,0').split(',').map(Number);
  const wideOption = options.get('wide-seeds') ?? '1,2,3,4,5,6,7,8,9,10';
  const wideSeeds = wideOption === 'none' ? [] : wideOption.split(',').map(Number);
  const wideDurationS = Number(options.get('wide-duration') ?? 180);
  if (wideSeeds.some((v) => !Number.isInteger(v)))
    throw new Error(`--wide-seeds takes whole numbers separated by commas (e.g. 1,2,3), or none`);
  if (!(wideDurationS >= 10)) throw new Error(`--wide-duration takes a number of seconds ≥ 10`);
  if (snrs.some((v) => !Number.isFinite(v)))
    throw new Error(`--snr takes SNRs in dB separated by commas (e.g. 6,0)`);
  console.log(
    `vf: live pipeline; synthetic ${records} x ${minutes} min per rate at ${rates.join(', ')} Hz (seed ${seed}); ` +
      `real records ${names.length ? `${names.join(',')} from ${dir}, native${realRates.map((r) => `, ${r}`).join('')} Hz` : 'none'}; ` +
      `NST noise ma/em/bw at ${snrs.join(', ')} dB on ${noiseNames.join(',') || 'none'}; ` +
      `imitators: seeds ${wideSeeds.join(',') || 'none'} x ${wideDurationS} s; loadavg ${loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}`,
  );
  const perRate = synthetic(rates, records, minutes, seed);
  const worst = (pick: (f: RateFigures) => number): number => Math.min(...perRate.map(pick));
  const delays = perRate.map((f) => (f.alarmDelaysS.length ? median(f.alarmDelaysS) : 0));
  const realFigures = names.length ? real(dir, names, realRates) : undefined;
  const noisy = noiseNames.length ? noise(dir, noiseNames, snrs) : undefined;
  const wide = wideSeeds.length ? wideFalseVf(rates, wideSeeds, wideDurationS) : undefined;
  const headline: Record<string, number> = {
    episodeSePct: round(worst((f) => f.vf.episodeSePct)),
    episodePpvPct: round(worst((f) => f.vf.episodePpvPct)),
    durationSePct: round(worst((f) => f.vf.durationSePct)),
    durationPpvPct: round(worst((f) => f.vf.durationPpvPct)),
    asystoleSePct: round(worst((f) => f.asystole.episodeSePct)),
    asystolePpvPct: round(worst((f) => f.asystole.episodePpvPct)),
    alarmDelayMedianS: round(Math.max(...delays), 1),
    alarmDelayMaxS: round(Math.max(...perRate.map((f) => Math.max(0, ...f.alarmDelaysS))), 1),
    beatsInsideVf: perRate.reduce((a, f) => a + f.beatsInsideVf, 0),
  };
  if (realFigures) {
    let worstVf = 0;
    let worstAsystole = 0;
    const live: Record<string, number> = {};
    for (const [key, f] of realFigures.perRate) {
      const beats = addScores(f.beats);
      console.log(
        `real records ${key === undefined ? 'at their native rate' : `at ${key} Hz`}: ${realFigures.hours.toFixed(2)} h, ` +
          `false VF ${f.falseVf}, false asystole ${f.falseAsystole}; live beats (EC57 rules) Se ` +
          `${sensitivityPct(beats).toFixed(2)} +P ${ppvPct(beats).toFixed(2)} ` +
          `(${beats.tp + beats.fn} beats, ${beats.fn} missed, ${beats.fp} false)`,
      );
      worstVf = Math.max(worstVf, f.falseVf);
      worstAsystole = Math.max(worstAsystole, f.falseAsystole);
      const suffix = key ?? '';
      live[`liveSe${suffix}Pct`] = round(sensitivityPct(beats));
      live[`livePpv${suffix}Pct`] = round(ppvPct(beats));
    }
    headline.realRecords = names.length;
    headline.falseVfPerHour = round(worstVf / realFigures.hours, 3);
    headline.falseAsystolePerHour = round(worstAsystole / realFigures.hours, 3);
    Object.assign(headline, live);
    const [two, one] = realFigures.standstill;
    const pct = (part: number, whole: number): number => (whole > 0 ? round((100 * part) / whole) : -1);
    for (const [label, t] of [
      ['two leads', two],
      ['one lead', one],
    ] as const) {
      console.log(
        `standstill in the real records, ${label}: ${t.withP} with P waves going on, asystole alarmed in ` +
          `${t.alarmedWithP}; ${t.withoutP} sinus arrests, alarmed in ${t.alarmedWithoutP}; beats reported ` +
          `inside ${t.beatsInside}; alarm delay from the last T wave median ` +
          `${t.delaysS.length ? median(t.delaysS).toFixed(1) : '-'} s`,
      );
    }
    headline.standstillEpisodes = two.withP + two.withoutP;
    headline.standstillAsystoleSePct = Math.min(
      ...[two, one].map((t) => pct(t.alarmedWithP + t.alarmedWithoutP, t.withP + t.withoutP)),
    );
    headline.standstillPWavesSePct = Math.min(...[two, one].map((t) => pct(t.alarmedWithP, t.withP)));
    headline.standstillBeatsInside = Math.max(two.beatsInside, one.beatsInside);
    if (realFigures.reference.length > 0) {
      const s = scoreEpisodes(realFigures.reference, realFigures.detected);
      console.log(
        `real VF episodes: ${realFigures.reference.length} reference, episode Se ${s.episodeSePct.toFixed(1)} ` +
          `+P ${s.episodePpvPct.toFixed(1)}, duration Se ${s.durationSePct.toFixed(1)} +P ${s.durationPpvPct.toFixed(1)}`,
      );
      headline.realEpisodeSePct = round(s.episodeSePct);
      headline.realEpisodePpvPct = round(s.episodePpvPct);
      headline.realDurationSePct = round(s.durationSePct);
      headline.realDurationPpvPct = round(s.durationPpvPct);
    } else console.log('real VF episodes: none annotated in these records (every detected one is false)');
  }
  if (noisy) {
    headline.noiseFalseVfPerHour = round(noisy.vf, 3);
    headline.noiseFalseAsystolePerHour = round(noisy.asystole, 3);
  }
  if (wide) {
    console.log(
      `imitators: ${wide.strips} strips, ${wide.hours.toFixed(2)} h, false VF ${wide.falseVf} ` +
        `(${(wide.falseVf / wide.hours).toFixed(2)}/h)`,
    );
    for (const line of wide.where) console.log(`  false VF ${line}`);
    headline.wideFalseVfEpisodes = wide.falseVf;
    headline.wideFalseVfPerHour = round(wide.falseVf / wide.hours, 3);
  }
  console.log(
    'headline: synthetic figures are the worst rate; alarm delays from the true onset to the alarm; ' +
      'false episodes per hour on the real records (clean), under the worst NST noise type and SNR, ' +
      'and on the wide-complex imitators (all rates)',
  );
  printHeadline(headline);
  return Promise.resolve();
}
