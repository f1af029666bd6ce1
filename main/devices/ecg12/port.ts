/** The serial port surface the ECG-12 link needs, satisfied by serialport's `SerialPort` and `SerialPortMock`. */
import { SerialPort } from 'serialport';
import { ECG12_BAUD_RATE } from './protocol.js';
import type { ListPorts } from './discovery.js';

/** An error passed with a `close` event; `disconnected` is true when the device went away. */
export interface PortCloseError extends Error {
  disconnected?: boolean;
}

/** The subset of `SerialPortStream` used here. The port must be created with `autoOpen: false`. */
export interface Ecg12Port {
  readonly isOpen: boolean;
  open(callback: (error: Error | null) => void): void;
  close(callback?: (error: Error | null) => void): void;
  write(data: string, callback: (error: Error | null | undefined) => void): boolean;
  on(event: 'data', listener: (chunk: Buffer) => void): this;
  on(event: 'close', listener: (error?: PortCloseError | null) => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  removeAllListeners(): this;
}

/** Creates an unopened port for a path. */
export type OpenPort = (path: string) => Ecg12Port;

/** Real serial ports through serialport's native bindings, 115200 8N1 (spec §1). */
export const openSerialPort: OpenPort = (path) =>
  new SerialPort({
    path,
    baudRate: ECG12_BAUD_RATE,
    dataBits: 8,
    parity: 'none',
    stopBits: 1,
    autoOpen: false,
  });

/** serialport's port enumeration. */
export const listSerialPorts: ListPorts = () => SerialPort.list();

/** Opens a port, resolving once open. */
export function openPortAsync(port: Ecg12Port): Promise<void> {
  return new Promise((resolve, reject) => {
    port.open((error) => (error ? reject(error) : resolve()));
  });
}

/** Closes a port if open; never rejects. */
export function closePortQuietly(port: Ecg12Port): Promise<void> {
  return new Promise((resolve) => {
    if (!port.isOpen) {
      resolve();
      return;
    }
    port.close(() => resolve());
  });
}
