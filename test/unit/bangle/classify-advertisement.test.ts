import { describe, expect, it } from 'vitest';
import { classifyAdvertisement } from '../../../main/devices/bangle/bangle-manager.js';
import type { BleAdvertisement } from '../../../main/devices/bangle/ble-central.js';
import { normalizeUuid } from '../../../main/devices/bangle/uuids.js';

const advert = (name: string | null, serviceUuids: string[]): BleAdvertisement => ({
  id: 'e7123456aa01',
  address: 'e7:12:34:56:aa:01',
  name,
  rssi: -60,
  serviceUuids,
  connectable: true,
});

describe('classifyAdvertisement', () => {
  it.each([
    [
      'Bangle.js with NUS in the scan response',
      advert('Bangle.js 1a2b', ['6e400001b5a3f393e0a9e50e24dcca9e']),
      'uart',
    ],
    ['NUS written with dashes and capitals', advert(null, ['6E400001-B5A3-F393-E0A9-E50E24DCCA9E']), 'uart'],
    ['heart-rate-only app', advert('Bangle.js 1a2b', ['180d']), 'hrs'],
    ['HRS as a full 128-bit UUID', advert('HRM strap', ['0000180d-0000-1000-8000-00805f9b34fb']), 'hrs'],
    ['Bangle.js name but the scan response was missed', advert('Bangle.js 77ff', []), 'uart'],
    ['some other device', advert('Thermometer', ['1809']), null],
    ['nameless, no services', advert(null, []), null],
  ] as const)('%s', (_name, advertisement, expected) => {
    expect(classifyAdvertisement(advertisement)).toBe(expected);
  });
});

describe('normalizeUuid', () => {
  it.each([
    ['0x180D', '180d'],
    ['180d', '180d'],
    ['00002A37-0000-1000-8000-00805F9B34FB', '2a37'],
    ['6E400002-B5A3-F393-E0A9-E50E24DCCA9E', '6e400002b5a3f393e0a9e50e24dcca9e'],
  ])('%s -> %s', (input, expected) => {
    expect(normalizeUuid(input)).toBe(expected);
  });
});
