import { describe, expect, it } from 'vitest';
import type { BleCharacteristic } from '../../../main/devices/bangle/ble-central.js';
import { settle } from '../../../main/base/clock.js';
import { UartLink, type ConsoleLine } from '../../../main/devices/bangle/uart-link.js';

/** NUS characteristics whose writes are recorded and whose notifications the test pushes. */
function fakeNus(): {
  tx: BleCharacteristic;
  rx: BleCharacteristic;
  written: string[];
  notify: (text: string | number[]) => void;
} {
  const written: string[] = [];
  let listener: ((data: Uint8Array) => void) | undefined;
  const base = { serviceUuid: 'nus', properties: [] };
  const tx: BleCharacteristic = {
    ...base,
    uuid: 'tx',
    write: (data) => {
      written.push(String.fromCharCode(...data));
      return Promise.resolve();
    },
    subscribe: () => Promise.resolve(),
  };
  const rx: BleCharacteristic = {
    ...base,
    uuid: 'rx',
    write: () => Promise.reject(new Error('not writable')),
    subscribe: (l) => {
      listener = l;
      return Promise.resolve();
    },
  };
  const notify = (data: string | number[]): void => {
    listener?.(
      typeof data === 'string' ? Uint8Array.from(data, (c) => c.charCodeAt(0)) : Uint8Array.from(data),
    );
  };
  return { tx, rx, written, notify };
}

describe('UartLink', () => {
  it('chunks writes to MTU − 3 bytes, in order', async () => {
    const nus = fakeNus();
    const link = new UartLink(nus.tx, nus.rx, 23, () => undefined);
    await link.open();
    const text = `\x10${'x'.repeat(45)}\n`;
    await link.write(text);
    expect(nus.written.map((c) => c.length)).toEqual([20, 20, 7]);
    expect(nus.written.join('')).toBe(text);
    expect(link.counters).toMatchObject({ writes: 3, bytesWritten: 47 });
  });

  it('uses the negotiated MTU (Bangle.js 2: 131 → 128-byte writes)', async () => {
    const nus = fakeNus();
    const link = new UartLink(nus.tx, nus.rx, 131, () => undefined);
    await link.write('y'.repeat(300));
    expect(nus.written.map((c) => c.length)).toEqual([128, 128, 44]);
  });

  it('stops writing on XOFF until XON', async () => {
    const nus = fakeNus();
    const link = new UartLink(nus.tx, nus.rx, 23, () => undefined);
    await link.open();
    nus.notify([0x13]);
    expect(link.paused).toBe(true);
    let done = false;
    const writing = link.write('a'.repeat(50)).then(() => (done = true));
    await settle();
    expect(nus.written).toEqual([]);
    expect(done).toBe(false);
    nus.notify([0x11]);
    await writing;
    expect(nus.written.join('')).toBe('a'.repeat(50));
    expect(link.counters.xoffCount).toBe(1);
  });

  it('pauses between chunks when XOFF arrives mid-write', async () => {
    const nus = fakeNus();
    const link = new UartLink(nus.tx, nus.rx, 23, () => undefined);
    await link.open();
    const originalWrite = nus.tx.write.bind(nus.tx);
    let first = true;
    (nus.tx as { write: BleCharacteristic['write'] }).write = async (data, withoutResponse) => {
      await originalWrite(data, withoutResponse);
      if (first) nus.notify([0x13]);
      first = false;
    };
    const writing = link.write('b'.repeat(60));
    await settle();
    expect(nus.written).toHaveLength(1);
    nus.notify([0x11]);
    await writing;
    expect(nus.written).toHaveLength(3);
  });

  it('delivers reassembled, noise-stripped lines', async () => {
    const nus = fakeNus();
    const lines: ConsoleLine[] = [];
    const link = new UartLink(nus.tx, nus.rx, 23, (line) => lines.push(line));
    await link.open();
    for (const piece of ['\r\n>', '\r\x1b[J{"t":"po', 'ng","n":1,"ts":5}\r\n>']) nus.notify(piece);
    expect(lines).toEqual([
      { raw: '', cleaned: '' },
      { raw: '>\x1b[J{"t":"pong","n":1,"ts":5}', cleaned: '{"t":"pong","n":1,"ts":5}' },
    ]);
  });

  it('fails queued writes once the connection is closed', async () => {
    const nus = fakeNus();
    const link = new UartLink(nus.tx, nus.rx, 23, () => undefined);
    await link.open();
    nus.notify([0x13]);
    const writing = link.write('zzz');
    link.close(new Error('watch disconnected'));
    await expect(writing).rejects.toThrow('watch disconnected');
    await expect(link.write('more')).rejects.toThrow('watch disconnected');
  });
});
