/**
 * The gateway's entry point for Bangle.js watches: scan, pair (with a code confirmed by
 * staff), stream, unpair; typed events for status, counters and data.
 *
 * ```ts
 * const watches = await BangleManager.create({ clock: new SystemClock() });
 * watches.on('hr', (record) => recorder.addHr(record));
 * await watches.scan(5000);                        // 'scan' events with RSSI
 * const { code } = await watches.beginPairing(address); // code shown on the watch
 * await watches.confirmPairing(address, true);     // staff saw the same code
 * ```
 */
import type { EventEmitter } from 'node:events';
import { BleError, type BleAdvertisement, type BleCentral } from './ble-central.js';
import { sleep, type Clock } from '../../base/clock.js';
import { BangleError } from './errors.js';
import { TypedEmitter } from '../../base/typed-emitter.js';
import type { BangleEvents, ScanResult, WatchCounters, WatchTransport } from './events.js';
import { silentLogger, type BangleLogger } from './logger.js';
import { loadNobleCentral } from './noble-central.js';
import { HRS_SERVICE_UUID, NUS_SERVICE_UUID, normalizeUuid } from './uuids.js';
import { DEFAULT_LINK_OPTIONS, WatchLink, type WatchLinkOptions } from './watch-link.js';

/** Options for {@link BangleManager.create}. */
export interface BangleManagerOptions {
  clock: Clock;
  logger?: BangleLogger;
  /** A ready central (tests); otherwise noble is loaded lazily. */
  central?: BleCentral;
  /** noble bindings to inject (the simulated watch); ignored when `central` is given. */
  bindings?: EventEmitter;
  /** How long to wait for the adapter to power on, ms. Default 5000. */
  adapterTimeoutMs?: number;
  link?: Partial<WatchLinkOptions>;
}

/** Which link a watch found in a scan needs, or `null` for devices that are not watches we support. */
export function classifyAdvertisement(advertisement: BleAdvertisement): WatchTransport | null {
  const uuids = advertisement.serviceUuids.map(normalizeUuid);
  if (uuids.includes(NUS_SERVICE_UUID)) return 'uart';
  if (uuids.includes(HRS_SERVICE_UUID)) return 'hrs';
  // Espruino puts NUS in the scan response; a name alone still identifies a Bangle.js.
  if (advertisement.name?.startsWith('Bangle.js') === true) return 'uart';
  return null;
}

function addressOf(advertisement: BleAdvertisement): string {
  return advertisement.address !== '' ? advertisement.address : advertisement.id;
}

interface Locator {
  address: string;
  resolve: (advertisement: BleAdvertisement) => void;
}

/** Scanning, pairing and the set of watch links. */
export class BangleManager {
  private readonly events = new TypedEmitter<BangleEvents>();
  private readonly found = new Map<string, { result: ScanResult; advertisement: BleAdvertisement }>();
  private readonly links = new Map<string, WatchLink>();
  private locators: Locator[] = [];
  private scanUsers = 0;
  private scanning: Promise<void> | undefined;
  private readonly linkOptions: WatchLinkOptions;
  private readonly logger: BangleLogger;

  private constructor(
    private readonly central: BleCentral,
    private readonly clock: Clock,
    options: BangleManagerOptions,
  ) {
    this.logger = options.logger ?? silentLogger;
    this.linkOptions = { ...DEFAULT_LINK_OPTIONS, ...options.link };
  }

  /**
   * Loads the BLE stack and waits for the adapter. Rejects with `BleError` `NO_ADAPTER`
   * ("No Bluetooth adapter …") on a machine without usable Bluetooth.
   */
  static async create(options: BangleManagerOptions): Promise<BangleManager> {
    const central =
      options.central ??
      (await loadNobleCentral({
        clock: options.clock,
        ...(options.bindings ? { bindings: options.bindings } : {}),
      }));
    await central.ready(options.adapterTimeoutMs ?? 5000);
    return new BangleManager(central, options.clock, options);
  }

  /** Subscribes to an event; returns the unsubscribe function. */
  on<K extends keyof BangleEvents>(name: K, listener: (event: BangleEvents[K]) => void): () => void {
    return this.events.on(name, listener);
  }

  private onAdvertisement(advertisement: BleAdvertisement): void {
    const transport = classifyAdvertisement(advertisement);
    if (!transport) return;
    const address = addressOf(advertisement);
    const result: ScanResult = {
      address,
      name: advertisement.name,
      rssi: advertisement.rssi,
      transport,
      lastSeenMs: this.clock.now(),
    };
    this.found.set(address, { result, advertisement });
    this.links.get(address)?.noteRssi(advertisement.rssi);
    this.events.emit('scan', result);
    const waiting = this.locators.filter((locator) => locator.address === address);
    this.locators = this.locators.filter((locator) => locator.address !== address);
    for (const locator of waiting) locator.resolve(advertisement);
  }

  private async acquireScan(): Promise<void> {
    this.scanUsers += 1;
    if (!this.scanning) {
      this.scanning = this.central.startScan((advertisement) => {
        this.onAdvertisement(advertisement);
      });
      this.events.emit('adapter', {
        state: 'scanning',
        message: 'Looking for watches…',
        atMs: this.clock.now(),
      });
    }
    try {
      await this.scanning;
    } catch (error) {
      this.scanning = undefined;
      this.scanUsers -= 1;
      this.emitAdapterReady();
      throw error;
    }
  }

