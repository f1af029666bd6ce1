/**
 * `npm run sim:ecg12 -- [options]`: an ECG-12 unit on a pseudo-terminal, playing a real 12-lead
 * record (looped) with optional damage. Prints the port path to open (e.g. with
 * `npm run capture -- --port PATH ...`). Options:
 *   --record ludb/1 | ptbdb/s0010_re   record under the data folder (default ludb/1)
 *   --synthetic [--heart-rate BPM]      the synthetic ECG generator instead of a record (seeded by --seed)
 *   --episodes vf@30+20,asystole@70+8   arrest rhythms (vf, flutter, asystole) and lead-offs (leadoff) at these seconds after each START
 *   --data DIR                          data folder (default $PULSEWATCH_DATA or ../shared/data)
 *   --link PATH                         stable symlink to the pty (default /tmp/ecg12-sim)
 *   --serial S  --seed N  --lead-off MASK
 *   --bad-crc R --drop R --garbage R --unknown R --bad-length R   fractions of SAMPLES frames
 *   --split                              write frames in small pieces
 *   --unplug-every S --unplug-for S      pull the cable every S seconds for S seconds
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Ecg12RateHz } from '../protocol.js';
import { Ecg12PtySimulator } from './pty-simulator.js';
import { loadRecordSource, type SampleSource } from './record-source.js';
import { parseEpisodes, withEpisodes } from './rhythm-episodes.js';
import { syntheticSource } from './synthetic-source.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

function dataRoot(option: string | undefined): string {
  const root = option ?? process.env.PULSEWATCH_DATA ?? join(repoRoot, '..', 'shared', 'data');
  if (!existsSync(root))
    throw new Error(`data folder ${root} not found: pass --data DIR or set PULSEWATCH_DATA`);
  return root;
}

function rate(value: string | undefined): number {
  const r = value === undefined ? 0 : Number(value);
  if (!(r >= 0 && r <= 1)) throw new Error(`a damage rate must be between 0 and 1, got ${value}`);
  return r;
}

async function main(): Promise<void> {
  const { values: v } = parseArgs({
    options: {
      record: { type: 'string', default: 'ludb/1' },
      synthetic: { type: 'boolean', default: false },
      'heart-rate': { type: 'string', default: '70' },
      data: { type: 'string' },
      link: { type: 'string', default: '/tmp/ecg12-sim' },
      serial: { type: 'string', default: 'ECG-12345' },
      seed: { type: 'string', default: '1' },
      'lead-off': { type: 'string', default: '0' },
      'bad-crc': { type: 'string' },
      drop: { type: 'string' },
      garbage: { type: 'string' },
      unknown: { type: 'string' },
      'bad-length': { type: 'string' },
      split: { type: 'boolean', default: false },
      'unplug-every': { type: 'string' },
      'unplug-for': { type: 'string', default: '3' },
      episodes: { type: 'string' },
    },
  });
  const episodes = v.episodes === undefined ? [] : parseEpisodes(v.episodes);
  const root = v.synthetic ? undefined : dataRoot(v.data);
  const sources = new Map<number, SampleSource>();
  const sourceForRate = (hz: Ecg12RateHz): SampleSource => {
    const cached =
      sources.get(hz) ??
      withEpisodes(
        root === undefined
          ? syntheticSource(hz, 476.84, { seed: Number(v.seed), heartRateBpm: Number(v['heart-rate']) })
          : loadRecordSource(root, v.record, hz, 476.84),
        476.84,
        episodes,
        Number(v.seed),
      );
    sources.set(hz, cached);
    return cached;
  };
  const sim = await Ecg12PtySimulator.start({
    linkPath: v.link,
    sourceForRate,
    serial: v.serial,
    leadOffMask: Number(v['lead-off']),
    damage: {
      seed: Number(v.seed),
      badCrcRate: rate(v['bad-crc']),
      dropRate: rate(v.drop),
      garbageRate: rate(v.garbage),
      unknownTypeRate: rate(v.unknown),
      badLengthRate: rate(v['bad-length']),
      splitWrites: v.split,
    },
  });
  const what = sourceForRate(500).name;
  const looped = v.synthetic ? '' : episodes.length > 0 ? ' (the record looped)' : ', looped';
  console.log(`ECG-12 simulator (unit ${v.serial}) playing ${what}${looped}`);
  console.log(`open this port: ${sim.path}`);
  scheduleUnplugs(sim, v['unplug-every'], Number(v['unplug-for']));
  process.once('SIGINT', () => void sim.stop().then(() => process.exit(0)));
  process.once('SIGTERM', () => void sim.stop().then(() => process.exit(0)));
}

function scheduleUnplugs(sim: Ecg12PtySimulator, everyS: string | undefined, forS: number): void {
  if (everyS === undefined) return;
  const period = Number(everyS) * 1000;
  setInterval(() => {
    console.log('unplugging the simulated unit');
    void sim.unplug().then(() =>
      setTimeout(() => {
        void sim.replug().then(() => console.log(`plugged back in: ${sim.path}`));
      }, forS * 1000),
    );
  }, period);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
