/**
 * A real process killed with SIGKILL while it writes the queue, at seeded random moments, several
 * times over the same file. After each kill the file opens (integrity check passes), every chunk
 * the child printed as committed is there once with the same bytes, nothing is duplicated, and
 * items it left `sending` are pending again. Asserts on content only; the moments are counted in
 * committed lines, not in milliseconds.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UploadQueue } from '../../../main/queue/upload-queue.js';
import { chunkBytes, openDb, RECORDING_A, rng, tempDataDir } from './queue-fixtures.js';

const TRIALS = 4;
const SEED = 20_261_204;
const writer = join(import.meta.dirname, 'crash-writer.ts');
const dataDir = tempDataDir('pulsewatch-crash-');
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

interface Printed {
  enqueued: Map<number, { index: number; sha256: string }>;
  sending: Set<number>;
  acked: Set<number>;
}

/** Runs the writer until it has printed `lines` committed changes (+ a seeded extra), then kills it. */
async function runAndKill(lines: number, extraDelayMs: number, printed: Printed): Promise<void> {
  // node itself with tsx's loader, so the pid killed is the writer's (the tsx binary would be a parent
  // process whose death leaves the writer running)
  const child = spawn(process.execPath, ['--import', 'tsx', writer, dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let buffer = '';
  let stderr = '';
  let count = 0;
  let killing = false;
  child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.on('close', (_code, signal) => resolve(signal)),
  );
  child.stdout.on('data', (data: Buffer) => {
    buffer += data.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop()!;
    for (const line of parts) {
      const [what, id, index, sha256] = line.split(' ');
      if (what === 'enqueued') printed.enqueued.set(Number(id), { index: Number(index), sha256: sha256! });
      if (what === 'sending') printed.sending.add(Number(id));
      if (what === 'acked') printed.acked.add(Number(id));
      if (what !== 'ready') count++;
    }
    if (count >= lines && !killing) {
      killing = true;
      setTimeout(() => child.kill('SIGKILL'), extraDelayMs);
    }
  });
  const signal = await exited;
  expect(stderr).toBe('');
  expect(signal).toBe('SIGKILL');
}

function sha(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

describe('UploadQueue after kill -9', () => {
  it(`keeps every committed chunk exactly once over ${TRIALS} kills at seeded moments`, async () => {
    const random = rng(SEED);
    const printed: Printed = { enqueued: new Map(), sending: new Set(), acked: new Set() };
    let recovered = 0;
    for (let trial = 0; trial < TRIALS; trial++) {
      await runAndKill(20 + Math.floor(random() * 200), Math.floor(random() * 15), printed);
      const db = openDb(dataDir);
      try {
        expect(db.pragma('quick_check', { simple: true })).toBe('ok');
        const queue = new UploadQueue(db, { quotaBytes: () => 1e12 });
        recovered += queue.recoveredSending;
        const items = queue.itemsOfRecording(RECORDING_A);
        const byId = new Map(items.map((item) => [item.id, item]));
        for (const [id, expected] of printed.enqueued) {
          const item = queue.get(id);
          expect(item.chunkIndex).toBe(expected.index);
          expect(item.sha256).toBe(expected.sha256);
          const bytes = chunkBytes(RECORDING_A, 'ecg', expected.index, 200 + ((expected.index * 37) % 3000));
          expect(sha(item.bytes!)).toBe(sha(bytes));
        }
        // at most the one change in flight at the kill committed without being printed
        expect(items.length - printed.enqueued.size).toBeGreaterThanOrEqual(0);
        expect(items.length - printed.enqueued.size).toBeLessThanOrEqual(1);
        const indexes = items.map((i) => i.chunkIndex);
        expect(new Set(indexes).size).toBe(indexes.length);
        expect(indexes).toEqual(Array.from({ length: items.length }, (_, i) => i));
        expect(items.some((i) => i.state === 'sending')).toBe(false);
        for (const id of printed.acked) expect(byId.get(id)?.state).toBe('acked');
        for (const id of printed.sending) {
          if (!printed.acked.has(id)) expect(byId.get(id)?.state).toBe('pending');
        }
        // record what committed unprinted so later trials check it too
        for (const item of items) {
          if (!printed.enqueued.has(item.id))
            printed.enqueued.set(item.id, { index: item.chunkIndex!, sha256: item.sha256! });
          if (item.state === 'acked') printed.acked.add(item.id);
        }
      } finally {
        db.close();
      }
    }
    expect(printed.enqueued.size).toBeGreaterThan(TRIALS * 20);
    expect(recovered).toBeGreaterThan(0); // the kills did catch items being sent
  }, 300_000);
});
