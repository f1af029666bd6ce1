/**
 * A simulated Bangle.js 2 as seen over the air: advertising (name, NUS UUID in the scan
 * response, RSSI), a Nordic UART service whose console runs the uploaded program in an
 * {@link EspruinoSandbox}, 20-byte notifications paced one per connection interval, and
 * the faults staff meet in a clinic: out of range, silent drops, XOFF, garbage, and
 * "Programmable" off. The `hrs` variant runs a heart-rate-only app (bootgatthrm):
 * service 0x180D, `[0x06, bpm]` notifications when confidence ≥ 50, no UART.
 *
 * Plugged into noble through `SimulatedBleBindings`; all timing through the shared clock.
 */
import type { Clock, TimerHandle } from '../../../base/clock.js';
import {
  HRM_MEASUREMENT_UUID,
  HRS_SERVICE_UUID,
  NUS_RX_UUID,
  NUS_SERVICE_UUID,
  NUS_TX_UUID,
} from '../uuids.js';
import { EspruinoSandbox, type SandboxHost } from './espruino-sandbox.js';
import { HRM_EVENT_PERIOD_MS, hash01, modelHeartRate, nextGridTime } from './watch-model.js';

/** How a simulated watch behaves (defaults: a well-behaved Bangle.js 2). */
export interface SimulatedWatchOptions {
  /** `uart`: NUS + REPL (default). `hrs`: heart-rate-only app, no UART. */
  kind?: 'uart' | 'hrs';
  /** Model seed: determines heart rate, movement, RSSI and garbage. */
  seed: number;
  /** Bluetooth address, e.g. `e7:12:34:56:1a:2b`. */
  address: string;
  /** Advertised name. Default `Bangle.js xxxx` from the address's last 2 bytes. */
  name?: string;
  /** Largest ATT MTU the watch accepts. Default 131 (Bangle.js 2 firmware). */
  maxMtu?: number;
  /** Notification payload, bytes. Default 20 (what Espruino sends; domain-notes §1.3). */
  notifyBytes?: number;
  /** One notification per connection interval, ms. Default 10. */
  connectionIntervalMs?: number;
  /** Console accepts code from BLE ("Programmable" setting). Default true. */
  programmable?: boolean;
  /** Watch clock minus true time before the gateway sets it, ms. Default 3 600 000. */
  initialClockOffsetMs?: number;
  /** Error added to every `setTime`, ms (a clock that does not take). Default 0. */
  setTimeErrorMs?: number;
  /** Send XOFF once per connection after this much input, hold it for `holdMs`. */
  xoff?: { afterInputBytes: number; holdMs: number; headroomBytes?: number };
  /** Print one garbage line every `everyMs` while connected. */
  garbage?: { everyMs: number };
  /** Supervision timeout: how long the watch takes to notice a dead link, ms. Default 4000. */
  supervisionTimeoutMs?: number;
}

/** What the BLE layer gives a watch when a central connects. */
export interface SimLinkSink {
  notify(characteristicUuid: string, data: Uint8Array): void;
  /** The watch ended the link (e.g. out of range): the central sees a disconnect. */
  disconnected(reason: number): void;
}

/** Counters for tests. */
export interface SimulatedWatchStats {
  connections: number;
  inputBytes: number;
  /** Input bytes lost because they arrived during XOFF beyond the headroom. */
  bytesDroppedWhilePaused: number;
  xoffSent: number;
  notificationsSent: number;
  garbageLines: number;
  /** Largest single write received, bytes (checks the central's MTU chunking). */
  largestWriteBytes: number;
}

export interface SimService {
  uuid: string;
  characteristics: { uuid: string; properties: string[] }[];
}

type LinkState = 'none' | 'up' | 'dead';

