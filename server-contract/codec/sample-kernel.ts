/**
 * The WebAssembly kernel of the coded-sample decoder (sample-kernel.wat, compiled into
 * sample-kernel-wasm.ts): one instance per {@link SampleDecodeScratch}, with its tables, stream
 * copies, residuals and output channels in the instance's memory. It runs the same loop as the JS
 * reference (DecoderState in sample-decoder.ts) and accepts exactly the bytes the reference accepts;
 * a chunk the reference refuses is refused with the same code (`corrupt`), though a stream that runs
 * past its end is caught between channels, so the message may differ.
 *
 * Safety: the layout leaves room behind each stream for the most a channel can over-read (2 bytes
 * per sample of rANS, 4 of raw bits), and positions past a stream's end are refused before the next
 * channel, so no input reads outside the memory. The memory grows to the chunk's need; past
 * {@link RETAINED_MEMORY_BYTES} the scratch drops the instance after the decode, so one huge chunk
 * does not pin its memory for the life of the thread. Each decode resets all state, so a corrupt
 * chunk leaves nothing behind; a kernel that fails in any other way is dropped and the JS
 * reference decodes the chunk.
 */
import { CONTEXT_SHIFT, DecodeTables, type StreamEnd } from './decode-tables.js';
import { ChunkDecodeError } from './errors.js';
import { CONTEXT_COUNT, PROB_BITS } from './rans-tables.js';
import { SAMPLE_KERNEL_WASM_BASE64 } from './sample-kernel-wasm.js';
import { base64Decode, wasmApi, type WasmModule } from './wasm-api.js';

/** Offsets of the fixed regions in the kernel's memory (as in sample-kernel.wat). */
const SLOTS_AT = 0;
const SYMBOLS_AT = CONTEXT_COUNT << PROB_BITS;
const COUNTS_AT = SYMBOLS_AT + (CONTEXT_COUNT << CONTEXT_SHIFT) * 4;
const DYNAMIC_AT = COUNTS_AT + (CONTEXT_COUNT << CONTEXT_SHIFT) * 4;
const PAGE_BYTES = 65536;
/**
 * Zero bytes after the copy of each stream (both implementations), so that the word reads of a
 * valid stream stay inside the copy. A corrupt stream may read further: those reads give undefined
 * or stale bytes, which the bit arithmetic takes as numbers, and the final checks refuse the stream.
 */
export const STREAM_PADDING = 8;
/** Memory kept by a scratch from one chunk to the next; a chunk needing more gets a fresh instance. */
export const RETAINED_MEMORY_BYTES = 32 * 1024 * 1024;

interface KernelExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  channel(n: number, prev: number, cur: number, out: number, rans: number, raw: number, mask: number): number;
  x0: { value: number };
  x1: { value: number };
  ransPos: { value: number };
  rawPos: { value: number };
  acc: { value: number };
  bits: { value: number };
  min: { value: number };
  max: { value: number };
}

let compiled: WasmModule | null | undefined;

