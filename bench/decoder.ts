/**
 * `npm run bench -- decoder [--seconds N] [--chunk BYTES] [--passes N] [--damage]`
 *
 * ECG-12 frame decoder throughput: a stream of SAMPLES frames at 1000 Hz (K = 20 sets a frame)
 * plus a STATUS frame a second, made from LUDB record 1 when the reference data is present (else
 * a deterministic synthetic pattern), decoded in chunks of `--chunk` bytes (default 64, about one
 * USB full-speed packet) on one core. Reports sample sets per second, the multiple of real time,
 * and heap growth per second in steady state (the decoder is meant to be allocation-free).
 * With `--damage`, 5% of frames get a corrupted byte and 5% are preceded by garbage.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { dataRoot, parseOptions, printHeadline } from './_common.js';
import { Ecg12FrameDecoder } from '../main/devices/ecg12/frame-decoder.js';
import { encodeSamplesFrame, encodeStatusFrame } from '../main/devices/ecg12/sim/frame-encoder.js';
import { loadRecordSource, tableSource, type SampleSource } from '../main/devices/ecg12/sim/record-source.js';
import { concat } from '../test/unit/ecg12/frame-helpers.js';

const RATE_HZ = 1000;
const SETS_PER_FRAME = 20;

function source(): SampleSource {
  const root = dataRoot();
  if (root !== undefined) {
    try {
      return loadRecordSource(root, 'ludb/1', RATE_HZ, 476.84);
    } catch {
      // fall through to the synthetic pattern
    }
  }
  const table = new Int32Array(1000 * 8);
  for (let i = 0; i < table.length; i++) table[i] = Math.round(4000 * Math.sin(i / 37));
  return tableSource('synthetic sine pattern', RATE_HZ, table);
}

/** One minute of the unit's output, to be replayed with increasing seq. */
function buildStream(src: SampleSource, seconds: number, damage: boolean): Uint8Array {
  const parts: Uint8Array[] = [];
  const counts = new Int32Array(SETS_PER_FRAME * 8);
  const framesPerSecond = RATE_HZ / SETS_PER_FRAME;
  for (let seq = 0; seq < seconds * framesPerSecond; seq++) {
    if (seq % framesPerSecond === 0) parts.push(encodeStatusFrame(90, 2, 0));
    for (let i = 0; i < SETS_PER_FRAME; i++) src.fill(seq * SETS_PER_FRAME + i, counts, i * 8);
    const frame = encodeSamplesFrame(seq, 0, counts, SETS_PER_FRAME);
    if (damage && seq % 20 === 7) frame[100]! ^= 0x55;
    if (damage && seq % 20 === 13) parts.push(Uint8Array.of(0xa5, 0x13, 0xa5, 0x5a, 0x01, 0x44));
    parts.push(frame);
  }
  return concat(parts);
}

/** Runs a full garbage collection (exposing V8's `gc` for this process if needed). */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

export async function run(args: string[]): Promise<void> {
  const options = parseOptions(args);
  const seconds = Number(options.get('seconds') ?? '600');
  const chunkBytes = Number(options.get('chunk') ?? '64');
  const damage = options.has('damage');
  const src = source();
  const stream = buildStream(src, seconds, damage);
  console.log(
    `decoder benchmark: ${src.name}, ${seconds} s of 1000 Hz frames (${stream.length} bytes), chunks of ${chunkBytes} bytes, damage ${damage}`,
  );

  let checksum = 0;
  const decoder = new Ecg12FrameDecoder({ samples: (b) => (checksum = (checksum + b.counts[0]!) | 0) });
  // The chunks are made once: serialport hands over a new Buffer per read, which is its garbage, not ours.
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < stream.length; at += chunkBytes) chunks.push(stream.subarray(at, at + chunkBytes));
  const feed = (): void => {
    decoder.startRun(0);
    for (const chunk of chunks) decoder.push(chunk);
  };
  for (let w = 0; w < 3; w++) feed(); // warm-up: let the JIT tier up before measuring
  const passes = Number(options.get('passes') ?? '5');
  collectGarbage(); // the set-up's garbage, so that the timed passes start from a clean young generation
  let gcCount = 0;
  const observer = new PerformanceObserver((list) => (gcCount += list.getEntries().length));
  observer.observe({ entryTypes: ['gc'] });
  // Heap growth is sampled around every pass; the median pass is the steady state (a one-off
  // event in one pass — JIT code, a scavenge — does not move it).
  const growthBytes: number[] = [];
  const start = process.hrtime.bigint();
  for (let p = 0; p < passes; p++) {
    const before = process.memoryUsage().heapUsed;
    feed();
    growthBytes.push(process.memoryUsage().heapUsed - before);
  }
  const elapsedS = Number(process.hrtime.bigint() - start) / 1e9;
  await new Promise((resolve) => setTimeout(resolve, 50)); // let GC entries arrive
  observer.disconnect();
  const medianGrowth = [...growthBytes].sort((a, b) => a - b)[Math.floor(passes / 2)]!;
  const allocMbPerS = Math.max(0, medianGrowth) / 1e6 / (elapsedS / passes);
  const sets = decoder.counters.sampleSetsReceived;
  const setsPerS = (passes * seconds * RATE_HZ) / elapsedS;
  const xRealtime = setsPerS / RATE_HZ;
  console.log(
    `decoded ${passes} × ${seconds} s in ${elapsedS.toFixed(3)} s: ${Math.round(setsPerS)} sample sets/s (${((stream.length * passes) / elapsedS / 1e6).toFixed(1)} MB/s of wire bytes)`,
  );
  console.log(
    `counters: sets ${sets}, CRC rejects ${decoder.counters.crcRejects}, bytes discarded ${decoder.counters.bytesDiscarded}, checksum ${checksum}`,
  );
  console.log(
    `heap growth per pass (MB): ${growthBytes.map((b) => (b / 1e6).toFixed(3)).join(', ')}; ` +
      `median ${(medianGrowth / 1e6).toFixed(3)} MB per ${(elapsedS / passes).toFixed(2)} s pass = ${allocMbPerS.toFixed(4)} MB/s; ` +
      `garbage collections during the timed passes: ${gcCount}`,
  );
  printHeadline({
    xRealtime: Math.round(xRealtime),
    setsPerS: Math.round(setsPerS),
    allocMbPerS: Number(allocMbPerS.toFixed(4)),
    gcDuringRun: gcCount,
  });
}