/** One simulated watch. */
export class SimulatedWatch {
  readonly kind: 'uart' | 'hrs';
  readonly name: string;
  readonly address: string;
  readonly id: string;
  readonly seed: number;
  readonly stats: SimulatedWatchStats = {
    connections: 0,
    inputBytes: 0,
    bytesDroppedWhilePaused: 0,
    xoffSent: 0,
    notificationsSent: 0,
    garbageLines: 0,
    largestWriteBytes: 0,
  };
  private readonly host: SandboxHost;
  readonly sandbox: EspruinoSandbox;
  private inRange = true;
  private link: LinkState = 'none';
  private sink: SimLinkSink | undefined;
  private subscribed = new Set<string>();
  private outbound: number[] = [];
  private urgent: number[][] = [];
  private pumpTimer: TimerHandle | undefined;
  private lineBuffer = '';
  private echoOffLine = false;
  private promptShown = false;
  private paused = false;
  private pausedInputBytes = 0;
  private connectionInputBytes = 0;
  private xoffDone = false;
  private timers: TimerHandle[] = [];
  private garbageCount = 0;
  private hrsTimer: TimerHandle | undefined;
  private linesToLose = 0;

  constructor(
    private readonly clock: Clock,
    private readonly options: SimulatedWatchOptions,
  ) {
    this.kind = options.kind ?? 'uart';
    this.address = options.address.toLowerCase();
    this.id = this.address.replace(/:/g, '');
    this.name = options.name ?? `Bangle.js ${this.id.slice(-4)}`;
    this.seed = options.seed;
    this.host = {
      clock,
      seed: options.seed,
      print: (text) => {
        this.print(text);
      },
      clockOffsetMs: options.initialClockOffsetMs ?? 3_600_000,
      setTimeErrorMs: options.setTimeErrorMs ?? 0,
      screen: { title: '', message: '' },
    };
    this.sandbox = new EspruinoSandbox(this.host);
  }

  /** What the watch's screen shows (`E.showMessage`). */
  get screen(): { title: string; message: string } {
    return this.host.screen;
  }

  /** Watch clock minus true time, ms. */
  get clockOffsetMs(): number {
    return this.host.clockOffsetMs;
  }

  get maxMtu(): number {
    return this.options.maxMtu ?? 131;
  }

  /** Whether a central could connect now (in range, advertising, no live link). */
  get connectable(): boolean {
    return this.inRange && this.link === 'none';
  }

  /** The advertising report a scanning central would assemble, or null when not advertising. */
  advertisement(activeScan: boolean): { localName: string; serviceUuids: string[]; rssi: number } | null {
    if (!this.connectable) return null;
    const rssi = Math.round(-58 - 12 * hash01(this.seed + 99, Math.floor(this.clock.now() / 1000)));
    // Espruino puts NUS in the scan response, which only an active scan requests (BLE UART.md).
    const serviceUuids = this.kind === 'hrs' ? [HRS_SERVICE_UUID] : activeScan ? [NUS_SERVICE_UUID] : [];
    return { localName: this.name, serviceUuids, rssi };
  }

  services(): SimService[] {
    if (this.kind === 'hrs') {
      return [
        {
          uuid: HRS_SERVICE_UUID,
          characteristics: [
            { uuid: HRM_MEASUREMENT_UUID, properties: ['notify'] },
            { uuid: '2a38', properties: ['read'] },
          ],
        },
      ];
    }
    return [
      {
        uuid: NUS_SERVICE_UUID,
        characteristics: [
          { uuid: NUS_TX_UUID, properties: ['write', 'writeWithoutResponse'] },
          { uuid: NUS_RX_UUID, properties: ['notify'] },
        ],
      },
    ];
  }

  // ---- link lifecycle (called by the bindings) ----

  /** A central connected. */
  attach(sink: SimLinkSink): void {
    this.link = 'up';
    this.sink = sink;
    this.stats.connections += 1;
    this.subscribed.clear();
    this.outbound = [];
    this.urgent = [];
    this.paused = false;
    this.xoffDone = false;
    this.connectionInputBytes = 0;
    this.lineBuffer = '';
    if (this.options.garbage)
      this.every(this.options.garbage.everyMs, () => {
        this.printGarbage();
      });
  }

  /** The central disconnected (or the link died): back to advertising. */
  detach(): void {
    this.link = 'none';
    this.sink = undefined;
    this.subscribed.clear();
    this.outbound = [];
    this.urgent = [];
    for (const timer of this.timers) this.clock.clearTimeout(timer);
    this.timers = [];
    this.clock.clearTimeout(this.pumpTimer);
    this.pumpTimer = undefined;
    this.clock.clearTimeout(this.hrsTimer);
    this.hrsTimer = undefined;
  }

