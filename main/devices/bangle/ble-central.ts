/**
 * The project's own small BLE central interface. The watch link talks only to this;
 * `noble-central.ts` implements it over `@abandonware/noble` (real adapter, or the
 * simulated watch injected as a noble binding). A D-Bus implementation could be added
 * later without touching the link (domain-notes §0.2).
 *
 * Rules every implementation obeys:
 * - UUIDs are in noble's form (lowercase hex, no dashes; see `uuids.ts`).
 * - Every promise settles: operations that the stack might never answer time out.
 * - After `onDisconnect` listeners run, every pending operation on that connection rejects
 *   and further writes reject with {@link BleError} code `DISCONNECTED`.
 */

/** Adapter state as noble reports it. */
export type BleAdapterState =
  'unknown' | 'resetting' | 'unsupported' | 'unauthorized' | 'poweredOff' | 'poweredOn';

/** One advertising report (advertising data merged with the scan response). */
export interface BleAdvertisement {
  /** Stack's peripheral id (noble: address without colons, lowercase). */
  id: string;
  /** Bluetooth address `aa:bb:cc:dd:ee:ff`, or `''` when the stack hides it (macOS). */
  address: string;
  /** Complete or shortened local name, `null` when absent. */
  name: string | null;
  /** Received signal strength, dBm. */
  rssi: number;
  /** Service UUIDs advertised (noble form). */
  serviceUuids: string[];
  connectable: boolean;
}

/** A characteristic on a connected peripheral. */
export interface BleCharacteristic {
  readonly serviceUuid: string;
  readonly uuid: string;
  /** GATT properties, e.g. `write`, `writeWithoutResponse`, `notify`. */
  readonly properties: readonly string[];
  /** Writes one payload (at most MTU − 3 bytes). Resolves when the stack accepted it. */
  write(data: Uint8Array, withoutResponse: boolean): Promise<void>;
  /** Subscribes to notifications; `listener` gets each payload. */
  subscribe(listener: (data: Uint8Array) => void): Promise<void>;
}

/** An open connection. */
export interface BleConnection {
  readonly id: string;
  /** Negotiated ATT MTU, bytes (23 until an exchange raised it). Payloads are MTU − 3. */
  readonly mtu: number;
  /** Discovers the given services (noble form) and all their characteristics. */
  discover(serviceUuids: string[]): Promise<BleCharacteristic[]>;
  /** Registers a listener for the link going down (reason as the stack gives it). */
  onDisconnect(listener: (reason: string) => void): void;
  /** Asks the stack to disconnect; resolves when it says so or after a timeout. Never rejects. */
  disconnect(): Promise<void>;
  /** Whether the stack still considers the link up. */
  readonly connected: boolean;
}

/** A BLE central (one adapter). */
export interface BleCentral {
  /** Current adapter state. */
  readonly state: BleAdapterState;
  /** Resolves when the adapter is `poweredOn`; rejects with {@link BleError} `NO_ADAPTER` otherwise. */
  ready(timeoutMs: number): Promise<void>;
  /** Starts an active scan reporting duplicates (for fresh RSSI). Replaces any previous listener. */
  startScan(onAdvertisement: (advertisement: BleAdvertisement) => void): Promise<void>;
  stopScan(): Promise<void>;
  /** Connects to a peripheral seen in a scan. Rejects with {@link BleError} `CONNECT_FAILED`. */
  connect(id: string, timeoutMs: number): Promise<BleConnection>;
}

/** Stable codes for {@link BleError}. */
export type BleErrorCode = 'NO_ADAPTER' | 'CONNECT_FAILED' | 'DISCONNECTED' | 'GATT' | 'NOT_FOUND';

/** A BLE-level failure with a stable code and a staff-readable message. */
export class BleError extends Error {
  constructor(
    readonly code: BleErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'BleError';
  }
}

/** The message staff see when there is no usable adapter. */
export function noAdapterMessage(state: string): string {
  return `No Bluetooth adapter (adapter state: ${state}). Plug in a Bluetooth adapter or switch Bluetooth on, then try again.`;
}
