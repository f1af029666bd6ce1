/**
 * Finding ECG-12 units among serial ports by USB vendor/product id 1209:EC12 (spec §1; the ids
 * are compared as hex, case-insensitively, with an optional `0x`). Pseudo-terminals never appear
 * in `SerialPort.list()` on Linux: use a manual port path for them.
 */
import { Ecg12Error } from './errors.js';
import { ECG12_USB_PRODUCT_ID, ECG12_USB_VENDOR_ID } from './protocol.js';

/** The fields of serialport's `PortInfo` that discovery uses. */
export interface SerialPortInfo {
  path: string;
  vendorId?: string | undefined;
  productId?: string | undefined;
  serialNumber?: string | undefined;
  manufacturer?: string | undefined;
}

/** Lists serial ports (default `SerialPort.list`). */
export type ListPorts = () => Promise<SerialPortInfo[]>;

function normalizeHexId(id: string | undefined): string | undefined {
  if (id === undefined) return undefined;
  const trimmed = id.trim().toLowerCase();
  const bare = trimmed.startsWith('0x') ? trimmed.slice(2) : trimmed;
  return /^[0-9a-f]+$/.test(bare) ? bare.padStart(4, '0') : undefined;
}

/** Whether a port's USB ids are the ECG-12 unit's (1209:EC12). */
export function isEcg12Port(port: SerialPortInfo): boolean {
  return (
    normalizeHexId(port.vendorId) === ECG12_USB_VENDOR_ID &&
    normalizeHexId(port.productId) === ECG12_USB_PRODUCT_ID
  );
}

/** The ECG-12 units among the listed ports, optionally only the one with USB serial number `serialNumber`. */
export async function findEcg12Ports(listPorts: ListPorts, serialNumber?: string): Promise<SerialPortInfo[]> {
  const ports = await listPorts();
  return ports.filter(
    (p) => isEcg12Port(p) && (serialNumber === undefined || p.serialNumber === serialNumber),
  );
}

/**
 * The one unit to open: the only ECG-12 unit plugged in, or the one with USB serial number
 * `serialNumber`. Throws `Ecg12Error` `no_unit_found` or `several_units` with advice for staff.
 */
export async function chooseEcg12Port(listPorts: ListPorts, serialNumber?: string): Promise<SerialPortInfo> {
  const units = await findEcg12Ports(listPorts, serialNumber);
  const wanted = serialNumber === undefined ? '' : ` with serial number ${serialNumber}`;
  if (units.length === 0) {
    throw new Ecg12Error(
      'no_unit_found',
      `no ECG-12 unit${wanted} found — plug the unit's USB cable into this computer`,
    );
  }
  if (units.length > 1) {
    const serials = units.map((u) => u.serialNumber ?? u.path).join(', ');
    throw new Ecg12Error(
      'several_units',
      `${units.length} ECG-12 units found (${serials}) — choose one by serial number`,
    );
  }
  return units[0]!;
}
