import { SerialPortMock } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { findEcg12Ports, isEcg12Port } from '../../../main/devices/ecg12/discovery.js';
import { Ecg12Error } from '../../../main/devices/ecg12/errors.js';
import { Ecg12Unit } from '../../../main/devices/ecg12/unit.js';
import { addMockPort, MockBench, simulatedDevice, testSourceOptions } from './mock-unit.js';

const listMockPorts = () => SerialPortMock.list();

afterEach(() => SerialPortMock.binding.reset());

describe('ECG-12 discovery', () => {
  it.each([
    ['1209', 'EC12', true],
    ['1209', 'ec12', true],
    ['0x1209', '0xEC12', true],
    [' 1209 ', 'Ec12', true],
    ['1209', 'ec13', false],
    ['2341', 'ec12', false],
    [undefined, undefined, false],
    ['12zz', 'ec12', false],
  ])('vendor %s product %s -> %s', (vendorId, productId, expected) => {
    expect(isEcg12Port({ path: '/dev/x', vendorId, productId })).toBe(expected);
  });

  it('finds the units among the mock binding ports, optionally by serial number', async () => {
    await addMockPort({ path: '/dev/ttyACM0', vendorId: '1209', productId: 'EC12', serialNumber: 'ECG-1' });
    await addMockPort({ path: '/dev/ttyUSB0', vendorId: '0403', productId: '6001', serialNumber: 'FTDI' });
    await addMockPort({ path: '/dev/ttyACM1', vendorId: '1209', productId: 'ec12', serialNumber: 'ECG-2' });
    expect((await findEcg12Ports(listMockPorts)).map((p) => p.path)).toEqual([
      '/dev/ttyACM0',
      '/dev/ttyACM1',
    ]);
    expect((await findEcg12Ports(listMockPorts, 'ECG-2')).map((p) => p.path)).toEqual(['/dev/ttyACM1']);
  });

  it('says plainly when no unit is plugged in', async () => {
    await addMockPort({ path: '/dev/ttyUSB0', vendorId: '0403', productId: '6001', serialNumber: 'FTDI' });
    const unit = new Ecg12Unit({ listPorts: listMockPorts, openPort: new MockBench().openPort });
    const error = await unit.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Ecg12Error);
    expect((error as Ecg12Error).code).toBe('no_unit_found');
    expect(unit.status.state).toBe('error');
    expect(unit.status.message).toMatch(/plug the unit's USB cable/);
  });

  it('asks staff to choose when several units are plugged in, and opens the chosen one', async () => {
    const bench = new MockBench();
    await addMockPort({ path: '/dev/ttyACM0', vendorId: '1209', productId: 'EC12', serialNumber: 'ECG-1' });
    await addMockPort({ path: '/dev/ttyACM1', vendorId: '1209', productId: 'EC12', serialNumber: 'ECG-2' });
    bench.devices.set('/dev/ttyACM1', simulatedDevice(testSourceOptions('ECG-2')));
    const error = await new Ecg12Unit({ listPorts: listMockPorts, openPort: bench.openPort })
      .start()
      .catch((e: unknown) => e);
    expect((error as Ecg12Error).code).toBe('several_units');
    expect((error as Ecg12Error).message).toContain('ECG-1, ECG-2');

    const unit = new Ecg12Unit({ listPorts: listMockPorts, openPort: bench.openPort, serialNumber: 'ECG-2' });
    await unit.start();
    expect(unit.info?.serial).toBe('ECG-2');
    expect(unit.status.state).toBe('streaming');
    await unit.stop();
  });
});
