/**
 * Deterministic per-event random numbers for the simulator: a hash of (seed, a, b) → [0, 1), so the
 * damage done to frame `seq` of run `run` does not depend on what happened before it.
 */

/** A 32-bit integer hash (Murmur3 finaliser) of three integers. */
export function hash3(seed: number, a: number, b: number): number {
  let h = (seed ^ Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b ^ 0x7f4a7c15, 0xc2b2ae35)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A uniform number in [0, 1) from (seed, a, b). */
export function unitRandom(seed: number, a: number, b: number): number {
  return hash3(seed, a, b) / 4294967296;
}
