/**
 * A noble bindings object backed by {@link SimulatedWatch}es, for
 * `require('@abandonware/noble/with-bindings')(bindings)`.
 *
 * It implements the methods noble's `lib/noble.js` calls on its bindings and emits the
 * events it listens to, with the argument order of `lib/hci-socket/bindings.js`:
 * `stateChange(state)`, `scanStart(filterDuplicates)`, `scanStop()`,
 * `discover(uuid, address, addressType, connectable, advertisement, rssi, scannable)`,
 * `connect(uuid, error)`, `disconnect(uuid, reason)`, `onMtu(uuid, mtu)`,
 * `servicesDiscover(uuid, serviceUuids)`, `characteristicsDiscover(uuid, serviceUuid, [{uuid, properties}])`,
 * `write(uuid, serviceUuid, characteristicUuid)`, `notify(uuid, serviceUuid, characteristicUuid, state)`,
 * `read(uuid, serviceUuid, characteristicUuid, data, isNotification)`.
 * Like the HCI bindings, a discover is reported with advertising data and scan response merged.
 */
import { EventEmitter } from 'node:events';
import type { Clock, TimerHandle } from '../../../base/clock.js';
import type { SimulatedWatch } from './simulated-watch.js';

/** Options for the simulated adapter. */
export interface SimulatedBindingsOptions {
  /** Adapter state reported on init. Default `poweredOn` (use `poweredOff`/`unsupported` to test "no adapter"). */
  adapterState?: string;
  /** Advertising interval of every watch, ms. Default 500. */
  advertisingIntervalMs?: number;
  /** Time from connect request to connection, ms. Default 30. */
  connectDelayMs?: number;
  /** ATT MTU the central asks for (noble HCI asks 256). */
  desiredMtu?: number;
  /** Round trip of one ATT write-with-response, ms. Default 10. */
  writeRoundTripMs?: number;
}

/** Central-side view of one connection. */
interface SimConnection {
  watch: SimulatedWatch;
  /** Monotonic id so events of an old connection cannot leak into a new one. */
  epoch: number;
}

/** The simulated adapter; add watches with {@link addWatch}. */
export class SimulatedBleBindings extends EventEmitter {
  private readonly watches = new Map<string, SimulatedWatch>();
  private readonly connections = new Map<string, SimConnection>();
  private readonly pendingConnects = new Map<string, TimerHandle>();
  private scanTimer: TimerHandle | undefined;
  private scanning = false;
  private epoch = 0;

  constructor(
    private readonly clock: Clock,
    private readonly options: SimulatedBindingsOptions = {},
  ) {
    super();
  }

  addWatch(watch: SimulatedWatch): void {
    this.watches.set(watch.id, watch);
  }

  /** Whether noble believes it is connected to `watch` (it may not be, after a silent drop). */
  isConnected(watch: SimulatedWatch): boolean {
    return this.connections.has(watch.id);
  }

  private later(fn: () => void, delayMs = 0): void {
    this.clock.setTimeout(fn, delayMs);
  }

  // ---- adapter and scanning ----

  init(): void {
    this.later(() => {
      this.emit('stateChange', this.options.adapterState ?? 'poweredOn');
    });
  }

  setScanParameters(): void {
    this.later(() => this.emit('scanParametersSet'));
  }

  startScanning(_serviceUuids?: string[], allowDuplicates?: boolean): void {
    this.scanning = true;
    this.later(() => {
      this.emit('scanStart', !allowDuplicates);
      this.advertiseTick();
    });
  }

  stopScanning(): void {
    this.scanning = false;
    this.clock.clearTimeout(this.scanTimer);
    this.scanTimer = undefined;
    this.later(() => this.emit('scanStop'));
  }

  private advertiseTick(): void {
    this.clock.clearTimeout(this.scanTimer);
    if (!this.scanning) return;
    for (const watch of this.watches.values()) {
      const report = watch.advertisement(true);
      if (!report) continue;
      const advertisement = {
        localName: report.localName,
        txPowerLevel: undefined,
        manufacturerData: undefined,
        serviceData: [],
        serviceUuids: report.serviceUuids,
        solicitationServiceUuids: [],
        serviceSolicitationUuids: [],
      };
      this.emit('discover', watch.id, watch.address, 'random', true, advertisement, report.rssi, true);
    }
    this.scanTimer = this.clock.setTimeout(() => {
      this.advertiseTick();
    }, this.options.advertisingIntervalMs ?? 500);
  }

  // ---- connections ----

