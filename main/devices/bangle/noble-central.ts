/**
 * {@link BleCentral} over `@abandonware/noble`.
 *
 * noble is loaded lazily with a dynamic import: its default entry opens a raw HCI socket
 * when imported and throws on a machine without Bluetooth (EAFNOSUPPORT here), so nothing
 * imports it at module top level (domain-notes §2.4). Tests and the demo inject the
 * simulated watch through `@abandonware/noble/with-bindings` instead, which builds a Noble
 * instance around any object implementing noble's binding events and methods.
 */
import { EventEmitter } from 'node:events';
import {
  BleError,
  noAdapterMessage,
  type BleAdapterState,
  type BleAdvertisement,
  type BleCentral,
  type BleCharacteristic,
  type BleConnection,
} from './ble-central.js';
import { withTimeout, type Clock } from '../../base/clock.js';
import { DEFAULT_ATT_MTU } from './uuids.js';

type Callback<T = void> = (error: unknown, value?: T) => void;

/** The part of noble's Characteristic this module uses. */
interface NobleCharacteristicLike extends EventEmitter {
  uuid: string;
  properties: string[];
  write(data: Buffer, withoutResponse: boolean, callback: Callback): void;
  subscribe(callback: Callback): void;
}
/** The part of noble's Service this module uses. */
interface NobleServiceLike {
  uuid: string;
  discoverCharacteristics(uuids: string[], callback: Callback<NobleCharacteristicLike[]>): void;
}
/** The part of noble's Peripheral this module uses. */
interface NoblePeripheralLike extends EventEmitter {
  id: string;
  address: string;
  connectable: boolean;
  rssi: number;
  mtu: number | null;
  state: string;
  advertisement: { localName?: string; serviceUuids?: string[] };
  connect(callback: Callback): void;
  cancelConnect?(): void;
  disconnect(callback: Callback): void;
  discoverServices(uuids: string[], callback: Callback<NobleServiceLike[]>): void;
}
/** The part of noble's Noble object this module uses. */
interface NobleLike extends EventEmitter {
  readonly state: string;
  startScanning(uuids: string[], allowDuplicates: boolean, callback: Callback): void;
  stopScanning(callback?: () => void): void;
}

/** Options for {@link loadNobleCentral}. */
export interface NobleCentralOptions {
  clock: Clock;
  /**
   * A noble bindings object (EventEmitter implementing noble's binding contract, e.g. the
   * simulated watch). When absent, noble's platform bindings (HCI on Linux) are used.
   */
  bindings?: EventEmitter;
  /** Timeout for GATT operations (discovery, writes, subscribe), ms. Default 10000. */
  gattTimeoutMs?: number;
}

async function importDefault(specifier: string): Promise<unknown> {
  const mod: unknown = await import(specifier);
  if (typeof mod === 'object' && mod !== null && 'default' in mod) return mod.default;
  return mod;
}

function isNobleLike(value: unknown): value is NobleLike {
  return value instanceof EventEmitter && typeof (value as Partial<NobleLike>).startScanning === 'function';
}

/**
 * Loads noble and wraps it. Rejects with {@link BleError} `NO_ADAPTER` when noble cannot
 * open the platform's Bluetooth (no adapter, no kernel support, no permission).
 */
export async function loadNobleCentral(options: NobleCentralOptions): Promise<NobleCentral> {
  let noble: unknown;
  try {
    if (options.bindings) {
      const factory = await importDefault('@abandonware/noble/with-bindings.js');
      if (typeof factory !== 'function') throw new Error('@abandonware/noble/with-bindings is not a factory');
      noble = (factory as (bindings: EventEmitter) => unknown)(options.bindings);
    } else {
      noble = await importDefault('@abandonware/noble');
    }
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new BleError('NO_ADAPTER', `${noAdapterMessage('unavailable')} (${detail})`);
  }
  if (!isNobleLike(noble)) throw new BleError('NO_ADAPTER', noAdapterMessage('noble did not load'));
  return new NobleCentral(noble, options.clock, options.gattTimeoutMs ?? 10_000);
}

/** Text for a non-Error failure value (noble passes strings). */
function describe(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function promisify<T>(start: (callback: Callback<T>) => void): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    start((error, value) => {
      if (error) reject(error instanceof Error ? error : new BleError('GATT', describe(error)));
      else resolve(value);
    });
  });
}

/** {@link BleCentral} over a Noble instance. */
export class NobleCentral implements BleCentral {
  private readonly peripherals = new Map<string, NoblePeripheralLike>();
  private scanListener: ((advertisement: BleAdvertisement) => void) | undefined;

  constructor(
    private readonly noble: NobleLike,
    private readonly clock: Clock,
    private readonly gattTimeoutMs: number,
  ) {
    noble.on('discover', (peripheral: NoblePeripheralLike) => {
      this.onDiscover(peripheral);
    });
  }

  get state(): BleAdapterState {
    return this.noble.state as BleAdapterState;
  }

  async ready(timeoutMs: number): Promise<void> {
    if (this.noble.state === 'poweredOn') return;
    const poweredOn = new Promise<void>((resolve) => {
      const onState = (state: string): void => {
        if (state !== 'poweredOn') return;
        this.noble.removeListener('stateChange', onState);
        resolve();
      };
      this.noble.on('stateChange', onState);
    });
    try {
      await withTimeout(this.clock, poweredOn, timeoutMs, 'Bluetooth adapter');
    } catch {
      throw new BleError('NO_ADAPTER', noAdapterMessage(this.noble.state));
    }
  }

