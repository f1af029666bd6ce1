/**
 * GATT identifiers used by the Bangle.js link, in noble's form: lowercase hex, no dashes
 * (16-bit SIG UUIDs as 4 digits).
 *
 * Sources: Nordic UART Service as used by Espruino (`espruino/EspruinoWebTools:uart.js`);
 * Heart Rate Service / Heart Rate Measurement from the Bluetooth SIG assigned numbers
 * (see `../shared/research/domain-notes.md` §1.1 and §1.6).
 */

/** Nordic UART Service (advertised in the scan response by Espruino devices). */
export const NUS_SERVICE_UUID = '6e400001b5a3f393e0a9e50e24dcca9e';
/** NUS TX: the central writes here (REPL input). */
export const NUS_TX_UUID = '6e400002b5a3f393e0a9e50e24dcca9e';
/** NUS RX: the watch notifies here (console output). */
export const NUS_RX_UUID = '6e400003b5a3f393e0a9e50e24dcca9e';
/** Heart Rate Service. */
export const HRS_SERVICE_UUID = '180d';
/** Heart Rate Measurement characteristic (notify). */
export const HRM_MEASUREMENT_UUID = '2a37';

/** Normalises any UUID spelling ("6E400001-B5A3-…", "0x180D", "180d") to noble's form. */
export function normalizeUuid(uuid: string): string {
  const hex = uuid.toLowerCase().replace(/^0x/, '').replace(/-/g, '');
  // A 128-bit UUID on the SIG base is reported by noble in its short form.
  const sigBase = /^0000([0-9a-f]{4})00001000800000805f9b34fb$/.exec(hex);
  return sigBase?.[1] ?? hex;
}

/** Default ATT MTU before any exchange: 23 bytes, so 20-byte payloads. */
export const DEFAULT_ATT_MTU = 23;
/** ATT header bytes taken from every write/notification payload (opcode + handle). */
export const ATT_HEADER_BYTES = 3;
