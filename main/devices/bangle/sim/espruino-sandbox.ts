/**
 * The part of the Espruino/Bangle.js API our watch program uses, in a `node:vm` context,
 * driven by a {@link Clock} and the wearer model. The simulator evaluates the program
 * the gateway uploads here, so the program's own logic is what produces the lines.
 *
 * API modelled (firmware `libs/banglejs/jswrap_bangle.c`, domain-notes §1.4): `Bangle.on`/
 * `removeListener` for `accel`, `HRM`, `HRM-raw`; `setHRMPower(on, appId)` with app-id
 * refcount; `setPollInterval(ms)` (accel events at that period); `setOptions({hrmPollInterval})`;
 * `accelWr(0x1B, odr|0x40)` (KX022 output data rate; faster polling than the ODR repeats
 * samples); `isCharging`; `Bluetooth.println`; `E.showMessage`, `E.getBattery`,
 * `E.setTimeZone`; `getTime`, `setTime`; `setInterval`/`setTimeout`/`clear…`; `reset`;
 * `process.env.VERSION/BOARD`. Uncaught exceptions print `Uncaught …` like the firmware.
 */
import vm from 'node:vm';
import type { Clock, TimerHandle } from '../../../base/clock.js';
import {
  HRM_EVENT_PERIOD_MS,
  modelAccel,
  modelBatteryPct,
  modelHeartRate,
  modelPpgRaw,
  nextGridTime,
} from './watch-model.js';

/** What the sandbox needs from the simulated watch. */
export interface SandboxHost {
  clock: Clock;
  seed: number;
  /** Console output (already formatted, e.g. a line plus `\r\n`). */
  print(text: string): void;
  /** Watch clock minus true time, ms (changed by `setTime`). */
  clockOffsetMs: number;
  /** Added to what `setTime` asks for (a watch whose clock does not take), ms. */
  setTimeErrorMs: number;
  /** What `E.showMessage` last drew. */
  screen: { title: string; message: string };
}

type Fn = (...args: unknown[]) => unknown;

const ODR_HZ = [12.5, 25, 50, 100];

function describeError(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'message' in error) {
    const name = 'name' in error ? String(error.name) : 'Error';
    return `${name}: ${String(error.message)}`;
  }
  return String(error);
}

/** One Espruino interpreter state; `reset()` throws it away like the firmware does. */
export class EspruinoSandbox {
  private context: vm.Context = vm.createContext({});
  private readonly timers = new Map<number, TimerHandle>();
  private nextTimerId = 1;
  private listeners = new Map<string, Fn[]>();
  private hrmApps = new Set<string>();
  private pollIntervalMs = 80;
  private odrHz = 12.5;
  private hrmPollIntervalMs = 40;
  private accelTimer: TimerHandle | undefined;
  private hrmTimer: TimerHandle | undefined;
  private rawTimer: TimerHandle | undefined;
  /** Times `reset()` ran (for tests of unpairing). */
  resets = 0;

  constructor(private readonly host: SandboxHost) {
    this.context = this.makeContext();
  }

  /** Whether the HRM is powered (any app id holds it). */
  get hrmPowered(): boolean {
    return this.hrmApps.size > 0;
  }

  /** Number of listeners for a Bangle event. */
  listenerCount(event: string): number {
    return this.listeners.get(event)?.length ?? 0;
  }

  /** Runs one REPL line. Returns the result (for echo-on `=value`), or prints `Uncaught …`. */
  execute(code: string): unknown {
    try {
      return vm.runInContext(code, this.context, { timeout: 1000 }) as unknown;
    } catch (error) {
      this.host.print(`Uncaught ${describeError(error)}\r\n`);
      return undefined;
    }
  }

  private guarded(fn: Fn, args: unknown[]): void {
    try {
      fn(...args);
    } catch (error) {
      this.host.print(`Uncaught ${describeError(error)}\r\n`);
    }
  }

  private watchNowMs(): number {
    return this.host.clock.now() + this.host.clockOffsetMs;
  }

  private addTimer(fn: Fn, delayMs: number, repeat: boolean, args: unknown[]): number {
    const id = this.nextTimerId++;
    const period = Math.max(1, delayMs);
    const arm = (): void => {
      this.timers.set(
        id,
        this.host.clock.setTimeout(() => {
          if (!this.timers.has(id)) return;
          if (repeat) arm();
          else this.timers.delete(id);
          this.guarded(fn, args);
        }, period),
      );
    };
    arm();
    return id;
  }

  private clearTimer(id?: unknown): void {
    const ids = id === undefined ? [...this.timers.keys()] : [Number(id)];
    for (const key of ids) {
      this.host.clock.clearTimeout(this.timers.get(key));
      this.timers.delete(key);
    }
  }

  private emit(event: string, payload: unknown): void {
    for (const fn of [...(this.listeners.get(event) ?? [])]) this.guarded(fn, [payload]);
  }

  private scheduleAccel(): void {
    this.host.clock.clearTimeout(this.accelTimer);
    this.accelTimer = undefined;
    if (this.listenerCount('accel') === 0) return;
    const now = this.host.clock.now();
    this.accelTimer = this.host.clock.setTimeout(
      () => {
        const t = this.host.clock.now();
        const odrPeriodMs = 1000 / this.odrHz;
        const a = modelAccel(this.host.seed, Math.floor(t / odrPeriodMs) * odrPeriodMs);
        this.scheduleAccel();
        this.emit('accel', { ...a, mag: Math.hypot(a.x, a.y, a.z), diff: 0 });
      },
      nextGridTime(now, this.pollIntervalMs) - now,
    );
  }

