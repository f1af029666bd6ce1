import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../main/base/clock.js';
import { EspruinoSandbox, type SandboxHost } from '../../../main/devices/bangle/sim/espruino-sandbox.js';
import { accelMilliG, modelPpgRaw } from '../../../main/devices/bangle/sim/watch-model.js';
import {
  PROTOCOL_VERSION,
  WATCH_PROGRAM,
  codeStatement,
  setTimeStatement,
  startStatement,
} from '../../../main/devices/bangle/watch-program.js';
import { parseWatchLine, type WatchLine } from '../../../main/devices/bangle/watch-lines.js';

const T0 = Date.UTC(2026, 10, 21, 9, 0, 0);

/** The uploaded program running in the simulator's Espruino sandbox; every printed line parsed strictly. */
function runProgram(): {
  clock: ManualClock;
  sandbox: EspruinoSandbox;
  host: SandboxHost;
  lines: WatchLine[];
  bad: string[];
} {
  const clock = new ManualClock(T0);
  const lines: WatchLine[] = [];
  const bad: string[] = [];
  const host: SandboxHost = {
    clock,
    seed: 21,
    clockOffsetMs: 0,
    setTimeErrorMs: 0,
    screen: { title: '', message: '' },
    print: (text) => {
      const parsed = parseWatchLine(text.trim());
      if (parsed.ok) lines.push(parsed.line);
      else bad.push(text);
    },
  };
  const sandbox = new EspruinoSandbox(host);
  sandbox.execute(setTimeStatement(clock.now()));
  for (const statement of WATCH_PROGRAM) sandbox.execute(statement);
  return { clock, sandbox, host, lines, bad };
}

describe('the watch program (run in the Espruino sandbox)', () => {
  it('stays small: it is re-sent on every connection', () => {
    expect(WATCH_PROGRAM.join('\n').length).toBeLessThan(3000);
  });

  it('says hello with the protocol version once loaded', () => {
    const { lines, bad } = runProgram();
    expect(bad).toEqual([]);
    expect(lines).toEqual([{ t: 'hello', n: 0, v: PROTOCOL_VERSION, fw: '2v25', hw: 'BANGLEJS2', ts: T0 }]);
  });

  it('answers start with ok (counter reset), then battery, then a line per second', async () => {
    const { clock, sandbox, lines, bad } = runProgram();
    sandbox.execute(startStatement({ hrm: true, accHz: 12.5, ppg: false }));
    expect(lines.slice(1, 3).map((l) => [l.t, l.n])).toEqual([
      ['ok', 0],
      ['bat', 1],
    ]);
    await clock.advance(3000);
    const counters = lines.slice(1).map((l) => l.n);
    expect(counters).toEqual(counters.map((_, i) => i));
    expect(lines.filter((l) => l.t === 'hrm')).toHaveLength(3);
    expect(lines.filter((l) => l.t === 'acc')).toHaveLength(3);
    expect(bad).toEqual([]);
  });

  it('streams the accelerometer at 25 Hz when asked (ODR raised, poll 40 ms)', async () => {
    const { clock, sandbox, lines } = runProgram();
    sandbox.execute(startStatement({ hrm: false, accHz: 25, ppg: false }));
    await clock.advance(2000);
    const acc = lines.filter((l) => l.t === 'acc');
    expect(acc.length).toBeGreaterThan(0);
    for (const [index, line] of acc.entries()) {
      if (line.t !== 'acc') continue;
      expect(line.hz).toBe(25);
      // The first batch may start mid-second; later ones hold exactly one second of samples.
      if (index > 0) expect(line.xyz.length).toBe(75);
      for (let i = 0; i < line.xyz.length / 3; i += 1) {
        expect(line.xyz.slice(3 * i, 3 * i + 3)).toEqual(accelMilliG(21, line.ts + i * 40));
      }
    }
    expect(lines.some((l) => l.t === 'hrm')).toBe(false);
    expect(sandbox.hrmPowered).toBe(false);
  });

  it('streams raw PPG when asked', async () => {
    const { clock, sandbox, lines } = runProgram();
    sandbox.execute(startStatement({ hrm: true, accHz: 12.5, ppg: true }));
    await clock.advance(2000);
    const ppg = lines.filter((l) => l.t === 'ppg');
    expect(ppg.length).toBeGreaterThan(0);
    for (const line of ppg) {
      if (line.t !== 'ppg') continue;
      expect(line.hz).toBe(25);
      expect(line.raw).toEqual(line.raw.map((_, i) => modelPpgRaw(21, line.ts + i * 40)));
    }
  });

  it('refuses an unsupported accelerometer rate with err and leaves the sensors off', () => {
    const { sandbox, lines } = runProgram();
    sandbox.execute('pw.start({accHz:7})');
    expect(lines.at(-1)).toEqual({ t: 'err', n: 0, call: 'start', msg: 'Error: accHz 7' });
    expect(sandbox.hrmPowered).toBe(false);
    expect(sandbox.listenerCount('accel')).toBe(0);
  });

  it('shows and clears the pairing code, pongs, and stops', async () => {
    const { clock, sandbox, host, lines } = runProgram();
    sandbox.execute(codeStatement('0427'));
    expect(host.screen).toEqual({ title: 'Pairing code', message: '0427' });
    sandbox.execute(codeStatement(null));
    expect(host.screen.message).toBe('PulseWatch');
    clock.setTimeout(() => undefined, 0);
    sandbox.execute('pw.ping()');
    expect(lines.at(-1)).toMatchObject({ t: 'pong', ts: T0 });
    sandbox.execute(startStatement({ hrm: true, accHz: 12.5, ppg: false }));
    sandbox.execute('pw.stop()');
    expect(lines.at(-1)).toMatchObject({ t: 'ok', call: 'stop' });
    const count = lines.length;
    await clock.advance(5000);
    expect(lines.length).toBe(count);
    expect(sandbox.hrmPowered).toBe(false);
  });

  it('rejects a pairing code that is not 4 digits before it reaches the watch', () => {
    expect(() => codeStatement('12345')).toThrow(RangeError);
    expect(() => codeStatement('12"); reset(); ("')).toThrow(RangeError);
  });

  it('does not double its timers when uploaded again over a running copy', async () => {
    const { clock, sandbox, lines } = runProgram();
    sandbox.execute(startStatement({ hrm: true, accHz: 12.5, ppg: false }));
    for (const statement of WATCH_PROGRAM) sandbox.execute(statement);
    sandbox.execute(startStatement({ hrm: true, accHz: 12.5, ppg: false }));
    const before = lines.length;
    await clock.advance(3000);
    expect(lines.slice(before).filter((l) => l.t === 'acc')).toHaveLength(3);
    expect(lines.slice(before).filter((l) => l.t === 'hrm')).toHaveLength(3);
  });
});
