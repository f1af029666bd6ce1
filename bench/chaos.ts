/**
 * `npm run bench -- chaos [--trials N] [--seed S] [--kills K] [--cut P] [--outage P] [--up-min S]
 * [--up-max S] [--chunk-seconds S]`: the fault trials of test/integration/chaos with real
 * processes — the gateway killed with SIGKILL at seeded random moments while recording the
 * simulated unit and uploading, the ingest server stopped or killed, a proxy cutting connections —
 * repeated N times from seed S (trial i uses seed S + i). Prints each trial, then the totals;
 * all three of lostSamples, duplicateChunks and unrecordedGapMs zero is the only pass.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTrial } from '../test/integration/chaos/trial.js';
import { parseOptions, printHeadline } from './_common.js';

export async function run(args: string[]): Promise<void> {
  const o = parseOptions(args);
  const trials = Number(o.get('trials') ?? 3);
  const seed = Number(o.get('seed') ?? 1);
  const kills = Number(o.get('kills') ?? 3);
  const cut = Number(o.get('cut') ?? 0.1);
  const outage = Number(o.get('outage') ?? 0.3);
  const up: [number, number] = [Number(o.get('up-min') ?? 3), Number(o.get('up-max') ?? 12)];
  const chunkSeconds = Number(o.get('chunk-seconds') ?? 5);
  console.log(
    `chaos: ${trials} trials from seed ${seed}; per trial ${kills} gateway kill -9, server outage chance ${outage} per kill, ` +
      `connection cut chance ${cut}, ${up[0]}–${up[1]} s recording between faults, ${chunkSeconds}-s ECG chunks ` +
      `(simulated ECG-12 unit at 500 Hz, real ingest server on SQLite)`,
  );
  const totals = {
    lostSamples: 0,
    duplicateChunks: 0,
    unrecordedGapMs: 0,
    ecgSamples: 0,
    kills: 0,
    outages: 0,
    cuts: 0,
  };
  for (let i = 0; i < trials; i++) {
    const workDir = mkdtempSync(join(tmpdir(), 'pulsewatch-chaos-bench-'));
    try {
      const r = await runTrial({
        seed: seed + i,
        workDir,
        kills,
        serverOutageProbability: outage,
        cutProbability: cut,
        upSeconds: up,
        ecgChunkSeconds: chunkSeconds,
      });
      totals.lostSamples += r.lostSamples;
      totals.duplicateChunks += r.duplicateChunks;
      totals.unrecordedGapMs += r.unrecordedGapMs;
      totals.ecgSamples += r.ecgSamples;
      totals.kills += r.kills;
      totals.outages += r.serverOutages;
      totals.cuts += r.cutConnections;
      console.log(
        `trial seed ${r.seed}: ${r.ecgSamples} ECG samples in ${r.chunks} chunks, ${r.kills} kills, ${r.serverOutages} server outages, ` +
          `${r.cutConnections} cut connections, gaps recorded ${(r.recordedGapMs / 1000).toFixed(1)} s; ` +
          `lost ${r.lostSamples}, duplicate chunks ${r.duplicateChunks}, unrecorded gap ${r.unrecordedGapMs.toFixed(1)} ms, ` +
          `failed items ${r.failedItems}, ${r.wallSeconds.toFixed(0)} s` +
          (r.holes.length > 0 || r.missingChunks.length > 0
            ? `\n  holes: ${[...r.missingChunks, ...r.holes].join('; ')}`
            : ''),
      );
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  }
  console.log(
    `totals: ${totals.ecgSamples} ECG samples checked against the simulator, ${totals.kills} kills, ${totals.outages} server outages, ${totals.cuts} cut connections`,
  );
  printHeadline({
    trials,
    lostSamples: totals.lostSamples,
    duplicateChunks: totals.duplicateChunks,
    unrecordedGapMs: Math.round(totals.unrecordedGapMs * 10) / 10,
    ecgSamples: totals.ecgSamples,
    kills: totals.kills,
    serverOutages: totals.outages,
    cutConnections: totals.cuts,
  });
}
