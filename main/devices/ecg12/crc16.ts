/**
 * CRC-16/CCITT-FALSE as specified by the ECG-12 serial protocol (specs/ecg12-serial-protocol.md §3):
 * polynomial 0x1021, initial value 0xFFFF, no reflection, no final XOR. Check value of ASCII
 * `123456789` is 0x29B1.
 */

/** The CRC's initial register value. */
export const CRC16_INITIAL = 0xffff;

const TABLE = buildTable();

function buildTable(): Uint16Array {
  const table = new Uint16Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte << 8;
    for (let bit = 0; bit < 8; bit++)
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    table[byte] = crc;
  }
  return table;
}

/**
 * CRC-16/CCITT-FALSE of `bytes[start, end)`, continuing from `crc` (default: a fresh register).
 * Allocation-free; used on the decoder's hot path.
 */
export function crc16CcittFalse(
  bytes: Uint8Array,
  start = 0,
  end: number = bytes.length,
  crc: number = CRC16_INITIAL,
): number {
  let register = crc;
  for (let i = start; i < end; i++) {
    register = ((register << 8) & 0xff00) ^ TABLE[((register >>> 8) ^ bytes[i]!) & 0xff]!;
  }
  return register;
}
