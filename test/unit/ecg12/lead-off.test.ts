import { describe, expect, it } from 'vitest';
import { ElectrodeSchema } from '../../../preload/schemas.js';
import { LEAD_OFF_ELECTRODES, leadOffElectrodes } from '../../../main/devices/ecg12/protocol.js';

describe('lead-off mask (spec §3 SAMPLES)', () => {
  it('names bit 0 … 8 as RA, LA, LL, V1 … V6', () => {
    const byBit = Array.from({ length: 9 }, (_, bit) => leadOffElectrodes(1 << bit));
    expect(byBit).toEqual([['RA'], ['LA'], ['LL'], ['V1'], ['V2'], ['V3'], ['V4'], ['V5'], ['V6']]);
  });

  it('uses the gateway API electrode list itself, so the spellings cannot drift', () => {
    expect(LEAD_OFF_ELECTRODES).toBe(ElectrodeSchema.options);
    expect(leadOffElectrodes(0x1ff)).toEqual(ElectrodeSchema.options);
  });

  it('ignores bits above the ninth electrode and returns none for 0', () => {
    expect(leadOffElectrodes(0)).toEqual([]);
    expect(leadOffElectrodes(0xfe00)).toEqual([]);
    expect(leadOffElectrodes(0xffff)).toHaveLength(9);
  });
});
