import { describe, expect, it } from 'vitest';
import { crc16CcittFalse } from '../../../main/devices/ecg12/crc16.js';

describe('CRC-16/CCITT-FALSE', () => {
  it('gives the check value 0x29B1 for ASCII 123456789', () => {
    expect(crc16CcittFalse(new TextEncoder().encode('123456789'))).toBe(0x29b1);
  });

  it('is 0xFFFF (the initial value) for no bytes', () => {
    expect(crc16CcittFalse(new Uint8Array(0))).toBe(0xffff);
  });

  it('covers only the given range and can be continued across pieces', () => {
    const bytes = new TextEncoder().encode('xx123456789yy');
    expect(crc16CcittFalse(bytes, 2, 11)).toBe(0x29b1);
    const first = crc16CcittFalse(bytes, 2, 6);
    expect(crc16CcittFalse(bytes, 6, 11, first)).toBe(0x29b1);
  });

  it('changes when any single bit of the input flips', () => {
    const bytes = new TextEncoder().encode('123456789');
    for (let i = 0; i < bytes.length * 8; i++) {
      const copy = bytes.slice();
      copy[i >> 3]! ^= 1 << (i & 7);
      expect(crc16CcittFalse(copy)).not.toBe(0x29b1);
    }
  });
});
