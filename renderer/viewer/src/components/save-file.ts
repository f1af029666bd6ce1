export { saveFile } from '../../../src/save-file.js';

/** The body of a binary response, as bytes (the transport gives bytes for non-JSON bodies). */
export function asBytes(body: unknown): Uint8Array {
  if (body instanceof Uint8Array) return body;
  throw new Error('the server sent no file');
}
