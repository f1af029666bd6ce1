/**
 * One connection to a watch running our program over NUS: the connect sequence
 * (break, clock, program upload, hello), calls with per-call timeouts, clock-offset checks,
 * strict parsing of every line and the line counter (`bangle-stream.md`).
 */
import type { BleConnection } from './ble-central.js';
import { sleep, withTimeout, TimeoutError, type Clock } from '../../base/clock.js';
import { BangleError, programmableOffMessage } from './errors.js';
import type { BangleLogger } from './logger.js';
import { UartLink, type ConsoleLine } from './uart-link.js';
import { NUS_RX_UUID, NUS_SERVICE_UUID, NUS_TX_UUID } from './uuids.js';
import {
  BREAK,
  PROTOCOL_VERSION,
  WATCH_PROGRAM,
  codeStatement,
  replLine,
  setTimeStatement,
  startStatement,
  type StreamOptions,
} from './watch-program.js';
import {
  parseWatchLine,
  type ErrLine,
  type HelloLine,
  type OkLine,
  type PongLine,
  type WatchLine,
} from './watch-lines.js';

/** Timeouts of the UART session, ms (spec: about 3 s per call, 10 s for the upload). */
export interface UartSessionTimeouts {
  callMs: number;
  uploadMs: number;
  /** Pause after the `\x03` break before sending anything else (spec: ~200 ms). */
  breakSettleMs: number;
}

export const DEFAULT_UART_TIMEOUTS: UartSessionTimeouts = {
  callMs: 3000,
  uploadMs: 10_000,
  breakSettleMs: 200,
};

/** What the session reports for each valid line. */
export interface SessionLine {
  line: WatchLine;
  /** Gateway time the line was complete, ms. */
  receivedMs: number;
  /** Lines missing before this one according to `n` (0 normally). */
  lost: number;
}

/** Result of one `pw.ping()` round trip. */
export interface ClockCheck {
  /** Watch clock minus gateway clock, ms (pong.ts − midpoint of the round trip). */
  offsetMs: number;
  /** Round trip, ms. */
  rttMs: number;
  /** Gateway time of the check, ms. */
  atMs: number;
}

export interface UartSessionHandlers {
  onLine(event: SessionLine): void;
  onBadLine(line: ConsoleLine, reason: string): void;
}

interface Waiter {
  match(line: WatchLine): boolean;
  resolve(line: WatchLine): void;
}

/** One UART session; create per connection, after the connection is up. */
export class UartSession {
  private link: UartLink | undefined;
  private waiters: Waiter[] = [];
  private lastN: number | undefined;
  hello: HelloLine | undefined;

  constructor(
    private readonly connection: BleConnection,
    private readonly clock: Clock,
    private readonly watchName: string,
    private readonly handlers: UartSessionHandlers,
    private readonly logger: BangleLogger,
    private readonly timeouts: UartSessionTimeouts = DEFAULT_UART_TIMEOUTS,
  ) {}

  /** Link counters (bytes, writes, XOFF), once open. */
  get linkCounters(): UartLink['counters'] | undefined {
    return this.link?.counters;
  }

  /** Finds the NUS characteristics and subscribes. Throws `NO_UART` when the watch has none. */
  async open(): Promise<void> {
    const characteristics = await this.connection.discover([NUS_SERVICE_UUID]);
    const tx = characteristics.find((c) => c.uuid === NUS_TX_UUID);
    const rx = characteristics.find((c) => c.uuid === NUS_RX_UUID);
    if (!tx || !rx) {
      throw new BangleError(
        'NO_UART',
        `${this.watchName} has no Nordic UART service (is BLE UART disabled?)`,
      );
    }
    this.link = new UartLink(tx, rx, this.connection.mtu, (line) => {
      this.onConsoleLine(line);
    });
    await this.link.open();
    this.connection.onDisconnect(() => {
      this.link?.close(new BangleError('LINK_LOST', `${this.watchName} disconnected`));
    });
  }

  private requireLink(): UartLink {
    if (!this.link) throw new Error('UartSession.open() first');
    return this.link;
  }

  private onConsoleLine(line: ConsoleLine): void {
    if (line.cleaned.length === 0) return;
    const parsed = parseWatchLine(line.cleaned);
    if (!parsed.ok) {
      this.handlers.onBadLine(line, parsed.reason);
      return;
    }
    const { n } = parsed.line;
    let lost = 0;
    if (this.lastN !== undefined && n > this.lastN + 1) lost = n - this.lastN - 1;
    else if (this.lastN !== undefined && n <= this.lastN && n !== 0) {
      this.logger.warn({ watch: this.watchName, n, lastN: this.lastN }, 'line counter went backwards');
    }
    this.lastN = n;
    for (const waiter of this.waiters) {
      if (waiter.match(parsed.line)) {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        waiter.resolve(parsed.line);
        break;
      }
    }
    this.handlers.onLine({ line: parsed.line, receivedMs: this.clock.now(), lost });
  }

