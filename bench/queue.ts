/**
 * Upload queue benchmark: `npm run bench -- queue [--seconds 3600] [--chunk-seconds 60] [--data DIR] [--synthetic]`.
 *
 * Real encoded ECG chunks: 8 channels at 500 Hz (leads I, II, V1–V6 of LUDB records 1–100 as ECG-12
 * counts via bench/_ludb.ts, or the synthetic ECG of main/dsp/synthetic.ts when LUDB is absent or
 * `--synthetic` is given), `--seconds` of signal cut into `--chunk-seconds` chunks, encoded with the
 * contract codec. The queue runs with durability on (gateway database: WAL, synchronous FULL, so each
 * commit is fsynced), in a temp folder on the machine's disk.
 *
 * 1. Append throughput: every chunk enqueued in its own transaction, as the recorder seals them
 *    (headline `chunksPerS`, `samplesPerS`: samples of all 8 channels).
 * 2. One sealed chunk end to end through the queue: encode + enqueue + next + markAcked, each part
 *    timed per chunk (wall clock; the median and mean are printed).
 * 3. Baseline in the same run: the same bytes appended to a plain file with one fsync per chunk
 *    (the least any durable store must do), and the ratios of the queue's costs to it.
 */
import { closeSync, existsSync, fsyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { encodeChunk, type SampledChunk } from '../server-contract/codec/index.js';
import { openGatewayDatabase } from '../main/queue/database.js';
import { UploadQueue } from '../main/queue/upload-queue.js';
import { PRIORITY } from '../main/queue/types.js';
import { SyntheticEcg } from '../main/dsp/synthetic.js';
import { databaseDir, parseOptions, printHeadline } from './_common.js';
import { buildSignal, CHANNEL_NAMES, LSB_NANOVOLTS, SAMPLE_RATE_HZ } from './_ludb.js';

const RECORDING_ID = '019a0000-0000-7000-8000-0000000b0e0e';

function loadSignal(
  options: Map<string, string>,
  totalSamples: number,
): { signal: Int32Array[]; source: string } {
  if (options.get('synthetic') !== 'true') {
    try {
      const dir = join(databaseDir(options, 'ludb'), 'data');
      if (existsSync(dir))
        return { signal: buildSignal(dir, totalSamples), source: `LUDB records 1–100 (${dir})` };
    } catch {
      // no reference data: fall through to the synthetic ECG
    }
  }
  const ecg = new SyntheticEcg({
    seed: 7,
    pvcProbability: 0.02,
    noise: { baselineWanderMicrovolts: 100, mainsHz: 50, mainsMicrovolts: 20, emgMicrovolts: 10 },
  });
  return {
    signal: ecg.nextBlock(totalSamples).counts,
    source: 'synthetic ECG (main/dsp/synthetic.ts, seed 7, with noise)',
  };
}

function chunkOf(
  signal: Int32Array[],
  index: number,
  samplesPerChunk: number,
  recordingId: string,
): SampledChunk {
  const start = index * samplesPerChunk;
  return {
    header: {
      kind: 'sampled',
      recordingId,
      stream: 'ecg',
      chunkIndex: index,
      anchorMs: 1_767_225_600_000,
      firstSampleIndex: start,
      sampleRateHz: SAMPLE_RATE_HZ,
      channels: CHANNEL_NAMES.map((name) => ({ name, scale: { unit: 'nV', perCount: LSB_NANOVOLTS } })),
      sampleCount: samplesPerChunk,
      gaps: [],
    },
    samples: signal.map((s) => s.subarray(start, start + samplesPerChunk)),
  };
}

function stats(valuesMs: number[]): { mean: number; median: number } {
  const sorted = [...valuesMs].sort((a, b) => a - b);
  const mean = sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length);
  return { mean, median: sorted[Math.floor(sorted.length / 2)] ?? 0 };
}

function openQueue(root: string, name: string): { queue: UploadQueue; close: () => void } {
  const db = openGatewayDatabase(join(root, name), []);
  const durability = `${String(db.pragma('journal_mode', { simple: true }))}, synchronous=${String(db.pragma('synchronous', { simple: true }))}`;
  if (durability !== 'wal, synchronous=2') throw new Error(`durability is off: ${durability}`);
  return { queue: new UploadQueue(db, { quotaBytes: () => 1e12 }), close: () => db.close() };
}

/** Part 1: every chunk enqueued in its own transaction. */
function appendPass(root: string, encoded: Uint8Array[]): number {
  const { queue, close } = openQueue(root, 'append');
  const t0 = performance.now();
  encoded.forEach((bytes, i) =>
    queue.enqueue({
      kind: 'chunk',
      recordingId: RECORDING_ID,
      stream: 'ecg',
      chunkIndex: i,
      bytes,
      priority: PRIORITY.samples,
    }),
  );
  const wallMs = performance.now() - t0;
  close();
  return wallMs;
}

