/**
 * Scores of `bench vf` on synthetic records at one rate: EC57 episode and duration Se/+P of VF
 * and of asystole, alarm delays, beats reported inside VF, and beats outside the episodes.
 */
import type { LiveAlarm, LiveOutcome } from './_vf-live.js';
import type { SyntheticEpisodeRecord } from './_vf-synthetic.js';
import {
  addScores,
  outsideSpans,
  overlap,
  scoreBeats,
  scoreEpisodes,
  type BeatScore,
  type EpisodeScore,
  type SampleSpan,
} from './_scoring.js';

/** Margin at each end of a reference VF episode inside which a reported beat is not counted, s. */
const EDGE_S = 0.15;

/** The figures of one rate. */
export interface RateFigures {
  vf: EpisodeScore;
  asystole: EpisodeScore;
  vfEpisodes: number;
  asystoleEpisodes: number;
  /** From each found VF episode's true onset to its alarm, seconds. */
  alarmDelaysS: number[];
  /** The same for asystole (from the first silent sample). */
  asystoleDelaysS: number[];
  /** Beats reported inside reference VF (beyond {@link EDGE_S} of its ends). */
  beatsInsideVf: number;
  /** Reference beats outside every episode against reported beats outside every episode. */
  beats: BeatScore;
  /** Reference episodes not found, in words. */
  missed: string[];
  /** Detected episodes overlapping no reference one, in words. */
  falseEpisodes: string[];
}

/** Each closed episode with the sample its alarm was raised at (alarms and closings come in order). */
function withAlarms(spans: readonly SampleSpan[], alarms: readonly LiveAlarm[]) {
  return spans.map((s, k) => ({ ...s, raisedAtSample: alarms[k]?.raisedAtSample ?? s.startSample }));
}

/** Scores `outcomes` (records at `fs` with what the live pipeline reported for each). */
export function scoreSyntheticRate(
  fs: number,
  outcomes: readonly { record: SyntheticEpisodeRecord; live: LiveOutcome }[],
): RateFigures {
  const refVf: SampleSpan[] = [];
  const refAsystole: SampleSpan[] = [];
  const detVf: SampleSpan[] = [];
  const detAsystole: SampleSpan[] = [];
  const figures: RateFigures = {
    vf: scoreEpisodes([], []),
    asystole: scoreEpisodes([], []),
    vfEpisodes: 0,
    asystoleEpisodes: 0,
    alarmDelaysS: [],
    asystoleDelaysS: [],
    beatsInsideVf: 0,
    beats: addScores([]),
    missed: [],
    falseEpisodes: [],
  };
  const beatScores: BeatScore[] = [];
  let offset = 0;
  outcomes.forEach(({ record, live }, r) => {
    const shift = (s: SampleSpan): SampleSpan => ({
      startSample: s.startSample + offset,
      endSample: s.endSample + offset,
    });
    const vfAlarms = live.alarms.filter((a) => a.kind === 'ventricular_flutter_fibrillation');
    const asyAlarms = live.alarms.filter((a) => a.kind === 'asystole');
    const detected = {
      vf: withAlarms(live.vf, vfAlarms),
      asystole: withAlarms(live.asystole, asyAlarms),
    };
    const where = (s: SampleSpan): string =>
      `record ${r} ${(s.startSample / fs).toFixed(1)}-${(s.endSample / fs).toFixed(1)} s`;
    for (const e of record.episodes) {
      const isVf = e.kind !== 'asystole';
      const pool = isVf ? detected.vf : detected.asystole;
      (isVf ? refVf : refAsystole).push(shift(e));
      const found = pool.filter((d) => overlap(e, d) > 0);
      if (found.length === 0) {
        const detail = isVf ? `${Math.round(e.amplitudeMicrovolts ?? 0)} µV` : e.pWaves ? 'P waves' : 'no P';
        figures.missed.push(`${e.kind} ${where(e)} (${detail})`);
        continue;
      }
      const delayS = (Math.min(...found.map((d) => d.raisedAtSample)) - e.startSample) / fs;
      (isVf ? figures.alarmDelaysS : figures.asystoleDelaysS).push(delayS);
      if (isVf) {
        const from = e.startSample + EDGE_S * fs;
        const to = e.endSample - EDGE_S * fs;
        figures.beatsInsideVf += live.beats.filter((b) => b > from && b < to).length;
      }
    }
    for (const [kind, pool, refs] of [
      ['VF', detected.vf, record.episodes.filter((e) => e.kind !== 'asystole')],
      ['asystole', detected.asystole, record.episodes.filter((e) => e.kind === 'asystole')],
    ] as const) {
      for (const d of pool) {
        if (refs.some((e) => overlap(e, d) > 0)) continue;
        // what the record holds there, when it is another episode (fine fibrillation read as asystole)
        const inside = record.episodes.find((e) => overlap(e, d) > 0);
        const what = inside
          ? ` (inside ${inside.kind} ${where(inside)}${inside.amplitudeMicrovolts ? `, ${Math.round(inside.amplitudeMicrovolts)} µV` : ''})`
          : '';
        figures.falseEpisodes.push(`${kind} ${where(d)}${what}`);
      }
    }
    detVf.push(...live.vf.map(shift));
    detAsystole.push(...live.asystole.map(shift));
    beatScores.push(scoreBeats(record.beats, outsideSpans(live.beats, record.episodes), fs));
    offset += record.leads[0]!.length + 1;
  });
  figures.vf = scoreEpisodes(refVf, detVf);
  figures.asystole = scoreEpisodes(refAsystole, detAsystole);
  figures.vfEpisodes = refVf.length;
  figures.asystoleEpisodes = refAsystole.length;
  figures.beats = addScores(beatScores);
  return figures;
}
