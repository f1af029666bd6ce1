/**
 * Bangle.js watches as the gateway API sees them: scan, pair with a code staff confirm, unpair,
 * status and data events. Wraps `main/devices/bangle/` (the BLE link) and maps its events onto
 * the API's schemas; the Bluetooth stack is loaded on first use, so a machine without an
 * adapter only hears "no Bluetooth adapter" when staff ask for watches.
 */
import type { z } from 'zod';
import type { WatchStatusSchema as ApiWatchStatusSchema } from '../../preload/schemas.js';
import { GatewayApiError } from '../../preload/define.js';
import { BangleManager } from '../devices/bangle/bangle-manager.js';
import { SystemClock } from '../base/clock.js';
import type { WatchStatus } from '../devices/bangle/events.js';
import type { DeviceSimulators } from '../devices/simulators.js';
import type { GatewayEventBus } from './event-bus.js';
import type { DeviceInputs } from '../recorder/device-inputs.js';
import type { WatchBindingsStore } from '../recorder/watch-bindings.js';
import type { StreamOptions } from '../devices/bangle/watch-program.js';

type ApiWatchStatus = z.infer<typeof ApiWatchStatusSchema>;

function apiError(error: unknown): GatewayApiError {
  if (error instanceof GatewayApiError) return error;
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  return new GatewayApiError(typeof code === 'string' ? code.toLowerCase() : 'watch_error', message);
}

/** The accelerometer rates the watch program supports, Hz (KX022 ODCNTL codes 0–3). */
const ACCEL_RATES_HZ = [12.5, 25, 50, 100] as const;

/** The watch's stream options from the gateway settings: the supported rate nearest the setting. */
export function streamOptionsFor(settings: { watchAccelHz: number; watchPpg: boolean }): StreamOptions {
  const accHz = ACCEL_RATES_HZ.reduce((best, hz) =>
    Math.abs(hz - settings.watchAccelHz) < Math.abs(best - settings.watchAccelHz) ? hz : best,
  );
  return { hrm: true, accHz, ppg: settings.watchPpg };
}

/** Watches whose card staff see: bound to a patient, or being paired right now. */
function isShown(status: ApiWatchStatus): boolean {
  return status.patientId !== null || status.state === 'connecting' || status.state === 'pairing';
}

export class WatchService {
  private manager: Promise<BangleManager> | undefined;
  private readonly statuses = new Map<string, ApiWatchStatus>();
  private readonly patients = new Map<string, string>();
  private readonly clock = new SystemClock();

  constructor(
    private readonly events: GatewayEventBus,
    private readonly inputs: DeviceInputs,
    private readonly simulated: boolean,
    private readonly simulatedBindings: DeviceSimulators['watchBindings'],
    private readonly bindings: WatchBindingsStore,
    private readonly stream: () => StreamOptions,
  ) {
    const kept = bindings.list();
    for (const b of kept) {
      this.patients.set(b.address, b.patientId);
      this.update(b.address, {
        name: b.name,
        hrsOnly: b.transport === 'hrs',
        state: 'reconnecting',
        message: `Reconnecting to ${b.name} (paired before the gateway restarted)…`,
      });
    }
    // watches bound before a restart reconnect by themselves, to the same patient
    if (kept.length > 0)
      void this.ready()
        .then((manager) => {
          for (const b of kept) manager.restore(b);
        })
        .catch((error: unknown) => {
          for (const b of kept)
            this.update(b.address, { state: 'error', message: `Cannot reconnect: ${String(error)}` });
        });
  }

  /** Applies new stream settings (accelerometer rate, PPG) to every watch, streaming ones now. */
  async applyStreamSettings(): Promise<void> {
    if (this.manager === undefined) return;
    const manager = await this.ready();
    try {
      await manager.setStreamOptions(this.stream());
    } catch (error) {
      throw apiError(error);
    }
  }

  /** Disconnects a watch and keeps it bound to its patient. */
  async disconnect(address: string): Promise<void> {
    const manager = await this.ready();
    try {
      await manager.disconnect(address);
    } catch (error) {
      throw apiError(error);
    }
  }

  /** Reconnects a bound watch staff disconnected. */
  async reconnect(address: string): Promise<void> {
    const manager = await this.ready();
    try {
      manager.reconnect(address);
    } catch (error) {
      throw apiError(error);
    }
  }

  /** The patient a watch is bound to (after a confirmed pairing), or null. */
  patientOf(address: string): string | null {
    return this.patients.get(address) ?? null;
  }

  /** Watches bound to a patient or being paired (a cancelled or unpaired watch is not listed). */
  list(): ApiWatchStatus[] {
    return [...this.statuses.values()].filter(isShown);
  }

