/**
 * Working memory of the coded-sample decoder (sample-decoder.ts) kept from one chunk to the next,
 * and the choice between its two implementations: the WebAssembly kernel (sample-kernel.ts), used
 * wherever WebAssembly is available, and the JS loop, the reference, used otherwise or on request
 * ({@link useSampleDecoder}; the server maps PULSEWATCH_DECODER=js to it).
 */
import { DecodeTables } from './decode-tables.js';
import { RETAINED_MEMORY_BYTES, SampleKernel, STREAM_PADDING } from './sample-kernel.js';

/** Which implementation decodes coded samples: `auto` is the kernel where WebAssembly exists. */
export type SampleDecoderChoice = 'auto' | 'wasm' | 'js';

let choice: SampleDecoderChoice = 'auto';

/**
 * Selects the implementation for every later decode in this thread (default `auto`). `wasm` is
 * `auto` that says so: without WebAssembly the JS loop still decodes (see {@link sampleDecoderInUse}).
 */
export function useSampleDecoder(next: SampleDecoderChoice): void {
  choice = next;
}

/** The implementation decodes in this thread use now. */
export function sampleDecoderInUse(): 'wasm' | 'js' {
  return choice !== 'js' && SampleKernel.available() ? 'wasm' : 'js';
}

/**
 * Working memory a caller may keep from one decode to the next (a server decoding chunk after
 * chunk), so that decoding allocates almost nothing. The samples a decode returns through a scratch
 * are its buffers: valid until the next decode with the same scratch. Not for concurrent use.
 */
export class SampleDecodeScratch {
  private sampleCount = -1;
  private channels: Int32Array[] = [];
  private residual: [Int32Array, Int32Array] = [new Int32Array(0), new Int32Array(0)];
  private ransCopy: Uint8Array = new Uint8Array(0);
  private rawCopy: Uint8Array = new Uint8Array(0);
  private wasmKernel: SampleKernel | undefined;
  /** Tables of the JS loop. */
  readonly tables = new DecodeTables();

  /** The kernel to decode with now, created on first use; undefined when the JS loop should. */
  kernel(): SampleKernel | undefined {
    if (sampleDecoderInUse() === 'js') return undefined;
    this.wasmKernel ??= SampleKernel.create();
    return this.wasmKernel;
  }

  /**
   * After a decode: drops a kernel whose memory grew past RETAINED_MEMORY_BYTES (its views stay
   * valid for whoever holds them), or one that failed (`broken`), so the next decode starts afresh.
   */
  settleKernel(broken = false): void {
    if (broken || (this.wasmKernel?.memoryBytes ?? 0) > RETAINED_MEMORY_BYTES) this.wasmKernel = undefined;
  }

  /** Bytes of WebAssembly memory this scratch keeps (0 without a kernel). */
  get kernelMemoryBytes(): number {
    return this.wasmKernel?.memoryBytes ?? 0;
  }

  /** `channelCount` output arrays of `sampleCount` samples (new ones when `fresh`). */
  outputs(channelCount: number, sampleCount: number, fresh: boolean): Int32Array[] {
    if (fresh) return Array.from({ length: channelCount }, () => new Int32Array(sampleCount));
    this.resize(sampleCount);
    while (this.channels.length < channelCount) this.channels.push(new Int32Array(sampleCount));
    return this.channels.slice(0, channelCount);
  }

  /** The two residual buffers, the first zeroed (the channel before the first one). */
  residuals(sampleCount: number): [Int32Array, Int32Array] {
    this.resize(sampleCount);
    this.residual[0].fill(0);
    return this.residual;
  }

  private resize(sampleCount: number): void {
    if (sampleCount === this.sampleCount) return;
    this.sampleCount = sampleCount;
    this.channels = [];
    this.residual = [new Int32Array(sampleCount), new Int32Array(sampleCount)];
  }

  /** A copy of the rANS stream followed by STREAM_PADDING zero bytes. */
  ransStream(bytes: Uint8Array): Uint8Array {
    this.ransCopy = padded(this.ransCopy, bytes);
    return this.ransCopy;
  }

  /** A copy of the raw-bit stream followed by STREAM_PADDING zero bytes. */
  rawStream(bytes: Uint8Array): Uint8Array {
    this.rawCopy = padded(this.rawCopy, bytes);
    return this.rawCopy;
  }
}

/** `bytes` then zeros, in `buffer` when it is large enough (else in a new, larger one). */
function padded(buffer: Uint8Array, bytes: Uint8Array): Uint8Array {
  const length = bytes.length + STREAM_PADDING;
  const out = buffer.length >= length ? buffer : new Uint8Array(Math.max(length, buffer.length * 2));
  out.set(bytes);
  out.fill(0, bytes.length, length);
  return out;
}
