/**
 * Test helpers: ECG-12 units behind serialport's MockBinding. Each mock port path can carry a
 * simulated unit ({@link Ecg12Simulator}) or a custom responder; the unit's writes reach it through
 * the mock binding's `write`, and its frames come back with `emitData`. Unplugging makes the
 * binding's read fail the way a real port's read fails on a vanished device.
 */
import { SerialPortMock } from 'serialport';
import type { OpenPort } from '../../../main/devices/ecg12/port.js';
import { tableSource } from '../../../main/devices/ecg12/sim/record-source.js';
import { Ecg12Simulator, type Ecg12SimulatorOptions } from '../../../main/devices/ecg12/sim/simulator.js';
import { countAt } from './frame-helpers.js';

const MockBinding = SerialPortMock.binding;

/** A mock port's info as `list()` reports it. */
export interface MockPortSpec {
  path: string;
  vendorId?: string;
  productId?: string;
  serialNumber: string;
}

/** Creates a mock port whose list entry carries the given USB ids and serial number. */
export async function addMockPort(spec: MockPortSpec): Promise<void> {
  MockBinding.createPort(spec.path, { vendorId: spec.vendorId, productId: spec.productId });
  const info = (await MockBinding.list()).find((p) => p.path === spec.path)!;
  info.serialNumber = spec.serialNumber; // the mock numbers ports itself; a real unit reports its own
}

/** Deterministic counts (see countAt) as a source at any rate. */
export function testSourceOptions(
  serial: string,
  extra: Partial<Ecg12SimulatorOptions> = {},
): Ecg12SimulatorOptions {
  const table = new Int32Array(1000 * 8);
  for (let i = 0; i < 1000; i++) for (let ch = 0; ch < 8; ch++) table[i * 8 + ch] = countAt(i, ch);
  return { sourceForRate: (hz) => tableSource('test', hz, table), serial, ...extra };
}

interface MockBindingPort {
  write(buffer: Buffer): Promise<void>;
  read(buffer: Buffer, offset: number, length: number): Promise<{ bytesRead: number; buffer: Buffer }>;
  emitData(data: Buffer): void;
  pendingRead: ((error?: Error) => void) | null;
  isOpen: boolean;
}

/** A device behind a mock path: it gets command bytes and may send bytes back. */
export interface MockDevice {
  onOpen(send: (bytes: Uint8Array) => void): void;
  onWrite(bytes: Uint8Array): void;
}

/** A simulated ECG-12 unit as a {@link MockDevice}; `sim` exists once the port is open. */
export function simulatedDevice(options: Ecg12SimulatorOptions): MockDevice & { sim?: Ecg12Simulator } {
  const device: MockDevice & { sim?: Ecg12Simulator } = {
    onOpen(send) {
      device.sim = new Ecg12Simulator(options, send);
      device.sim.powerUp(Date.now());
    },
    onWrite(bytes) {
      device.sim?.receive(bytes, Date.now());
    },
  };
  return device;
}

/** Mock ports with devices attached, and an `OpenPort` for `Ecg12Unit`. */
export class MockBench {
  readonly devices = new Map<string, MockDevice>();
  private readonly bindings = new Map<string, MockBindingPort>();

  readonly openPort: OpenPort = (path) => {
    const port = new SerialPortMock({ path, baudRate: 115200, autoOpen: false });
    port.on('open', () => this.attach(path, port.port as unknown as MockBindingPort));
    return port;
  };

  /** Makes the open port at `path` fail as on unplug, and removes every port from the list. */
  unplugAll(path: string): void {
    const binding = this.bindings.get(path);
    MockBinding.reset();
    if (binding === undefined) return;
    binding.read = () => Promise.reject(new Error('Input/output error'));
    binding.pendingRead?.(new Error('Input/output error'));
  }

  private attach(path: string, binding: MockBindingPort): void {
    this.bindings.set(path, binding);
    const device = this.devices.get(path);
    if (device === undefined) return;
    const write = binding.write.bind(binding);
    binding.write = async (buffer) => {
      await write(buffer);
      device.onWrite(new Uint8Array(buffer));
    };
    device.onOpen((bytes) => {
      if (binding.isOpen) binding.emitData(Buffer.from(bytes));
    });
  }
}
