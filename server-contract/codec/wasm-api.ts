/**
 * The little of the WebAssembly JS API the codec uses, typed here because server-contract/ compiles
 * without DOM or Node types (where `WebAssembly` is declared), and found on `globalThis` at run time
 * so that an environment without it simply gets `undefined` (the JS decoder is used then). Also a
 * base64 decoder for the embedded module bytes (no `atob` or `Buffer` in pure code).
 */

/** A compiled module (opaque here). */
export type WasmModule = object;

/** `WebAssembly.Module` and `WebAssembly.Instance`, synchronous forms. */
export interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: object };
}

/** The platform's WebAssembly API, or undefined where there is none. */
export function wasmApi(): WasmApi | undefined {
  const api = (globalThis as { WebAssembly?: Partial<WasmApi> }).WebAssembly;
  return typeof api?.Module === 'function' && typeof api.Instance === 'function'
    ? (api as WasmApi)
    : undefined;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Bytes of standard base64 text (RFC 4648 §4, `=` padding); throws on any other character. */
export function base64Decode(text: string): Uint8Array {
  const body = text.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((body.length * 3) / 4));
  let acc = 0;
  let bits = 0;
  let at = 0;
  for (const char of body) {
    const value = ALPHABET.indexOf(char);
    if (value < 0) throw new Error(`not base64: ${JSON.stringify(char)}`);
    acc = (acc << 6) | value;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[at++] = (acc >>> bits) & 255;
    }
  }
  return out;
}
