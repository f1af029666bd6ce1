/**
 * The simulated wearer: heart rate, movement, PPG and battery as pure functions of a
 * seed and the true time (UTC ms). Nothing here has state, so a test can compute what the
 * simulated watch measured at any instant without asking the simulator.
 *
 * The shapes are plausible, not physiological: a resting heart rate per seed, a slow
 * oscillation, walking bouts (2-minute blocks chosen by the seed) that raise heart rate and
 * add a 1.8 Hz step bounce to the accelerometer, and hashed noise keyed to the integer time.
 */

/** A deterministic hash of (seed, k) into [0, 1). */
export function hash01(seed: number, k: number): number {
  let h = (Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(Math.floor(k) | 0, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  h = (h ^ (h >>> 16)) >>> 0;
  return h / 4294967296;
}

/** Length of one activity block, ms: the wearer walks or rests for whole blocks. */
export const ACTIVITY_BLOCK_MS = 120_000;

/** 1 while the wearer walks at `tMs`, else 0. */
export function walking(seed: number, tMs: number): number {
  return hash01(seed ^ 0x5a5a, Math.floor(tMs / ACTIVITY_BLOCK_MS)) > 0.6 ? 1 : 0;
}

/** What the watch's HRM algorithm reports at `tMs`: BPM and confidence (0–100). */
export function modelHeartRate(seed: number, tMs: number): { bpm: number; confidence: number } {
  const s = tMs / 1000;
  const rest = 58 + (Math.abs(seed) % 17);
  const walk = walking(seed, tMs);
  const wobble = 6 * Math.sin((2 * Math.PI * s) / 97 + (seed % 7));
  const noise = 4 * (hash01(seed, Math.floor(s)) - 0.5);
  const bpm = Math.round(rest + wobble + 28 * walk + noise);
  const confidence = Math.round((walk ? 45 : 70) + 30 * hash01(seed + 1, Math.floor(s)));
  return { bpm, confidence: Math.min(100, confidence) };
}

/** Acceleration at `tMs`, in g (watch axes; z ≈ −1 when the watch lies face up). */
export function modelAccel(seed: number, tMs: number): { x: number; y: number; z: number } {
  const s = tMs / 1000;
  const walk = walking(seed, tMs);
  const step = Math.sin(2 * Math.PI * 1.8 * s);
  const tilt = 0.2 * Math.sin((2 * Math.PI * s) / 300 + (seed % 5));
  const n = (axis: number): number => 0.01 * (hash01(seed + axis, Math.round(tMs)) - 0.5);
  return {
    x: tilt + walk * 0.15 * step + n(11),
    y: 0.1 * Math.cos((2 * Math.PI * s) / 410) + walk * 0.08 * Math.cos(2 * Math.PI * 0.9 * s) + n(12),
    z: -0.97 + walk * 0.3 * step + n(13),
  };
}

/** Raw PPG sensor count at `tMs`. */
export function modelPpgRaw(seed: number, tMs: number): number {
  const { bpm } = modelHeartRate(seed, tMs);
  const s = tMs / 1000;
  return Math.round(
    2000 + 300 * Math.sin((2 * Math.PI * bpm * s) / 60) + 20 * (hash01(seed + 3, Math.round(tMs)) - 0.5),
  );
}

/** Battery percentage at `tMs`: drains 1 % per 30 minutes of the UTC day from a seed-dependent level. */
export function modelBatteryPct(seed: number, tMs: number): number {
  const start = 60 + (Math.abs(seed) % 40);
  const drained = Math.floor((tMs % 86_400_000) / 1_800_000);
  return Math.max(5, start - drained);
}

/** What the program sends for one accelerometer sample: milli-g, rounded as `pw.a` does. */
export function accelMilliG(seed: number, tMs: number): [number, number, number] {
  const a = modelAccel(seed, tMs);
  return [Math.round(a.x * 1000), Math.round(a.y * 1000), Math.round(a.z * 1000)];
}

/** Event times on a grid: the first multiple of `periodMs` strictly after `afterMs`. */
export function nextGridTime(afterMs: number, periodMs: number): number {
  return (Math.floor(afterMs / periodMs) + 1) * periodMs;
}

/** The simulated HRM reports once a second, on whole seconds. */
export const HRM_EVENT_PERIOD_MS = 1000;
