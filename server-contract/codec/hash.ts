/** Chunk identity: the SHA-256 of the encoded bytes (FIPS 180-4), as lower-case hex. */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

/** `chunkId` of an encoded chunk: 64 lower-case hex digits of SHA-256(bytes). */
export function chunkSha256Hex(bytes: Uint8Array): string {
  return bytesToHex(sha256(bytes));
}
