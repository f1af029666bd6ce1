/**
 * The ECG-12 unit as the gateway API sees it: connect (by USB discovery, a port path, or in demo
 * mode the simulated unit the gateway was given), its status for staff (`devices.changed`: state,
 * message, battery, lead-off, per-lead quality, counters), and every samples event handed to the
 * recorder, which runs the live pipeline and records. A thin adapter: no signal work here.
 */
import type { z } from 'zod';
import type { Ecg12StatusSchema as ApiEcg12StatusSchema, Settings } from '../../preload/schemas.js';
import { GatewayApiError } from '../../preload/define.js';
import { Ecg12Unit } from '../devices/ecg12/unit.js';
import type { Ecg12Status } from '../devices/ecg12/schemas.js';
import type { DeviceSimulators, PluggedEcg12Simulator } from '../devices/simulators.js';
import type { GatewayEventBus } from './event-bus.js';
import type { DeviceInputs } from '../recorder/device-inputs.js';

type ApiEcg12Status = z.infer<typeof ApiEcg12StatusSchema>;

export class EcgService {
  private unit: Ecg12Unit | undefined;
  private simulator: PluggedEcg12Simulator | undefined;
  /** The port staff chose at connect (undefined: found automatically), reused by {@link reconnect}. */
  private requestedPath: string | undefined;
  private status: ApiEcg12Status;

  constructor(
    private readonly events: GatewayEventBus,
    private readonly settings: () => Settings,
    private readonly simulated: boolean,
    private readonly startSimulator: DeviceSimulators['ecg12'],
    private readonly inputs: DeviceInputs,
  ) {
    this.status = {
      kind: 'ecg12',
      state: 'disconnected',
      message: 'ECG-12 unit not connected',
      path: null,
      serial: null,
      firmware: null,
      sampleRateHz: null,
      lsbNanovolts: null,
      batteryPct: null,
      leadOff: [],
      quality: {},
      simulated,
      counters: {
        frames: 0,
        crcErrors: 0,
        bytesDiscarded: 0,
        unknownFrames: 0,
        sampleSetsLost: 0,
        reconnects: 0,
      },
    };
  }

  current(): ApiEcg12Status {
    return this.status;
  }

  /** Opens the unit (discovery, `path`, or the simulator in demo mode) and starts streaming. */
  async connect(path: string | undefined): Promise<ApiEcg12Status> {
    if (this.unit !== undefined)
      throw new GatewayApiError(
        'already_connected',
        'The ECG-12 unit is already connected: disconnect it first.',
      );
    const rateHz = this.settings().ecgSampleRateHz;
    this.requestedPath = path;
    let portPath = path;
    if (portPath === undefined && this.startSimulator !== undefined) {
      this.simulator = await this.startSimulator();
      portPath = this.simulator.path;
    }
    const unit = new Ecg12Unit({ ...(portPath === undefined ? {} : { path: portPath }), rateHz });
    this.unit = unit;
    unit.on('status', (s) => this.onStatus(s));
    unit.on('info', (info) =>
      this.update({
        serial: info.serial,
        firmware: info.fw,
        sampleRateHz: info.rate,
        lsbNanovolts: info.lsb_nV,
      }),
    );
    unit.on('deviceStatus', (d) => {
      this.update({ batteryPct: Math.min(100, d.batteryPercent), leadOff: d.leadOff });
      this.inputs.ecgLeadOff(d.leadOff);
    });
    unit.on('counters', (c) =>
      this.update({
        counters: {
          frames: c.framesAccepted,
          crcErrors: c.crcRejects,
          bytesDiscarded: c.bytesDiscarded,
          unknownFrames: c.unknownTypeFrames,
          sampleSetsLost: c.sampleSetsLost + c.sampleSetsLostBetweenRuns,
          reconnects: c.reconnects,
        },
      }),
    );
    unit.on('samples', (event) =>
      this.inputs.ecgSamples(event, { serial: this.status.serial ?? 'unknown', simulated: this.simulated }),
    );
    try {
      await unit.start();
    } catch (error) {
      await this.disconnect();
      throw new GatewayApiError(
        (error as { code?: string }).code ?? 'ecg12_error',
        error instanceof Error ? error.message : String(error),
      );
    }
    return this.status;
  }

  /** Beat detection and classification learn the patient afresh; an error when no ECG is streaming. */
  relearn(): void {
    if (!this.inputs.relearnEcg())
      throw new GatewayApiError('not_streaming', 'No ECG is streaming: connect the ECG-12 unit first.');
  }

  /** True while a unit is open (connected, streaming or reconnecting). */
  isOpen(): boolean {
    return this.unit !== undefined;
  }

  /**
   * Closes and reopens the unit at the same port, so a setting the unit takes at connect (the
   * sample rate) applies. Nothing happens when no unit is open.
   */
  async reconnect(): Promise<void> {
    if (this.unit === undefined) return;
    const path = this.requestedPath;
    await this.disconnect();
    await this.connect(path);
  }

  async disconnect(): Promise<void> {
    const unit = this.unit;
    this.unit = undefined;
    await unit?.stop();
    if (unit !== undefined) this.inputs.ecgStopped('ECG-12 unit disconnected by staff');
    await this.simulator?.stop();
    this.simulator = undefined;
    this.update({ state: 'disconnected', message: 'ECG-12 unit disconnected', quality: {} });
  }

  /** Per-lead quality from the live pipeline (the recorder runs it). */
  setQuality(quality: ApiEcg12Status['quality']): void {
    this.update({ quality });
  }

  private onStatus(s: Ecg12Status): void {
    const stopped = s.state === 'unplugged' || s.state === 'error' || s.state === 'disconnected';
    if (stopped && this.status.state !== s.state) this.inputs.ecgStopped(s.message);
    this.update({
      // a unit that delivers nothing has no lead that is "good"
      ...(stopped ? { quality: {} } : {}),
      state: s.state,
      message: s.message,
      path: s.path ?? this.status.path,
      serial: s.serial ?? this.status.serial,
    });
  }

  /** Applies a change and tells the UI, unless nothing actually changed. */
  private update(patch: Partial<ApiEcg12Status>): void {
    const next = { ...this.status, ...patch };
    if (JSON.stringify(next) === JSON.stringify(this.status)) return;
    this.status = next;
    this.events.emit('devices.changed', this.status);
  }
}