  async scan(durationMs: number) {
    const results = await (await this.ready()).scan(durationMs);
    return results
      .map((r) => ({
        address: r.address,
        name: r.name ?? r.address,
        rssiDbm: r.rssi,
        kind: r.transport,
        simulated: this.simulated,
      }))
      .sort((a, b) => b.rssiDbm - a.rssiDbm);
  }

  async beginPairing(address: string, patientId: string): Promise<{ code: string | null; name: string }> {
    const manager = await this.ready();
    try {
      const { code, name } = await manager.beginPairing(address);
      this.patients.set(address, patientId);
      // the card names the patient while staff compare the codes
      this.update(address, {});
      return { code, name };
    } catch (error) {
      throw apiError(error);
    }
  }

  async confirmPairing(address: string, matches: boolean): Promise<ApiWatchStatus> {
    const manager = await this.ready();
    try {
      await manager.confirmPairing(address, matches);
    } catch (error) {
      throw apiError(error);
    }
    if (!matches) this.patients.delete(address);
    else {
      const status = this.statuses.get(address);
      const patientId = this.patients.get(address);
      if (patientId !== undefined)
        this.bindings.bind({
          address,
          patientId,
          name: status?.name ?? address,
          transport: status?.hrsOnly === true ? 'hrs' : 'uart',
          boundAtMs: this.clock.now(),
        });
    }
    return this.update(address, {});
  }

  async unpair(address: string): Promise<void> {
    const manager = await this.ready();
    try {
      await manager.unpair(address);
    } catch (error) {
      throw apiError(error);
    }
    this.patients.delete(address);
    this.bindings.unbind(address);
    this.update(address, {
      patientId: null,
      state: 'disconnected',
      message: 'Watch unpaired: sensors stopped, program cleared.',
    });
  }

  async close(): Promise<void> {
    if (this.manager !== undefined) await (await this.manager.catch(() => undefined))?.close();
  }

  private ready(): Promise<BangleManager> {
    this.manager ??= this.create();
    return this.manager.catch((error: unknown) => {
      this.manager = undefined;
      throw apiError(error);
    });
  }

  private async create(): Promise<BangleManager> {
    const bindings = this.simulatedBindings?.(this.clock);
    const manager = await BangleManager.create({
      clock: this.clock,
      link: { stream: this.stream() },
      ...(bindings === undefined ? {} : { bindings }),
    });
    manager.on('status', (status) => this.onStatus(status));
    manager.on('counters', (c) =>
      this.update(c.address, {
        rssiDbm: c.rssi,
        counters: {
          lines: c.lines,
          badLines: c.badLines,
          lostLines: c.lostLines,
          gaps: c.gaps,
          reconnects: c.reconnects,
        },
      }),
    );
    manager.on('battery', (b) => {
      this.update(b.address, { batteryPct: b.pct });
      this.inputs.watchBattery(b.address, b);
    });
    manager.on('hr', (r) => {
      // the research server's range; 0 means "no reading" on the watch
      if (r.bpm < 1 || r.bpm > 249) return;
      this.inputs.watchHr(r.address, { tMs: Math.round(r.ts), bpm: r.bpm, confidence: r.conf ?? 0 });
    });
    manager.on('accel', (batch) => this.inputs.watchAccel(batch.address, batch));
    manager.on('ppg', (batch) => this.inputs.watchPpg(batch.address, batch));
    manager.on('gap', (gap) => this.inputs.watchGap(gap.address, gap));
    manager.on('scan', (r) =>
      this.events.emit('watches.found', {
        address: r.address,
        name: r.name ?? r.address,
        rssiDbm: r.rssi,
        kind: r.transport,
        simulated: this.simulated,
      }),
    );
    return manager;
  }

  private onStatus(status: WatchStatus): void {
    const ended = status.state === 'disconnected' || status.state === 'error';
    if (ended && !status.bound && this.patients.has(status.address)) {
      this.patients.delete(status.address);
      this.bindings.unbind(status.address);
    }
    this.update(status.address, {
      name: status.name,
      state: status.state,
      message: status.message,
      hrsOnly: status.transport === 'hrs',
    });
  }

  private update(address: string, patch: Partial<ApiWatchStatus>): ApiWatchStatus {
    const previous = this.statuses.get(address) ?? {
      kind: 'watch' as const,
      address,
      name: address,
      state: 'disconnected' as const,
      message: '',
      patientId: null,
      batteryPct: null,
      rssiDbm: null,
      hrsOnly: false,
      simulated: this.simulated,
      counters: { lines: 0, badLines: 0, lostLines: 0, gaps: 0, reconnects: 0 },
    };
    const next = { ...previous, ...patch, patientId: this.patients.get(address) ?? null };
    this.statuses.set(address, next);
    this.events.emit('devices.changed', next);
    return next;
  }
}
