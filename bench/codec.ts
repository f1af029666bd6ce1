/**
 * Chunk codec benchmark:
 * `npm run bench -- codec [--data DIR] [--minutes 60] [--chunk-seconds 60] [--repeat 3] [--other false]
 *  [--decoders js,wasm]`.
 *
 * Builds `--minutes` of 8-channel 500 Hz ECG from LUDB records 1–100 (leads I, II, V1–V6, physical
 * value → ECG-12 counts: µV × 1000 / 476.84, rounded), concatenated and looped, cut into chunks of
 * `--chunk-seconds`; encodes and decodes every chunk (best of `--repeat` passes, one core; rates from
 * process CPU time so that other load on a shared machine does not count, wall clock printed too), checks
 * every chunk round-trips exactly, and compares the size with 16-bit samples, JSON numbers and the
 * zlib baseline (node:zlib deflateSync level 9 of per-channel first differences as LE int32).
 * Decoding is timed with each of `--decoders` (the JS reference and the WebAssembly kernel by
 * default), their passes alternating so that both see the same machine; `decodeMsps` is the one
 * the codec uses by default here, `decodeMspsJs` / `decodeMspsWasm` each; `decodeMspsScratch` is the
 * default decoder with one kept SampleDecodeScratch, as the server's decode workers decode.
 * Then, unless `--other false`, sizes on the other reference databases found beside LUDB (detail lines).
 */
