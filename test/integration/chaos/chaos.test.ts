/**
 * The gateway's promise with real processes: recording from the simulated unit and uploading to
 * the real ingest server through a proxy that cuts connections, the gateway killed with SIGKILL
 * at seeded random moments and the server stopped for a while — everything the unit produced
 * reaches the server exactly once, except inside the gaps the gateway recorded around its own
 * downtime. (More trials: `npm run bench -- chaos --trials N --seed S`.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTrial } from './trial.js';

const workDir = mkdtempSync(join(tmpdir(), 'pulsewatch-chaos-'));

afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
});

describe('chaos: kill -9, server outages and cut connections', () => {
  it(
    'loses nothing it received, duplicates nothing, and records every hole as a gap',
    { timeout: 600_000 },
    async () => {
      const result = await runTrial({
        seed: 20261204,
        workDir,
        kills: 2,
        serverOutageProbability: 1,
        cutProbability: 0.15,
        upSeconds: [4, 8],
        ecgChunkSeconds: 5,
      });
      expect(result.ended).toBe(true);
      expect(result.missingChunks).toEqual([]);
      expect(result.holes).toEqual([]);
      expect(result.lostSamples).toBe(0);
      expect(result.duplicateChunks).toBe(0);
      expect(result.unrecordedGapMs).toBe(0);
      expect(result.failedItems).toBe(0);
      // the trial did exercise the faults and the gaps it recorded cover the gateway's downtime
      expect(result.ecgSamples).toBeGreaterThan(5 * 500);
      expect(result.recordedGapMs).toBeGreaterThan(0);
      expect(result.serverOutages).toBe(2);
    },
  );
});