  /** Whether writes and notifications get through (false after a silent drop). */
  get linkAlive(): boolean {
    return this.link === 'up';
  }

  subscribe(characteristicUuid: string, on: boolean): void {
    if (on) this.subscribed.add(characteristicUuid);
    else this.subscribed.delete(characteristicUuid);
    if (this.kind === 'hrs' && characteristicUuid === HRM_MEASUREMENT_UUID && on) this.scheduleHrs();
  }

  /** Bytes written to a characteristic by the central. */
  write(characteristicUuid: string, data: Uint8Array): void {
    if (this.link !== 'up' || characteristicUuid !== NUS_TX_UUID) return;
    this.stats.inputBytes += data.length;
    this.stats.largestWriteBytes = Math.max(this.stats.largestWriteBytes, data.length);
    if (this.paused) {
      const headroom = this.options.xoff?.headroomBytes ?? 64;
      const room = Math.max(0, headroom - this.pausedInputBytes);
      this.pausedInputBytes += data.length;
      if (data.length > room) {
        this.stats.bytesDroppedWhilePaused += data.length - room;
        data = data.subarray(0, room);
      }
    }
    this.connectionInputBytes += data.length;
    if (this.options.programmable !== false) this.onConsoleInput(data);
    this.maybeXoff();
  }

  // ---- faults ----

  /** Walks out of range: stops advertising; a live link ends after the supervision timeout. */
  goOutOfRange(): void {
    this.inRange = false;
    if (this.link === 'none') return;
    const sink = this.sink;
    this.link = 'dead';
    this.clock.setTimeout(() => {
      this.detach();
      sink?.disconnected(0x08);
    }, this.options.supervisionTimeoutMs ?? 4000);
  }

  /** Back in range: advertises again. */
  comeBackInRange(): void {
    this.inRange = true;
  }

  /**
   * The link dies without the central hearing about it (noble's missed-disconnect bug):
   * no more notifications or write answers, no disconnect event; the watch itself notices
   * after the supervision timeout and advertises again.
   */
  dropSilently(): void {
    if (this.link !== 'up') return;
    this.link = 'dead';
    this.clock.setTimeout(() => {
      this.detach();
    }, this.options.supervisionTimeoutMs ?? 4000);
  }

  /** Loses the next `count` lines the program prints (radio interference), so `n` jumps. */
  loseLines(count: number): void {
    this.linesToLose += count;
  }

  /** Sends XOFF now and XON after `holdMs`. */
  sendXoff(holdMs: number): void {
    this.paused = true;
    this.pausedInputBytes = 0;
    this.stats.xoffSent += 1;
    this.sendUrgent(0x13);
    this.clock.setTimeout(() => {
      this.paused = false;
      this.sendUrgent(0x11);
    }, holdMs);
  }

  private maybeXoff(): void {
    const xoff = this.options.xoff;
    if (!xoff || this.xoffDone || this.connectionInputBytes < xoff.afterInputBytes) return;
    this.xoffDone = true;
    this.sendXoff(xoff.holdMs);
  }

  // ---- console ----

  private onConsoleInput(data: Uint8Array): void {
    for (const byte of data) {
      if (byte === 0x03) {
        this.lineBuffer = '';
        this.echoOffLine = false;
        this.output('\r\n>');
        this.promptShown = true;
      } else if (byte === 0x10 && this.lineBuffer === '') {
        this.echoOffLine = true;
      } else if (byte === 0x0a) {
        this.endOfLine();
      } else {
        this.lineBuffer += String.fromCharCode(byte);
        if (!this.echoOffLine) this.output(String.fromCharCode(byte));
      }
    }
  }

  private endOfLine(): void {
    const code = this.lineBuffer.replace(/\r/g, '');
    if (!bracketsBalanced(code)) {
      this.lineBuffer += '\n';
      return;
    }
    const echoOff = this.echoOffLine;
    this.lineBuffer = '';
    this.echoOffLine = false;
    const result = this.sandbox.execute(code);
    if (!echoOff) {
      this.output(`\r\n=${JSON.stringify(result) ?? 'undefined'}\r\n>`);
      this.promptShown = true;
    }
  }

