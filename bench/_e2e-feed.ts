/**
 * What the e2e-sync benchmark's gateway records: ECG-12 samples events from the simulator's
 * synthetic source (8 channels, frames of 10 sets, as the unit delivers them) and the simulated
 * watch's streams (heart rate once a second, accelerometer x/y/z at 12.5 Hz in one batch a
 * second as the watch program flushes them, battery once a minute) from the watch model — all
 * deterministic functions of the seed and time, fed into the real recorder on an injected clock.
 */
import type { Recorder } from '../main/recorder/recorder.js';
import type { Ecg12SamplesEvent } from '../main/devices/ecg12/unit-events.js';
import { syntheticSource } from '../main/devices/ecg12/sim/synthetic-source.js';
import { accelMilliG, modelBatteryPct, modelHeartRate } from '../main/devices/bangle/sim/watch-model.js';

export const ECG_RATE_HZ = 500;
export const ECG_LSB_NANOVOLTS = 476.84;
export const ECG_SEED = 7;
export const SETS_PER_FRAME = 10;
export const ACCEL_HZ = 12.5;
export const WATCH_ADDRESS = 'e2:e2:00:00:00:01 random';
export const WATCH_SEED = 11;
/** Noise of the "realistic" source: the same figures bench/queue.ts uses for its synthetic ECG. */
export const REALISTIC_NOISE = {
  baselineWanderMicrovolts: 100,
  mainsHz: 50,
  mainsMicrovolts: 20,
  emgMicrovolts: 10,
} as const;

/** A simulated clock the recorder reads (its `now`). */
export interface SimClock {
  nowMs: number;
}

/** Feeds one second of simulated time per `second()` call. */
export class E2eFeed {
  private readonly source;
  private readonly counts = new Int32Array(SETS_PER_FRAME * 8);
  private nextSet = 0;
  private nextAccel = 0;
  private readonly device = { serial: 'ECG-SIM-E2E1', simulated: true };
  /** Samples handed to the recorder, per stream. */
  readonly fed = { ecgSets: 0, hr: 0, accelSamples: 0, battery: 0 };

  constructor(
    private readonly recorder: Recorder,
    private readonly clock: SimClock,
    readonly anchorMs: number,
    noisy: boolean,
  ) {
    this.source = syntheticSource(ECG_RATE_HZ, ECG_LSB_NANOVOLTS, {
      seed: ECG_SEED,
      ...(noisy ? { noise: REALISTIC_NOISE } : {}),
    });
  }

  /** Second `s` (0-based) of the recording: ECG frames, then the watch's data of that second. */
  second(s: number): void {
    const framesPerSecond = ECG_RATE_HZ / SETS_PER_FRAME;
    for (let f = 0; f < framesPerSecond; f++) {
      const event = this.frame();
      this.clock.nowMs = event.hostReceiveMs;
      this.recorder.inputs.ecgSamples(event, this.device);
      // the recorder's journal flush runs every 500 ms on a timer in the product
      if (f % (framesPerSecond / 2) === framesPerSecond / 2 - 1) this.recorder.flush();
    }
    const endMs = this.anchorMs + (s + 1) * 1000;
    const hrAtMs = endMs - 500;
    const hr = modelHeartRate(WATCH_SEED, hrAtMs);
    this.recorder.inputs.watchHr(WATCH_ADDRESS, { tMs: hrAtMs, bpm: hr.bpm, confidence: hr.confidence });
    this.fed.hr++;
    this.accelBatch(endMs);
    if (s % 60 === 59) {
      this.recorder.inputs.watchBattery(WATCH_ADDRESS, {
        ts: endMs,
        pct: modelBatteryPct(WATCH_SEED, endMs),
        charging: false,
      });
      this.fed.battery++;
    }
  }

  private frame(): Ecg12SamplesEvent {
    for (let i = 0; i < SETS_PER_FRAME; i++) this.source.fill(this.nextSet + i, this.counts, i * 8);
    const event: Ecg12SamplesEvent = {
      run: 0,
      firstIndex: this.nextSet,
      sessionFirstIndex: this.nextSet,
      setCount: SETS_PER_FRAME,
      counts: this.counts,
      leadOffMask: 0,
      anchorMs: this.anchorMs,
      rateHz: ECG_RATE_HZ,
      lsbNanovolts: ECG_LSB_NANOVOLTS,
      hostReceiveMs: this.anchorMs + ((this.nextSet + SETS_PER_FRAME) * 1000) / ECG_RATE_HZ,
    };
    this.nextSet += SETS_PER_FRAME;
    this.fed.ecgSets += SETS_PER_FRAME;
    return event;
  }

  /** The accelerometer samples taken before `endMs`, as one batch (the watch flushes each second). */
  private accelBatch(endMs: number): void {
    const first = this.nextAccel;
    const xyz: number[] = [];
    while (this.anchorMs + (this.nextAccel * 1000) / ACCEL_HZ < endMs) {
      xyz.push(...accelMilliG(WATCH_SEED, this.anchorMs + (this.nextAccel * 1000) / ACCEL_HZ));
      this.nextAccel++;
    }
    if (xyz.length === 0) return;
    this.recorder.inputs.watchAccel(WATCH_ADDRESS, {
      ts: this.anchorMs + (first * 1000) / ACCEL_HZ,
      hz: ACCEL_HZ,
      xyzMilliG: xyz,
    });
    this.fed.accelSamples += xyz.length / 3;
  }
}