  /** The processed-HRM event, once a second on whole seconds while powered. */
  private scheduleHrm(): void {
    this.host.clock.clearTimeout(this.hrmTimer);
    this.hrmTimer = undefined;
    if (!this.hrmPowered) return;
    const now = this.host.clock.now();
    this.hrmTimer = this.host.clock.setTimeout(
      () => {
        const hr = modelHeartRate(this.host.seed, this.host.clock.now());
        this.scheduleHrm();
        this.emit('HRM', { bpm: hr.bpm, confidence: hr.confidence, raw: new Uint8Array(0) });
      },
      nextGridTime(now, HRM_EVENT_PERIOD_MS) - now,
    );
  }

  /** Raw PPG events at the HRM poll interval while powered and listened to; never re-phased. */
  private syncRaw(): void {
    const wanted = this.hrmPowered && this.listenerCount('HRM-raw') > 0;
    if (!wanted) {
      this.host.clock.clearTimeout(this.rawTimer);
      this.rawTimer = undefined;
      return;
    }
    if (this.rawTimer) return;
    const now = this.host.clock.now();
    this.rawTimer = this.host.clock.setTimeout(
      () => {
        this.rawTimer = undefined;
        const t = this.host.clock.now();
        const raw = modelPpgRaw(this.host.seed, t);
        const { bpm, confidence } = modelHeartRate(this.host.seed, t);
        this.syncRaw();
        this.emit('HRM-raw', { raw, filt: raw - 2000, bpm, confidence });
      },
      nextGridTime(now, this.hrmPollIntervalMs) - now,
    );
  }

  private on(event: unknown, fn: unknown): void {
    if (typeof event !== 'string' || typeof fn !== 'function') throw new TypeError('Bangle.on(event, fn)');
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), fn as Fn]);
    if (event === 'accel') this.scheduleAccel();
    if (event === 'HRM-raw') this.syncRaw();
  }

  private removeListener(event: unknown, fn: unknown): void {
    if (typeof event !== 'string') return;
    this.listeners.set(
      event,
      (this.listeners.get(event) ?? []).filter((f) => f !== fn),
    );
    if (event === 'accel') this.scheduleAccel();
    if (event === 'HRM-raw') this.syncRaw();
  }

  private setHrmPower(on: unknown, appId: unknown): boolean {
    const id = typeof appId === 'string' ? appId : '?';
    if (on) this.hrmApps.add(id);
    else this.hrmApps.delete(id);
    this.scheduleHrm();
    this.syncRaw();
    return this.hrmPowered;
  }

  private makeBangle(): Record<string, Fn> {
    return {
      on: (event, fn) => {
        this.on(event, fn);
      },
      removeListener: (event, fn) => {
        this.removeListener(event, fn);
      },
      removeAllListeners: (event) => {
        if (typeof event === 'string') this.listeners.delete(event);
        else this.listeners.clear();
        this.scheduleAccel();
        this.syncRaw();
      },
      setHRMPower: (on, appId) => this.setHrmPower(on, appId),
      isHRMOn: () => this.hrmPowered,
      setPollInterval: (ms) => {
        const value = Number(ms);
        if (!(value >= 10 && value <= 4000)) throw new RangeError(`Invalid poll interval ${String(ms)}`);
        this.pollIntervalMs = value;
        this.scheduleAccel();
      },
      setOptions: (options) => {
        const poll = (options as { hrmPollInterval?: unknown } | undefined)?.hrmPollInterval;
        if (typeof poll === 'number') this.hrmPollIntervalMs = poll;
      },
      accelWr: (register, value) => {
        if (register === 0x1b) this.odrHz = ODR_HZ[Number(value) & 0x0f] ?? this.odrHz;
      },
      isCharging: () => false,
    };
  }

  private makeContext(): vm.Context {
    const host = this.host;
    const context = {
      Bangle: this.makeBangle(),
      Bluetooth: {
        println: (text: unknown) => {
          host.print(`${String(text)}\r\n`);
        },
      },
      E: {
        showMessage: (message: unknown, title: unknown) => {
          host.screen = {
            title: typeof title === 'string' ? title : '',
            message: typeof message === 'string' ? message : JSON.stringify(message),
          };
        },
        getBattery: () => modelBatteryPct(host.seed, host.clock.now()),
        setTimeZone: () => undefined,
      },
      process: { env: { VERSION: '2v25', BOARD: 'BANGLEJS2' } },
      getTime: () => this.watchNowMs() / 1000,
      setTime: (seconds: unknown) => {
        host.clockOffsetMs = Math.round(Number(seconds) * 1000 - host.clock.now()) + host.setTimeErrorMs;
      },
      setInterval: (fn: unknown, ms: unknown, ...args: unknown[]) =>
        this.addTimer(fn as Fn, Number(ms), true, args),
      setTimeout: (fn: unknown, ms: unknown, ...args: unknown[]) =>
        this.addTimer(fn as Fn, Number(ms), false, args),
      clearInterval: (id?: unknown) => {
        this.clearTimer(id);
      },
      clearTimeout: (id?: unknown) => {
        this.clearTimer(id);
      },
      reset: () => {
        this.reset();
      },
    };
    return vm.createContext(context);
  }

  /** Firmware `reset()`: stops timers, sensors and listeners and forgets all JS state. */
  reset(): void {
    this.resets += 1;
    this.clearTimer();
    this.listeners = new Map();
    this.hrmApps = new Set();
    this.pollIntervalMs = 80;
    this.odrHz = 12.5;
    this.scheduleAccel();
    this.scheduleHrm();
    this.syncRaw();
    this.host.screen = { title: '', message: '' };
    this.context = this.makeContext();
  }
}