import { existsSync, readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { loadWfdbRecord } from '../main/devices/record-files.js';
import { adcToPhysical } from '../server-contract/formats/wfdb.js';
import {
  chunkSha256Hex,
  decodeChunk,
  encodeChunk,
  SampleDecodeScratch,
  sampleDecoderInUse,
  useSampleDecoder,
  type SampledChunk,
} from '../server-contract/codec/index.js';
import { dataRoot, databaseDir, parseOptions, printHeadline } from './_common.js';
import { buildSignal, CHANNEL_NAMES, LSB_NANOVOLTS, microvoltsPerUnit, SAMPLE_RATE_HZ } from './_ludb.js';

const RECORDING_ID = '019a0000-0000-7000-8000-00000000c0de';

function makeChunks(
  signal: Int32Array[],
  samplesPerChunk: number,
  sampleRateHz = SAMPLE_RATE_HZ,
): SampledChunk[] {
  const chunks: SampledChunk[] = [];
  const total = signal[0]!.length;
  for (let start = 0, index = 0; start < total; start += samplesPerChunk, index++) {
    const samples = signal.map((s) => s.slice(start, start + samplesPerChunk));
    chunks.push({
      header: {
        kind: 'sampled',
        recordingId: RECORDING_ID,
        stream: 'ecg',
        chunkIndex: index,
        anchorMs: 1_767_225_600_000,
        firstSampleIndex: start,
        sampleRateHz,
        channels: signal.map((_, c) => ({
          name: CHANNEL_NAMES[c] ?? `C${c}`,
          scale: { unit: 'nV', perCount: LSB_NANOVOLTS },
        })),
        sampleCount: samples[0]!.length,
        gaps: [],
      },
      samples,
    });
  }
  return chunks;
}

function zlibBaselineBytes(channels: readonly Int32Array[]): number {
  let bytes = 0;
  for (const x of channels) {
    const diff = new Int32Array(x.length);
    for (let i = 0; i < x.length; i++) diff[i] = x[i]! - (i > 0 ? x[i - 1]! : 0);
    bytes += deflateSync(new Uint8Array(diff.buffer), { level: 9 }).length;
  }
  return bytes;
}

interface Timing {
  /** Best wall-clock time of the passes, ms. */
  wallMs: number;
  /** Best process CPU time (user + system, all threads) of the passes, ms: robust on a shared machine. */
  cpuMs: number;
}

/** Best times of `repeat` passes; yields to the event loop before each so pending work is not timed. */
async function best(repeat: number, pass: () => void): Promise<Timing> {
  const timing = { wallMs: Infinity, cpuMs: Infinity };
  for (let r = 0; r < repeat; r++) {
    await yieldToEventLoop();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    pass();
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    timing.wallMs = Math.min(timing.wallMs, wallMs);
    timing.cpuMs = Math.min(timing.cpuMs, (cpu.user + cpu.system) / 1000);
  }
  return timing;
}

/** Best times of each pass, their passes taken in turn `repeat` times. */
async function bestAlternating(repeat: number, passes: (() => void)[]): Promise<Timing[]> {
  const timings = passes.map(() => ({ wallMs: Infinity, cpuMs: Infinity }));
  for (let r = 0; r < repeat; r++) {
    for (const [i, pass] of passes.entries()) {
      const t = await best(1, pass);
      timings[i]!.wallMs = Math.min(timings[i]!.wallMs, t.wallMs);
      timings[i]!.cpuMs = Math.min(timings[i]!.cpuMs, t.cpuMs);
    }
  }
  return timings;
}

/** The decoders to time: `js` and/or `wasm`. */
function decoderList(option: string | undefined): ('js' | 'wasm')[] {
  const list = (option ?? 'js,wasm').split(',');
  for (const d of list) if (d !== 'js' && d !== 'wasm') throw new Error(`--decoders: unknown decoder ${d}`);
  return list as ('js' | 'wasm')[];
}

function verify(chunks: readonly SampledChunk[], encoded: readonly Uint8Array[]): void {
  chunks.forEach((chunk, i) => {
    const decoded = decodeChunk(encoded[i]!);
    if (!('samples' in decoded)) throw new Error(`chunk ${i} decoded as records`);
    chunk.samples.forEach((x, c) => {
      const y = decoded.samples[c]!;
      if (y.length !== x.length || y.some((v, k) => v !== x[k]))
        throw new Error(`chunk ${i} channel ${c} not lossless`);
    });
  });
}

/**
 * Size only (no timing) on the other reference databases, every record, all its signals, as counts
 * at LSB_NANOVOLTS in chunks of `chunkSeconds`: a check that the coder is not tuned to LUDB alone.
 */
function otherDatabases(chunkSeconds: number): void {
  const root = dataRoot();
  for (const database of ['mitdb', 'svdb', 'ptbdb']) {
    const dir = root === undefined ? '' : join(root, database);
    if (!existsSync(dir)) continue;
    let encodedBytes = 0;
    let baselineBytes = 0;
    let samples = 0;
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.hea'))) {
      const { header, signals } = loadWfdbRecord(dir, file.slice(0, -4));
      const counts = signals.map((adc, i) => {
        const spec = header.signals[i]!;
        const scale = (microvoltsPerUnit(spec.units) * 1000) / LSB_NANOVOLTS;
        return Int32Array.from(adc, (v) => Math.round(adcToPhysical(v, spec) * scale));
      });
      const rateHz = header.samplingFrequencyHz;
      for (const chunk of makeChunks(counts, Math.round(chunkSeconds * rateHz), rateHz)) {
        encodedBytes += encodeChunk(chunk).length;
        baselineBytes += zlibBaselineBytes(chunk.samples);
        samples += chunk.samples.length * chunk.header.sampleCount;
      }
    }
    const bits = (encodedBytes * 8) / samples;
    console.log(
      `other data ${database}: ${samples} samples, ${bits.toFixed(3)} bits/sample, zlib baseline ${((baselineBytes * 8) / samples).toFixed(3)}, ratio to baseline ${(encodedBytes / baselineBytes).toFixed(4)}`,
    );
  }
}

