/**
 * The committed WebAssembly kernel (server-contract/codec/sample-kernel-wasm.ts) is the one its
 * source compiles to: an edit to sample-kernel.wat without `npm run build:wasm` fails here.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileKernel, kernelModuleSource, MODULE_PATH } from '../../../scripts/build-wasm-kernel.mjs';
import { base64Decode } from '../../../server-contract/codec/wasm-api.js';
import { SAMPLE_KERNEL_WASM_BASE64 } from '../../../server-contract/codec/sample-kernel-wasm.js';

describe('the committed sample kernel', () => {
  it('is byte for byte what sample-kernel.wat compiles to', async () => {
    const wasm = await compileKernel();
    expect(base64Decode(SAMPLE_KERNEL_WASM_BASE64)).toEqual(wasm);
    expect(readFileSync(MODULE_PATH, 'utf8')).toBe(kernelModuleSource(wasm));
  });

  it('decodes base64 as RFC 4648 does (checked against node:buffer)', () => {
    for (const length of [0, 1, 2, 3, 4, 5, 64, 917]) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 151 + length) & 255);
      expect(base64Decode(Buffer.from(bytes).toString('base64'))).toEqual(bytes);
    }
    expect(() => base64Decode('AB$=')).toThrow(/not base64/);
  });
});
