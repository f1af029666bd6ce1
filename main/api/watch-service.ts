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

type ApiWatchStatus = z.infer<typeof ApiWatchStatusSchema>;

function apiError(error: unknown): GatewayApiError {
  if (error instanceof GatewayApiError) return error;
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  return new GatewayApiError(typeof code === 'string' ? code.toLowerCase() : 'watch_error', message);
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
  ) {}

  /** The patient a watch is bound to (after a confirmed pairing), or null. */
  patientOf(address: string): string | null {
    return this.patients.get(address) ?? null;
  }

  /** Statuses of every watch seen since start. */
  list(): ApiWatchStatus[] {
    return [...this.statuses.values()];
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
    if (status.state === 'disconnected' && !status.bound) this.patients.delete(status.address);
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
