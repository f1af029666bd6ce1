/**
 * The two implementations of the coded-sample decoder (server-contract/codec/decode-scratch.ts):
 * codec suites run once with each, so that both accept and refuse exactly the same bytes.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { sampleDecoderInUse, useSampleDecoder } from '../../../server-contract/codec/index.js';

/** The JS reference and the WebAssembly kernel. */
export const SAMPLE_DECODERS = ['js', 'wasm'] as const;

/** One of {@link SAMPLE_DECODERS}. */
export type SampleDecoderName = (typeof SAMPLE_DECODERS)[number];

/**
 * Makes the enclosing `describe` decode with `decoder` (checking that it really is the one in use,
 * so a missing WebAssembly cannot quietly turn the wasm suite into a second JS one).
 */
export function decodeWith(decoder: SampleDecoderName): void {
  beforeAll(() => {
    useSampleDecoder(decoder);
    expect(sampleDecoderInUse()).toBe(decoder);
  });
  afterAll(() => useSampleDecoder('auto'));
}

/** Runs `decode` with `decoder` in use, then restores the default. */
export function withDecoder<T>(decoder: SampleDecoderName, decode: () => T): T {
  useSampleDecoder(decoder);
  try {
    return decode();
  } finally {
    useSampleDecoder('auto');
  }
}