  private async releaseScan(): Promise<void> {
    this.scanUsers -= 1;
    if (this.scanUsers > 0) return;
    this.scanning = undefined;
    await this.central.stopScan();
    this.emitAdapterReady();
  }

  private emitAdapterReady(): void {
    this.events.emit('adapter', { state: 'ready', message: 'Bluetooth ready.', atMs: this.clock.now() });
  }

  /** Scans actively for `durationMs`; returns the watches seen (strongest signal first). */
  async scan(durationMs: number): Promise<ScanResult[]> {
    const startedMs = this.clock.now();
    await this.acquireScan();
    try {
      await sleep(this.clock, durationMs);
    } finally {
      await this.releaseScan();
    }
    return [...this.found.values()]
      .map((entry) => entry.result)
      .filter((result) => result.lastSeenMs >= startedMs)
      .sort((a, b) => b.rssi - a.rssi);
  }

  /** Scans until `address` advertises or `timeoutMs` passes. */
  private async locate(address: string, timeoutMs: number): Promise<BleAdvertisement | undefined> {
    await this.acquireScan();
    try {
      return await new Promise<BleAdvertisement | undefined>((resolve) => {
        const locator: Locator = { address, resolve };
        this.locators.push(locator);
        this.clock.setTimeout(() => {
          this.locators = this.locators.filter((l) => l !== locator);
          resolve(undefined);
        }, timeoutMs);
      });
    } finally {
      await this.releaseScan();
    }
  }

  private linkFor(address: string): WatchLink {
    const existing = this.links.get(address);
    if (existing) return existing;
    const entry = this.found.get(address);
    if (!entry)
      throw new BangleError('NOT_FOUND', `No watch with address ${address} has been seen: scan again.`);
    const link = new WatchLink(
      address,
      entry.advertisement.id,
      entry.result.name ?? address,
      entry.result.transport,
      {
        central: this.central,
        clock: this.clock,
        logger: this.logger,
        events: this.events,
        locate: (target, timeoutMs) => this.locate(target, timeoutMs),
      },
      this.linkOptions,
    );
    link.noteRssi(entry.result.rssi);
    this.links.set(address, link);
    return link;
  }

  /**
   * Connects to a watch found by {@link scan} and shows a 4-digit code on it. Staff check
   * that the watch shows the same code, then call {@link confirmPairing}. On the Heart Rate
   * Service path `code` is null: staff confirm by the name and address instead.
   */
  async beginPairing(
    address: string,
  ): Promise<{ code: string | null; name: string; transport: WatchTransport }> {
    const link = this.linkFor(address);
    if (link.isBound)
      throw new BangleError('NOT_PAIRING', `${link.name} is already paired: unpair it first.`);
    const code = await link.beginPairing();
    return { code, name: link.name, transport: link.transport };
  }

  /** Binds the watch and starts streaming when `matches`; otherwise clears the code and disconnects. */
  async confirmPairing(address: string, matches: boolean): Promise<void> {
    const link = this.links.get(address);
    if (!link) throw new BangleError('NOT_PAIRING', `No pairing in progress for ${address}.`);
    await link.confirmPairing(matches);
  }

  /** Stops the watch's sensors, clears its program and unbinds it from the patient. */
  async unpair(address: string): Promise<void> {
    const link = this.links.get(address);
    if (!link) throw new BangleError('NOT_FOUND', `${address} is not paired.`);
    await link.unpair();
    this.links.delete(address);
  }

  /** Disconnects a watch, keeping it bound (see {@link reconnect}). */
  async disconnect(address: string): Promise<void> {
    const link = this.links.get(address);
    if (!link) throw new BangleError('NOT_FOUND', `${address} is not connected.`);
    await link.disconnect();
  }

  /** Reconnects a bound watch that staff disconnected. */
  reconnect(address: string): void {
    const link = this.links.get(address);
    if (!link?.isBound) throw new BangleError('NOT_FOUND', `${address} is not paired: pair it again.`);
    link.resume();
  }

  /**
   * A watch bound before the gateway restarted: its link is made from the kept name and transport
   * (no scan needed) and reconnects as soon as the watch advertises.
   */
  restore(binding: { address: string; name: string; transport: WatchTransport }): void {
    if (this.links.has(binding.address)) return;
    const link = new WatchLink(
      binding.address,
      binding.address,
      binding.name,
      binding.transport,
      {
        central: this.central,
        clock: this.clock,
        logger: this.logger,
        events: this.events,
        locate: (target, timeoutMs) => this.locate(target, timeoutMs),
      },
      this.linkOptions,
    );
    this.links.set(binding.address, link);
    link.restoreBinding();
  }

  /** New stream options (accelerometer rate, PPG) for every watch, applied to streaming ones now. */
  async setStreamOptions(stream: WatchLinkOptions['stream']): Promise<void> {
    this.linkOptions.stream = stream;
    for (const link of this.links.values()) await link.restartStream();
  }

  /** Counters of a known watch. */
  counters(address: string): WatchCounters | undefined {
    return this.links.get(address)?.getCounters();
  }

  /** Disconnects every watch without unpairing (gateway shutdown). */
  async close(): Promise<void> {
    for (const link of this.links.values()) await link.close();
    this.links.clear();
    if (this.scanUsers > 0) {
      this.scanUsers = 0;
      this.scanning = undefined;
      await this.central.stopScan().catch(() => undefined);
    }
  }
}

export { BleError };