/** Part 2: encode + enqueue + next + markAcked per chunk, each part timed. */
function endToEnd(
  root: string,
  chunks: SampledChunk[],
): Record<'encode' | 'enqueue' | 'next' | 'ack', number[]> {
  const { queue, close } = openQueue(root, 'e2e');
  const parts = {
    encode: [] as number[],
    enqueue: [] as number[],
    next: [] as number[],
    ack: [] as number[],
  };
  for (const chunk of chunks) {
    const t0 = performance.now();
    const bytes = encodeChunk(chunk);
    const t1 = performance.now();
    const { chunkIndex } = chunk.header;
    queue.enqueue({
      kind: 'chunk',
      recordingId: RECORDING_ID,
      stream: 'ecg',
      chunkIndex,
      bytes,
      priority: PRIORITY.samples,
    });
    const t2 = performance.now();
    const item = queue.next();
    const t3 = performance.now();
    if (item?.chunkIndex !== chunkIndex)
      throw new Error(`next() gave ${String(item?.chunkIndex)}, expected ${chunkIndex}`);
    queue.markAcked(item.id, { status: 201, duplicate: false });
    const t4 = performance.now();
    parts.encode.push(t1 - t0);
    parts.enqueue.push(t2 - t1);
    parts.next.push(t3 - t2);
    parts.ack.push(t4 - t3);
  }
  close();
  return parts;
}

/** Part 3: the same bytes appended to one file, fsync after each chunk. */
function rawFsync(root: string, encoded: Uint8Array[]): number[] {
  const fd = openSync(join(root, 'raw.bin'), 'a', 0o600);
  const times = encoded.map((bytes) => {
    const t0 = performance.now();
    writeSync(fd, bytes);
    fsyncSync(fd);
    return performance.now() - t0;
  });
  closeSync(fd);
  return times;
}

export function run(args: string[]): Promise<void> {
  const options = parseOptions(args);
  const seconds = Number(options.get('seconds') ?? 3600);
  const chunkSeconds = Number(options.get('chunk-seconds') ?? 60);
  if (!(seconds >= chunkSeconds && chunkSeconds > 0))
    throw new Error('--seconds must be ≥ --chunk-seconds > 0');
  const samplesPerChunk = Math.round(chunkSeconds * SAMPLE_RATE_HZ);
  const chunkCount = Math.floor(seconds / chunkSeconds);
  const { signal, source } = loadSignal(options, chunkCount * samplesPerChunk);
  console.log(`signal: ${source}`);
  console.log(
    `chunks: ${chunkCount} × ${chunkSeconds} s, 8 channels at ${SAMPLE_RATE_HZ} Hz (${samplesPerChunk * 8} samples each)`,
  );
  const chunks = Array.from({ length: chunkCount }, (_, i) =>
    chunkOf(signal, i, samplesPerChunk, RECORDING_ID),
  );
  const encoded = chunks.map((c) => encodeChunk(c));
  const meanBytes = encoded.reduce((a, b) => a + b.length, 0) / chunkCount;
  console.log(
    `encoded: mean ${(meanBytes / 1000).toFixed(1)} kB per chunk (${((meanBytes * 8) / (samplesPerChunk * 8)).toFixed(2)} bits/sample)`,
  );
  const root = mkdtempSync(join(tmpdir(), 'pulsewatch-bench-queue-'));
  console.log(`database: ${root} (WAL, synchronous FULL)`);
  try {
    const appendMs = appendPass(root, encoded);
    const chunksPerS = (chunkCount * 1000) / appendMs;
    const samplesPerS = chunksPerS * samplesPerChunk * 8;
    console.log(
      `append: ${chunkCount} chunks in ${appendMs.toFixed(0)} ms: ${chunksPerS.toFixed(1)} chunks/s, ${(samplesPerS / 1e6).toFixed(2)} M samples/s, ${(chunksPerS * chunkSeconds).toFixed(0)}× real time`,
    );
    const parts = endToEnd(root, chunks);
    const s = {
      encode: stats(parts.encode),
      enqueue: stats(parts.enqueue),
      next: stats(parts.next),
      ack: stats(parts.ack),
    };
    const e2e = stats(parts.encode.map((e, i) => e + parts.enqueue[i]! + parts.next[i]! + parts.ack[i]!));
    for (const [name, v] of Object.entries(s))
      console.log(`  ${name.padEnd(8)} median ${v.median.toFixed(2)} ms, mean ${v.mean.toFixed(2)} ms`);
    console.log(
      `end to end: median ${e2e.median.toFixed(2)} ms, mean ${e2e.mean.toFixed(2)} ms per sealed chunk`,
    );
    const raw = stats(rawFsync(root, encoded));
    console.log(
      `baseline (same bytes appended to a file, fsync per chunk): median ${raw.median.toFixed(2)} ms, mean ${raw.mean.toFixed(2)} ms`,
    );
    const queueMs = e2e.mean - s.encode.mean;
    console.log(
      `ratios to the baseline (means): enqueue ${(s.enqueue.mean / raw.mean).toFixed(2)}, enqueue+next+ack ${(queueMs / raw.mean).toFixed(2)} (three commits)`,
    );
    printHeadline({
      chunksPerS: Number(chunksPerS.toFixed(2)),
      samplesPerS: Math.round(samplesPerS),
      xRealtime: Number((chunksPerS * chunkSeconds).toFixed(0)),
      encodeMsPerChunk: Number(s.encode.mean.toFixed(3)),
      enqueueMsPerChunk: Number(s.enqueue.mean.toFixed(3)),
      nextMsPerChunk: Number(s.next.mean.toFixed(3)),
      ackMsPerChunk: Number(s.ack.mean.toFixed(3)),
      e2eMsPerChunk: Number(e2e.mean.toFixed(3)),
      rawFsyncMsPerChunk: Number(raw.mean.toFixed(3)),
      enqueueToRawFsync: Number((s.enqueue.mean / raw.mean).toFixed(2)),
      queueToRawFsync: Number((queueMs / raw.mean).toFixed(2)),
      chunkBytes: Math.round(meanBytes),
      source: source.startsWith('LUDB') ? 'ludb' : 'synthetic',
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return Promise.resolve();
}
