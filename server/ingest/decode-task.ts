/**
 * The CPU-heavy half of a chunk upload: decode the bytes, check the header against the upload
 * path, expand the rows. A pure function of its input, run inline or in a decode worker, with
 * every expected failure returned as a value (so it crosses a worker boundary unchanged).
 */
import type { StreamName } from '../../server-contract/api/index.js';
import {
  ChunkDecodeError,
  decodeChunk,
  SampleDecodeScratch,
  useSampleDecoder,
  type SampleDecoderChoice,
} from '../../server-contract/codec/index.js';
import {
  MAX_CHUNK_BYTES,
  MAX_CHUNK_SAMPLES,
  MAX_RECORDS_INFLATE_RATIO,
  MAX_RECORDS_JSON_BYTES,
} from '../../server-contract/api/index.js';
import { HttpError, type HttpErrorCode } from '../errors.js';
import { expandChunk, type ExpandedChunk } from './expand.js';

export interface DecodeRequest {
  recordingId: string;
  stream: StreamName;
  index: number;
  bytes: Uint8Array;
  /** The ECG rate the recording was started with; an ECG chunk at another rate is refused. */
  recordingEcgRateHz?: number | null;
}

export type DecodeOutcome =
  | { ok: true; expanded: ExpandedChunk }
  | {
      ok: false;
      status: number;
      code: HttpErrorCode;
      message: string;
      metric: 'corrupt' | 'header_mismatch';
    };

const LIMITS = {
  maxBytes: MAX_CHUNK_BYTES,
  maxSamples: MAX_CHUNK_SAMPLES,
  maxRecordsJsonBytes: MAX_RECORDS_JSON_BYTES,
  maxRecordsInflateRatio: MAX_RECORDS_INFLATE_RATIO,
};

/**
 * PULSEWATCH_DECODER=js decodes coded samples with the JS reference instead of the WebAssembly
 * kernel (`wasm` or unset: the kernel wherever WebAssembly exists; any other value counts as unset).
 * Read once per thread: each decode worker and the main thread run this module.
 */
export function sampleDecoderFromEnv(value: string | undefined): SampleDecoderChoice {
  return value === 'js' || value === 'wasm' ? value : 'auto';
}
useSampleDecoder(sampleDecoderFromEnv(process.env.PULSEWATCH_DECODER));

/**
 * This thread's decode buffers, reused chunk after chunk (decoding is synchronous, one at a time):
 * the samples never leave `decodeAndExpand`, only the rows built from them do.
 */
const scratch = new SampleDecodeScratch();

export function decodeAndExpand(req: DecodeRequest): DecodeOutcome {
  let chunk;
  try {
    chunk = decodeChunk(req.bytes, LIMITS, scratch);
  } catch (err) {
    if (!(err instanceof ChunkDecodeError)) throw err;
    return {
      ok: false,
      status: 422,
      code: 'chunk_corrupt',
      message: `chunk does not decode (${err.code}): ${err.message}`,
      metric: 'corrupt',
    };
  }
  const h = chunk.header;
  if (h.recordingId !== req.recordingId || h.stream !== req.stream || h.chunkIndex !== req.index) {
    const message = `chunk header says ${h.recordingId}/${h.stream}/${h.chunkIndex}, the path ${req.recordingId}/${req.stream}/${req.index}`;
    return { ok: false, status: 422, code: 'chunk_header_mismatch', message, metric: 'header_mismatch' };
  }
  try {
    return { ok: true, expanded: expandChunk(req.stream, chunk, req.recordingEcgRateHz ?? null) };
  } catch (err) {
    if (!(err instanceof HttpError)) throw err;
    return { ok: false, status: err.status, code: err.code, message: err.message, metric: 'corrupt' };
  }
}