  connect(peripheralUuid: string): void {
    const watch = this.watches.get(peripheralUuid);
    if (!watch) return;
    this.tryConnect(watch);
  }

  /** Like an HCI LE Create Connection: completes when the watch next advertises, until cancelled. */
  private tryConnect(watch: SimulatedWatch): void {
    const timer = this.clock.setTimeout(() => {
      this.pendingConnects.delete(watch.id);
      if (!watch.connectable) {
        this.tryConnect(watch);
        return;
      }
      const connection: SimConnection = { watch, epoch: ++this.epoch };
      this.connections.set(watch.id, connection);
      watch.attach({
        notify: (characteristicUuid, data) => {
          if (this.connections.get(watch.id) !== connection) return;
          const service = watch
            .services()
            .find((s) => s.characteristics.some((c) => c.uuid === characteristicUuid));
          this.emit('read', watch.id, service?.uuid, characteristicUuid, Buffer.from(data), true);
        },
        disconnected: (reason) => {
          if (this.connections.get(watch.id) !== connection) return;
          this.connections.delete(watch.id);
          this.emit('disconnect', watch.id, reason);
        },
      });
      this.emit('connect', watch.id, null);
      this.emit('onMtu', watch.id, Math.min(this.options.desiredMtu ?? 256, watch.maxMtu));
    }, this.options.connectDelayMs ?? 30);
    this.pendingConnects.set(watch.id, timer);
  }

  cancelConnect(peripheralUuid: string): void {
    this.clock.clearTimeout(this.pendingConnects.get(peripheralUuid));
    this.pendingConnects.delete(peripheralUuid);
  }

  /** A host-initiated disconnect always completes locally, even on a dead link. */
  disconnect(peripheralUuid: string): void {
    const connection = this.connections.get(peripheralUuid);
    this.connections.delete(peripheralUuid);
    if (connection?.watch.linkAlive) connection.watch.detach();
    this.later(() => this.emit('disconnect', peripheralUuid, 0x16), 5);
  }

  private live(peripheralUuid: string): SimulatedWatch | undefined {
    const connection = this.connections.get(peripheralUuid);
    return connection?.watch.linkAlive ? connection.watch : undefined;
  }

  // ---- GATT ----

  discoverServices(peripheralUuid: string, uuids: string[] = []): void {
    const watch = this.live(peripheralUuid);
    if (!watch) return;
    const found = watch
      .services()
      .map((s) => s.uuid)
      .filter((uuid) => uuids.length === 0 || uuids.includes(uuid));
    this.later(() => this.emit('servicesDiscover', peripheralUuid, found), 10);
  }

  discoverIncludedServices(peripheralUuid: string, serviceUuid: string): void {
    this.later(() => this.emit('includedServicesDiscover', peripheralUuid, serviceUuid, []), 10);
  }

  discoverCharacteristics(peripheralUuid: string, serviceUuid: string, uuids: string[] = []): void {
    const watch = this.live(peripheralUuid);
    if (!watch) return;
    const service = watch.services().find((s) => s.uuid === serviceUuid);
    const found = (service?.characteristics ?? []).filter(
      (c) => uuids.length === 0 || uuids.includes(c.uuid),
    );
    this.later(() => this.emit('characteristicsDiscover', peripheralUuid, serviceUuid, found), 10);
  }

  write(
    peripheralUuid: string,
    serviceUuid: string,
    characteristicUuid: string,
    data: Buffer,
    withoutResponse: boolean,
  ): void {
    const watch = this.live(peripheralUuid);
    if (!watch) return; // a dead link never answers: the central's timeout must catch it
    watch.write(characteristicUuid, new Uint8Array(data));
    const delayMs = withoutResponse ? 0 : (this.options.writeRoundTripMs ?? 10);
    this.later(() => {
      if (this.live(peripheralUuid)) this.emit('write', peripheralUuid, serviceUuid, characteristicUuid);
    }, delayMs);
  }

  notify(peripheralUuid: string, serviceUuid: string, characteristicUuid: string, notify: boolean): void {
    const watch = this.live(peripheralUuid);
    if (!watch) return;
    watch.subscribe(characteristicUuid, notify);
    this.later(() => this.emit('notify', peripheralUuid, serviceUuid, characteristicUuid, notify), 10);
  }

  updateRssi(peripheralUuid: string): void {
    const watch = this.watches.get(peripheralUuid);
    const rssi = watch?.advertisement(true)?.rssi ?? -90;
    this.later(() => this.emit('rssiUpdate', peripheralUuid, rssi));
  }

  reset(): void {
    this.stopScanning();
  }
}