export async function run(args: string[]): Promise<void> {
  const options = parseOptions(args);
  const dir = join(databaseDir(options, 'ludb'), 'data');
  const minutes = Number(options.get('minutes') ?? 60);
  const chunkSeconds = Number(options.get('chunk-seconds') ?? 60);
  const repeat = Number(options.get('repeat') ?? 3);
  const signal = buildSignal(dir, Math.round(minutes * 60 * SAMPLE_RATE_HZ));
  const chunks = makeChunks(signal, Math.round(chunkSeconds * SAMPLE_RATE_HZ));
  const totalSamples = signal.length * signal[0]!.length;
  console.log(
    `input: LUDB records 1-100 from ${dir}, leads ${CHANNEL_NAMES.join(',')}, counts at ${LSB_NANOVOLTS} nV`,
  );
  console.log(
    `       ${minutes} min looped, ${chunks.length} chunks of ${chunkSeconds} s, ${totalSamples} samples; best of ${repeat} passes, one core`,
  );

  let encoded: Uint8Array[] = [];
  const encode = await best(repeat, () => (encoded = chunks.map(encodeChunk)));
  const defaultDecoder = sampleDecoderInUse();
  const decoders = decoderList(options.get('decoders'));
  const decodeTimes = await bestAlternating(
    repeat,
    decoders.map((d) => () => {
      useSampleDecoder(d);
      encoded.forEach((b) => decodeChunk(b));
    }),
  );
  useSampleDecoder('auto');
  // As the server's decode workers do: one kept scratch, no output arrays allocated per chunk.
  const scratch = new SampleDecodeScratch();
  const decodeScratch = await best(repeat, () => encoded.forEach((b) => decodeChunk(b, undefined, scratch)));
  const byDecoder = new Map(decoders.map((d, i) => [d, decodeTimes[i]!]));
  const decode = byDecoder.get(defaultDecoder) ?? decodeTimes[0]!;
  const hash = await best(repeat, () => encoded.forEach((b) => chunkSha256Hex(b)));
  verify(chunks, encoded);

  const encodedBytes = encoded.reduce((sum, b) => sum + b.length, 0);
  const baselineBytes = chunks.reduce((sum, c) => sum + zlibBaselineBytes(c.samples), 0);
  const jsonBytes = chunks.reduce(
    (sum, c) => sum + JSON.stringify(c.samples.map((s) => Array.from(s))).length,
    0,
  );
  const bitsPerSample = (encodedBytes * 8) / totalSamples;
  const msps = (ms: number): number => totalSamples / ms / 1000;
  const encodeMsps = msps(encode.cpuMs);
  const decodeMsps = msps(decode.cpuMs);
  console.log(`lossless: all ${chunks.length} chunks decode to their input`);
  console.log(
    `encoded ${encodedBytes} B (${bitsPerSample.toFixed(3)} bits/sample, whole chunks incl. headers)`,
  );
  console.log(
    `zlib baseline ${baselineBytes} B (${((baselineBytes * 8) / totalSamples).toFixed(3)} bits/sample); JSON ${jsonBytes} B`,
  );
  for (const [name, t] of [
    ['encode', encode],
    ...decoders.map(
      (d, i) => [`decode (${d}${d === defaultDecoder ? ', default' : ''})`, decodeTimes[i]!] as const,
    ),
  ] as const) {
    console.log(
      `${name}: best CPU ${t.cpuMs.toFixed(1)} ms = ${msps(t.cpuMs).toFixed(1)} M samples/s; best wall ${t.wallMs.toFixed(1)} ms = ${msps(t.wallMs).toFixed(1)} M samples/s`,
    );
  }
  console.log(
    `decode (${defaultDecoder}, kept scratch, as the server): best CPU ${decodeScratch.cpuMs.toFixed(1)} ms = ${msps(decodeScratch.cpuMs).toFixed(1)} M samples/s`,
  );
  console.log(`sha-256: ${(((encodedBytes / hash.cpuMs) * 1000) / 1e6).toFixed(1)} MB/s (CPU time)`);
  console.log(
    `load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} (1, 5, 15 min; 2 cores shared)`,
  );
  console.log('headline encodeMsps/decodeMsps use process CPU time (best pass); wall-clock figures above');
  if (options.get('other') !== 'false') otherDatabases(chunkSeconds);
  printHeadline({
    bitsPerSample: round(bitsPerSample, 3),
    ratioTo16Bit: round(bitsPerSample / 16, 4),
    ratioToZlibBaseline: round(encodedBytes / baselineBytes, 4),
    ratioToJson: round(encodedBytes / jsonBytes, 4),
    encodeMsps: round(encodeMsps, 1),
    decodeMsps: round(decodeMsps, 1),
    encodeMspsWall: round(msps(encode.wallMs), 1),
    decodeMspsWall: round(msps(decode.wallMs), 1),
    decoder: defaultDecoder,
    ...Object.fromEntries(
      [...byDecoder].map(([d, t]) => [`decodeMsps${d === 'js' ? 'Js' : 'Wasm'}`, round(msps(t.cpuMs), 1)]),
    ),
    decodeMspsScratch: round(msps(decodeScratch.cpuMs), 1),
    chunks: chunks.length,
    samples: totalSamples,
  });
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}
