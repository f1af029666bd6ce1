import { describe, expect, it } from 'vitest';
import { HrsParseError, parseHeartRateMeasurement } from '../../../main/devices/bangle/hrs-measurement.js';

describe('parseHeartRateMeasurement (0x2A37)', () => {
  it.each([
    [
      'Bangle.js bootgatthrm: uint8, contact supported+detected',
      [0x06, 72],
      { bpm: 72, sensorContact: true, energyExpendedKj: null, rrIntervalsMs: [] },
    ],
    [
      'uint8, no contact support',
      [0x00, 60],
      { bpm: 60, sensorContact: null, energyExpendedKj: null, rrIntervalsMs: [] },
    ],
    [
      'uint8, contact supported but lost',
      [0x04, 0],
      { bpm: 0, sensorContact: false, energyExpendedKj: null, rrIntervalsMs: [] },
    ],
    [
      'uint16 value',
      [0x01, 0x2c, 0x01],
      { bpm: 300, sensorContact: null, energyExpendedKj: null, rrIntervalsMs: [] },
    ],
    [
      'energy expended',
      [0x08, 80, 0x10, 0x27],
      { bpm: 80, sensorContact: null, energyExpendedKj: 10000, rrIntervalsMs: [] },
    ],
    [
      'one RR interval of 1024/1024 s',
      [0x10, 60, 0x00, 0x04],
      { bpm: 60, sensorContact: null, energyExpendedKj: null, rrIntervalsMs: [1000] },
    ],
    [
      'two RR intervals',
      [0x10, 75, 0x33, 0x03, 0x00, 0x02],
      { bpm: 75, sensorContact: null, energyExpendedKj: null, rrIntervalsMs: [(819 * 1000) / 1024, 500] },
    ],
    [
      'everything: uint16, contact, energy, RR',
      [0x1f, 0x48, 0x00, 0x05, 0x00, 0x00, 0x03],
      { bpm: 72, sensorContact: true, energyExpendedKj: 5, rrIntervalsMs: [750] },
    ],
    [
      'reserved bits ignored',
      [0xe0, 55],
      { bpm: 55, sensorContact: null, energyExpendedKj: null, rrIntervalsMs: [] },
    ],
  ])('%s', (_name, input, expected) => {
    expect(parseHeartRateMeasurement(Uint8Array.from(input))).toEqual(expected);
  });

  it.each([
    ['empty', []],
    ['flags only', [0x06]],
    ['uint16 value cut short', [0x01, 0x48]],
    ['energy cut short', [0x08, 60, 0x01]],
    ['odd RR field', [0x10, 60, 0x00, 0x04, 0x01]],
  ])('rejects a value that is too short: %s', (_name, input) => {
    expect(() => parseHeartRateMeasurement(Uint8Array.from(input))).toThrow(HrsParseError);
  });
});