/** The compiled module, once per thread; null where WebAssembly is missing or refuses it. */
function kernelModule(): WasmModule | null {
  if (compiled === undefined) {
    const api = wasmApi();
    try {
      compiled = api === undefined ? null : new api.Module(base64Decode(SAMPLE_KERNEL_WASM_BASE64));
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/** Where one chunk's streams and buffers lie in the memory. */
interface Layout {
  rans: number;
  raw: number;
  prev: number;
  cur: number;
  out: number;
  end: number;
}

function layoutFor(ransLength: number, rawLength: number, channelCount: number, n: number): Layout {
  const rans = DYNAMIC_AT;
  const raw = align4(rans + ransLength + STREAM_PADDING);
  const prev = align4(raw + rawLength + STREAM_PADDING);
  const cur = prev + 4 * n;
  const out = cur + 4 * n;
  // The slack covers the read of a word at the end of an empty chunk's streams.
  return { rans, raw, prev, cur, out, end: out + 4 * channelCount * n + 16 };
}

/** `at` rounded up to a multiple of 4 (arithmetic, not bitwise: layouts may pass 2^31). */
function align4(at: number): number {
  return Math.ceil(at / 4) * 4;
}

/** One kernel instance and the tables that live in its memory. */
export class SampleKernel {
  private readonly exports: KernelExports;
  private tablesView: DecodeTables;

  private constructor(exports: KernelExports) {
    this.exports = exports;
    this.tablesView = this.bindTables();
  }

  /** Whether kernels can be made here (WebAssembly present and the module compiles). */
  static available(): boolean {
    return kernelModule() !== null;
  }

  /** A new instance, or undefined where WebAssembly is unavailable or refuses one (e.g. no memory). */
  static create(): SampleKernel | undefined {
    const api = wasmApi();
    const module = kernelModule();
    if (api === undefined || module === null) return undefined;
    try {
      const exports = new api.Instance(module, {}).exports as unknown as KernelExports;
      return typeof exports.channel === 'function' ? new SampleKernel(exports) : undefined;
    } catch {
      return undefined;
    }
  }

  /** The decoding tables, in the kernel's memory (rebound after the memory grows). */
  get tables(): DecodeTables {
    return this.tablesView;
  }

  /** Bytes of memory the instance holds. */
  get memoryBytes(): number {
    return this.exports.memory.buffer.byteLength;
  }

  private bindTables(): DecodeTables {
    const buffer = this.exports.memory.buffer;
    return new DecodeTables({
      slots: new Uint8Array(buffer, SLOTS_AT, SYMBOLS_AT - SLOTS_AT),
      symbols: new Int32Array(buffer, SYMBOLS_AT, CONTEXT_COUNT << CONTEXT_SHIFT),
      counts: new Uint32Array(buffer, COUNTS_AT, CONTEXT_COUNT << CONTEXT_SHIFT),
    });
  }

  /**
   * Makes room for a chunk's layout (growing the memory, and then rebinding the tables, which must
   * be built afterwards). Returns false when the memory cannot grow that far.
   */
  reserve(layout: Layout): boolean {
    const { memory } = this.exports;
    const missing = layout.end - memory.buffer.byteLength;
    if (missing <= 0) return true;
    try {
      memory.grow(Math.ceil(missing / PAGE_BYTES));
    } catch {
      return false;
    }
    this.tablesView = this.bindTables();
    return true;
  }

  /**
   * Decodes the channels of one chunk whose tables were built with {@link tables}: copies the
   * streams in, runs the loop channel by channel, and returns the channels (views of the memory,
   * valid until the next decode, or copies when `fresh`) and the end state for the final checks.
   */
  decode(job: KernelJob): { channels: Int32Array[]; end: StreamEnd } {
    const { rans, raw, channelCount, sampleCount: n, ranges } = job;
    const at = layoutFor(rans.length, raw.length, channelCount, n);
    const e = this.exports;
    const bytes = new Uint8Array(e.memory.buffer);
    bytes.set(rans, at.rans);
    bytes.fill(0, at.rans + rans.length, at.rans + rans.length + STREAM_PADDING);
    bytes.set(raw, at.raw);
    bytes.fill(0, at.raw + raw.length, at.raw + raw.length + STREAM_PADDING);
    bytes.fill(0, at.prev, at.cur);
    e.x0.value = job.x0;
    e.x1.value = job.x1;
    e.ransPos.value = 8;
    e.rawPos.value = 0;
    e.acc.value = 0;
    e.bits.value = 0;
    let [previous, current] = [at.prev, at.cur];
    for (let c = 0; c < channelCount; c++) {
      if (e.ransPos.value > rans.length || e.rawPos.value > raw.length + STREAM_PADDING)
        throw new ChunkDecodeError('corrupt', 'a coded stream is read past its end', job.at);
      const status = e.channel(n, previous, current, at.out + 4 * n * c, at.rans, at.raw, job.signMask);
      if (status !== 0) throw new ChunkDecodeError('corrupt', 'token in a context without a table');
      if (ranges !== undefined) {
        ranges[2 * c] = e.min.value;
        ranges[2 * c + 1] = e.max.value;
      }
      [previous, current] = [current, previous];
    }
    const channels = Array.from({ length: channelCount }, (_, c) => {
      const view = new Int32Array(e.memory.buffer, at.out + 4 * n * c, n);
      return job.fresh ? view.slice() : view;
    });
    const end = {
      x0: e.x0.value,
      x1: e.x1.value,
      ransPos: e.ransPos.value,
      rawPos: e.rawPos.value,
      acc: e.acc.value,
      bits: e.bits.value,
    };
    return { channels, end };
  }

  /** The layout a chunk with these streams and counts needs (for {@link reserve}). */
  static layout(ransLength: number, rawLength: number, channelCount: number, n: number): Layout {
    return layoutFor(ransLength, rawLength, channelCount, n);
  }
}

/** One chunk's work for {@link SampleKernel.decode}. */
export interface KernelJob {
  /** Offset of the coded samples in the chunk, for error messages. */
  at: number;
  rans: Uint8Array;
  raw: Uint8Array;
  channelCount: number;
  sampleCount: number;
  signMask: number;
  /** Initial states, read from the first 8 bytes of the rANS stream. */
  x0: number;
  x1: number;
  /** Copies of the channels rather than views of the kernel's memory. */
  fresh: boolean;
  ranges: Int32Array | undefined;
}