  private expect<T extends WatchLine>(
    match: (line: WatchLine) => line is T,
  ): { promise: Promise<T>; cancel: () => void } {
    let waiter: Waiter | undefined;
    const promise = new Promise<T>((resolve) => {
      waiter = { match, resolve: (line) => resolve(line as T) };
      this.waiters.push(waiter);
    });
    return {
      promise,
      cancel: () => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
      },
    };
  }

  /** Registers for the first line matching `match`, runs `send`, waits up to `timeoutMs`. */
  private async awaitLine<T extends WatchLine>(
    send: () => Promise<void>,
    match: (line: WatchLine) => line is T,
    timeoutMs: number,
    what: string,
  ): Promise<T> {
    const expected = this.expect(match);
    try {
      await send();
      return await withTimeout(this.clock, expected.promise, timeoutMs, what);
    } finally {
      expected.cancel();
    }
  }

  /**
   * The connect sequence: `\x03`, settle, set the clock, upload `pw`, wait for `hello`.
   * Throws `PROGRAMMABLE_OFF` when nothing answers and `VERSION_MISMATCH` on a wrong `v`.
   */
  async install(): Promise<HelloLine> {
    const link = this.requireLink();
    await link.write(BREAK);
    await sleep(this.clock, this.timeouts.breakSettleMs);
    let hello: HelloLine;
    try {
      hello = await this.awaitLine(
        async () => {
          await link.write(replLine(setTimeStatement(this.clock.now())));
          for (const statement of WATCH_PROGRAM) await link.write(replLine(statement));
        },
        (line): line is HelloLine => line.t === 'hello',
        this.timeouts.uploadMs,
        `${this.watchName} program upload`,
      );
    } catch (error) {
      if (error instanceof TimeoutError)
        throw new BangleError('PROGRAMMABLE_OFF', programmableOffMessage(this.watchName));
      throw error;
    }
    if (hello.v !== PROTOCOL_VERSION) {
      throw new BangleError(
        'VERSION_MISMATCH',
        `${this.watchName} runs protocol v${hello.v}, the gateway speaks v${PROTOCOL_VERSION}`,
      );
    }
    this.hello = hello;
    return hello;
  }

  /** Sends one `pw` call and waits for its `ok`/`err`; `err` and silence throw. */
  async call(statement: string, callName: string): Promise<void> {
    const link = this.requireLink();
    let answer: OkLine | ErrLine;
    try {
      answer = await this.awaitLine(
        () => link.write(replLine(statement)),
        (line): line is OkLine | ErrLine => (line.t === 'ok' || line.t === 'err') && line.call === callName,
        this.timeouts.callMs,
        `${this.watchName} ${callName}`,
      );
    } catch (error) {
      if (error instanceof TimeoutError) {
        throw new BangleError(
          'CALL_TIMEOUT',
          `${this.watchName} did not answer "${callName}" within ${this.timeouts.callMs} ms`,
        );
      }
      throw error;
    }
    if (answer.t === 'err')
      throw new BangleError('CALL_FAILED', `${this.watchName} refused "${callName}": ${answer.msg}`);
  }

  /** `pw.ping()`: measures the watch clock's offset from the gateway's. */
  async ping(): Promise<ClockCheck> {
    const link = this.requireLink();
    const sentMs = this.clock.now();
    let pong: PongLine;
    try {
      pong = await this.awaitLine(
        () => link.write(replLine('pw.ping()')),
        (line): line is PongLine => line.t === 'pong',
        this.timeouts.callMs,
        `${this.watchName} ping`,
      );
    } catch (error) {
      if (error instanceof TimeoutError)
        throw new BangleError('CALL_TIMEOUT', `${this.watchName} did not answer ping`);
      throw error;
    }
    const receivedMs = this.clock.now();
    return { offsetMs: pong.ts - (sentMs + receivedMs) / 2, rttMs: receivedMs - sentMs, atMs: receivedMs };
  }

  showCode(code: string | null): Promise<void> {
    return this.call(codeStatement(code), 'code');
  }

  start(options: StreamOptions): Promise<void> {
    return this.call(startStatement(options), 'start');
  }

  stop(): Promise<void> {
    return this.call('pw.stop()', 'stop');
  }

  /** `pw.unpair()`: stop sensors, clear the screen, `reset()` (forgets the program). */
  unpair(): Promise<void> {
    return this.call('pw.unpair()', 'unpair');
  }
}