  /** Program output (`Bluetooth.println`, errors): erases and redraws the prompt like the firmware. */
  private print(text: string): void {
    if (this.linesToLose > 0 && text.startsWith('{')) {
      this.linesToLose -= 1;
      return;
    }
    this.output(this.promptShown ? `\r\x1b[J${text}>` : text);
  }

  private printGarbage(): void {
    const k = this.garbageCount++;
    const pick = Math.floor(hash01(this.seed + 7, k) * 5);
    const samples = [
      '{"t":"hrm","ts":17',
      '{"t":"hrm","n":3,"ts":1,"bpm":"fast","conf":80}',
      '{t:"hrm",bpm:70}',
      '{"t":"mystery","n":1}',
      Array.from({ length: 12 }, (_, i) =>
        String.fromCharCode(0x20 + Math.floor(hash01(this.seed, k * 16 + i) * 0x5f)),
      ).join(''),
    ];
    this.stats.garbageLines += 1;
    this.print(`${samples[pick] ?? ''}\r\n`);
  }

  // ---- output path ----

  private output(text: string): void {
    if (this.link !== 'up' || !this.subscribed.has(NUS_RX_UUID)) return;
    for (let i = 0; i < text.length; i += 1) this.outbound.push(text.charCodeAt(i) & 0xff);
    this.armPump();
  }

  private sendUrgent(byte: number): void {
    if (this.link !== 'up') return;
    this.urgent.push([byte]);
    this.armPump();
  }

  private armPump(): void {
    if (this.pumpTimer) return;
    this.pumpTimer = this.clock.setTimeout(() => {
      this.pumpTimer = undefined;
      this.pumpOnce();
    }, this.options.connectionIntervalMs ?? 10);
  }

  private pumpOnce(): void {
    if (this.link !== 'up' || !this.sink) return;
    const packet = this.urgent.shift() ?? this.outbound.splice(0, this.options.notifyBytes ?? 20);
    if (packet.length > 0) {
      this.stats.notificationsSent += 1;
      this.sink.notify(this.kind === 'hrs' ? HRM_MEASUREMENT_UUID : NUS_RX_UUID, Uint8Array.from(packet));
    }
    if (this.urgent.length > 0 || this.outbound.length > 0) this.armPump();
  }

  private every(periodMs: number, fn: () => void): void {
    const tick = (): void => {
      const index = this.timers.indexOf(timer);
      timer = this.clock.setTimeout(tick, periodMs);
      if (index >= 0) this.timers[index] = timer;
      fn();
    };
    let timer = this.clock.setTimeout(tick, periodMs);
    this.timers.push(timer);
  }

  // ---- heart-rate-only app ----

  private scheduleHrs(): void {
    const now = this.clock.now();
    this.clock.clearTimeout(this.hrsTimer);
    this.hrsTimer = this.clock.setTimeout(
      () => {
        if (this.link !== 'up' || !this.subscribed.has(HRM_MEASUREMENT_UUID)) return;
        const hr = modelHeartRate(this.seed, this.clock.now());
        // bootgatthrm: notify [flags 0x06 (uint8, contact supported+detected), bpm] when confidence >= 50.
        if (hr.confidence >= 50) {
          this.stats.notificationsSent += 1;
          this.sink?.notify(HRM_MEASUREMENT_UUID, Uint8Array.from([0x06, Math.min(255, hr.bpm)]));
        }
        this.scheduleHrs();
      },
      nextGridTime(now, HRM_EVENT_PERIOD_MS) - now,
    );
  }
}

/** Espruino executes a line only when its brackets balance (strings ignored). */
function bracketsBalanced(code: string): boolean {
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < code.length; i += 1) {
    const c = code[i]!;
    if (quote) {
      if (c === '\\') i += 1;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '{' || c === '(' || c === '[') depth += 1;
    else if (c === '}' || c === ')' || c === ']') depth -= 1;
  }
  return depth <= 0;
}
