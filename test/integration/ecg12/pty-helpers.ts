/** Helpers for the ECG-12 tests over a real pseudo-terminal pair. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SimulatedFrame } from '../../../main/devices/ecg12/sim/simulator.js';
import type { Ecg12Unit } from '../../../main/devices/ecg12/unit.js';

/** A fresh folder for a pty symlink. */
export function tempLinkPath(name = 'ecg12'): string {
  return join(mkdtempSync(join(tmpdir(), 'pw-ecg12-')), name);
}

/** Resolves when `predicate()` holds, polling every 20 ms; rejects after `timeoutMs` (generous: not a speed test). */
export async function waitFor(what: string, predicate: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** One decoded batch, copied. */
export interface DecodedBatch {
  run: number;
  firstIndex: number;
  counts: number[];
}

/** Copies every samples event of `unit`. */
export function collectSamples(unit: Ecg12Unit): DecodedBatch[] {
  const out: DecodedBatch[] = [];
  unit.on('samples', (e) =>
    out.push({
      run: e.run,
      firstIndex: e.firstIndex,
      counts: Array.from(e.counts.subarray(0, e.setCount * 8)),
    }),
  );
  return out;
}

/** Frames the simulator produced, by fate. */
export function framesByFate(
  frames: readonly SimulatedFrame[],
  fate: SimulatedFrame['fate'],
): SimulatedFrame[] {
  return frames.filter((f) => f.fate === fate);
}
