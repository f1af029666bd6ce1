/** The clock and timers the ECG-12 link uses; injectable so tests can use fake timers. */

/** A clock (ms since the Unix epoch) and one-shot timers. */
export interface Ecg12Timers {
  now(): number;
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The process's real clock and timers (looked up at call time, so Vitest's fake timers apply). */
export const systemTimers: Ecg12Timers = {
  now: () => Date.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