  private onDiscover(peripheral: NoblePeripheralLike): void {
    this.peripherals.set(peripheral.id, peripheral);
    this.scanListener?.({
      id: peripheral.id,
      address: peripheral.address,
      name: peripheral.advertisement.localName ?? null,
      rssi: peripheral.rssi,
      serviceUuids: [...(peripheral.advertisement.serviceUuids ?? [])],
      connectable: peripheral.connectable,
    });
  }

  async startScan(onAdvertisement: (advertisement: BleAdvertisement) => void): Promise<void> {
    this.scanListener = onAdvertisement;
    if (this.noble.state !== 'poweredOn')
      throw new BleError('NO_ADAPTER', noAdapterMessage(this.noble.state));
    await withTimeout(
      this.clock,
      promisify((callback) => {
        this.noble.startScanning([], true, callback);
      }),
      this.gattTimeoutMs,
      'start scanning',
    );
  }

  async stopScan(): Promise<void> {
    this.scanListener = undefined;
    await withTimeout(
      this.clock,
      new Promise<void>((resolve) => {
        this.noble.stopScanning(resolve);
      }),
      this.gattTimeoutMs,
      'stop scanning',
    ).catch(() => undefined);
  }

  async connect(id: string, timeoutMs: number): Promise<BleConnection> {
    const peripheral = this.peripherals.get(id);
    if (!peripheral) throw new BleError('NOT_FOUND', `device ${id} has not been seen in a scan`);
    try {
      await withTimeout(
        this.clock,
        promisify((callback) => {
          peripheral.connect(callback);
        }),
        timeoutMs,
        `connect to ${id}`,
      );
    } catch (error) {
      peripheral.cancelConnect?.();
      const detail = error instanceof Error ? error.message : String(error);
      throw new BleError('CONNECT_FAILED', `could not connect to ${id}: ${detail}`);
    }
    return new NobleConnection(peripheral, this.clock, this.gattTimeoutMs);
  }
}

/** One connection to a noble peripheral. */
class NobleConnection implements BleConnection {
  private up = true;
  private readonly listeners: ((reason: string) => void)[] = [];
  private readonly onPeripheralDisconnect = (reason: unknown): void => {
    this.markDown(typeof reason === 'number' ? `HCI reason 0x${reason.toString(16)}` : String(reason));
  };

  constructor(
    private readonly peripheral: NoblePeripheralLike,
    private readonly clock: Clock,
    private readonly gattTimeoutMs: number,
  ) {
    peripheral.once('disconnect', this.onPeripheralDisconnect);
  }

  get id(): string {
    return this.peripheral.id;
  }

  get mtu(): number {
    return this.peripheral.mtu ?? DEFAULT_ATT_MTU;
  }

  get connected(): boolean {
    return this.up;
  }

  private markDown(reason: string): void {
    if (!this.up) return;
    this.up = false;
    this.peripheral.removeListener('disconnect', this.onPeripheralDisconnect);
    for (const listener of this.listeners) listener(reason);
  }

  onDisconnect(listener: (reason: string) => void): void {
    this.listeners.push(listener);
  }

  private guard<T>(promise: Promise<T>, what: string): Promise<T> {
    if (!this.up) return Promise.reject(new BleError('DISCONNECTED', `${what}: not connected`));
    return withTimeout(this.clock, promise, this.gattTimeoutMs, what);
  }

  async discover(serviceUuids: string[]): Promise<BleCharacteristic[]> {
    const services =
      (await this.guard(
        promisify<NobleServiceLike[]>((callback) => {
          this.peripheral.discoverServices(serviceUuids, callback);
        }),
        'discover services',
      )) ?? [];
    const found: BleCharacteristic[] = [];
    for (const service of services) {
      const characteristics =
        (await this.guard(
          promisify<NobleCharacteristicLike[]>((callback) => {
            service.discoverCharacteristics([], callback);
          }),
          'discover characteristics',
        )) ?? [];
      for (const characteristic of characteristics) found.push(this.wrap(service.uuid, characteristic));
    }
    return found;
  }

  private wrap(serviceUuid: string, characteristic: NobleCharacteristicLike): BleCharacteristic {
    return {
      serviceUuid,
      uuid: characteristic.uuid,
      properties: [...characteristic.properties],
      write: async (data, withoutResponse) => {
        await this.guard(
          promisify((callback) => {
            characteristic.write(Buffer.from(data), withoutResponse, callback);
          }),
          `write ${characteristic.uuid}`,
        );
      },
      subscribe: async (listener) => {
        characteristic.on('data', (data: Buffer, isNotification: boolean | undefined) => {
          if (isNotification !== false && this.up) listener(new Uint8Array(data));
        });
        await this.guard(
          promisify((callback) => {
            characteristic.subscribe(callback);
          }),
          `subscribe ${characteristic.uuid}`,
        );
      },
    };
  }

  async disconnect(): Promise<void> {
    if (!this.up) return;
    const done = new Promise<void>((resolve) => {
      this.peripheral.disconnect(() => {
        resolve();
      });
    });
    // A stack that never reports the disconnect must not hang the caller (domain-notes §2.3).
    await withTimeout(this.clock, done, 2000, 'disconnect').catch(() => undefined);
    this.markDown('disconnected by the gateway');
  }
}
