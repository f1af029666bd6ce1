/**
 * The host side of one ECG-12 unit (specs/ecg12-serial-protocol.md): finds it by USB id or takes a
 * port path, opens it, learns serial number, rate and scale with `ID?`, sets the rate, starts
 * streaming, decodes frames, keeps the run clock (§5), and when the unit is unplugged keeps what
 * it received, polls for the same serial number and reconnects with backoff, recording the gap.
 *
 * Events (see {@link Ecg12UnitEvents}) carry staff-readable status, sample batches, gaps, battery
 * and lead-off, counters and LOG text. The `samples` payload object is reused: copy what you keep.
 */
import { Backoff, type BackoffOptions } from '../../base/backoff.js';
import { SystemClock, type Clock, type TimerHandle } from '../../base/clock.js';
import { TypedEmitter, type Listener } from '../../base/typed-emitter.js';
import { CommandChannel } from './command-channel.js';
import { chooseEcg12Port, findEcg12Ports, type ListPorts } from './discovery.js';
import { asEcg12Error, Ecg12Error } from './errors.js';
import { Ecg12FrameDecoder } from './frame-decoder.js';
import {
  closePortQuietly,
  listSerialPorts,
  openPortAsync,
  openSerialPort,
  type Ecg12Port,
  type OpenPort,
} from './port.js';
import type { Ecg12RateHz } from './protocol.js';
import {
  parseInfoJson,
  type Ecg12Info,
  type Ecg12LinkCounters,
  type Ecg12LinkState,
  type Ecg12Status,
} from './schemas.js';
import { RunEvents, type Ecg12UnitEvents } from './unit-events.js';

export type { Ecg12RunStartedEvent, Ecg12SamplesEvent, Ecg12UnitEvents } from './unit-events.js';

/** Options of {@link Ecg12Unit}. */
export interface Ecg12UnitOptions {
  /** Port path to use instead of discovery (e.g. a pseudo-terminal); reopened by path after an unplug. */
  path?: string;
  /** USB serial number of the unit to use when several are plugged in. */
  serialNumber?: string;
  /** Sampling rate to set, Hz. Default 500. */
  rateHz?: Ecg12RateHz;
  /** Time allowed for each command's ACK, ms. Default 1000. */
  commandTimeoutMs?: number;
  /**
   * Reconnect polling after an unplug: exponential backoff with jitter. Defaults: first delay
   * 250 ms, ×2 per attempt, at most 2000 ms, each delay spread by ±20 % (so units unplugged
   * together, e.g. by a USB hub reset, do not poll in lockstep).
   */
  reconnect?: BackoffOptions;
  /**
   * With no bytes from the unit for this long (it sends STATUS about once a second), send `PING`;
   * no ACK means the link is dead even if the port never reported a close (some OSes, and
   * pseudo-terminals, where a hang-up reads as end-of-file). Default 3000 ms.
   */
  silenceTimeoutMs?: number;
  listPorts?: ListPorts;
  openPort?: OpenPort;
  /** The clock every wait of the link runs on (ACK timeouts, silence watchdog, reconnect). Default the system clock. */
  clock?: Clock;
}

const RECONNECT_DEFAULTS: BackoffOptions = { initialMs: 250, factor: 2, maxMs: 2000, jitter: 0.2 };

/** See the file comment. */
export class Ecg12Unit {
  private readonly events = new TypedEmitter<Ecg12UnitEvents>();
  private readonly clock: Clock;
  private readonly backoff: Backoff;
  private readonly rateHz: Ecg12RateHz;
  private readonly decoder: Ecg12FrameDecoder;
  private readonly commands: CommandChannel;
  private readonly runs: RunEvents;
  private readonly extra = { runs: 0, reconnects: 0, commandTimeouts: 0 };
  private port: Ecg12Port | undefined;
  private path: string | undefined;
  private usbSerial: string | undefined;
  private unitInfo: Ecg12Info | undefined;
  private current: Ecg12Status;
  private stopping = false;
  private reconnectTimer: TimerHandle | undefined;
  private receiveMs = 0;
  /** True while a port is open but its handshake has not finished. */
  private handshaking = false;
  private watchdogTimer: TimerHandle | undefined;

  constructor(private readonly options: Ecg12UnitOptions = {}) {
    this.clock = options.clock ?? new SystemClock();
    this.backoff = new Backoff({ ...RECONNECT_DEFAULTS, ...options.reconnect });
    this.rateHz = options.rateHz ?? 500;
    this.path = options.path;
    this.current = { state: 'disconnected', message: 'ECG-12 unit not connected', atMs: this.clock.now() };
    this.runs = new RunEvents((event, payload) => this.events.emit(event, payload));
    this.decoder = new Ecg12FrameDecoder({
      samples: (batch) => this.runs.onSamples(batch, this.receiveMs, this.unitInfo?.lsb_nV ?? NaN),
      gap: (firstIndex, setCount) => {
        this.runs.onSeqGap(firstIndex, setCount);
        this.events.emit('counters', this.counters());
      },
      runRestarted: () => this.beginRun(),
      status: (status) => {
        this.runs.onStatusFrame(status, this.receiveMs);
        this.events.emit('counters', this.counters());
      },
      info: (json) => this.commands.onInfo(json),
      ack: (status, line) => this.commands.onAck(status, line),
      log: (text) => this.events.emit('log', text),
    });
    this.commands = new CommandChannel({
      writeLine: (line) => this.writeLine(line),
      clock: this.clock,
      timeoutMs: options.commandTimeoutMs ?? 1000,
      unitName: () => this.unitName(),
    });
  }

  /** Subscribes to an event; returns the function that unsubscribes. */
  on<K extends keyof Ecg12UnitEvents>(event: K, listener: Listener<Ecg12UnitEvents[K]>): () => void {
    return this.events.on(event, listener);
  }

  /** The latest status. */
  get status(): Ecg12Status {
    return this.current;
  }

  /** The unit's INFO, once known. */
  get info(): Ecg12Info | undefined {
    return this.unitInfo;
  }

  /**
   * The current run's clock (§5): run number, anchor (ms since the Unix epoch, undefined before
   * its first SAMPLES frame), and the latest and smallest delay of a frame's arrival behind its
   * expected time (ms) — the smallest one creeping up or down over a long run is crystal drift.
   */
  runClock(): { run: number; anchorMs: number | undefined; lastOffsetMs: number; minOffsetMs: number } {
    return this.runs.clockState();
  }

  /** A snapshot of the counters. */
  counters(): Ecg12LinkCounters {
    return {
      ...this.decoder.counters,
      ...this.extra,
      sampleSetsLostBetweenRuns: this.runs.sampleSetsLostBetweenRuns,
    };
  }

  /**
   * Finds (or takes) the port, opens it, runs `ID?`, `STOP`, `RATE`, `START`. Resolves when the
   * unit acknowledged START; rejects with an {@link Ecg12Error} (status becomes `error`).
   */
  async start(): Promise<void> {
    this.stopping = false;
    this.backoff.reset();
    this.unitInfo = undefined; // a new session: whichever unit is found now
    this.setStatus('connecting', 'looking for the ECG-12 unit…');
    try {
      const path = this.options.path ?? (await this.discover());
      this.setStatus('connecting', `opening the ECG-12 unit on ${path}…`);
      await this.connect(path);
    } catch (error) {
      const e = asEcg12Error(error, 'open_failed', 'could not start the ECG-12 unit');
      this.setStatus('error', e.message, e.code);
      throw e;
    }
  }

  /** Stops streaming and closes the port; no reconnect afterwards. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.clock.clearTimeout(this.reconnectTimer);
    if (this.port?.isOpen) await this.command('STOP').catch(() => undefined);
    this.decoder.endRun();
    this.runs.endRun();
    await this.dropPort();
    this.commands.failPending(new Ecg12Error('stopped', `${this.unitName()} was stopped`));
    this.setStatus('disconnected', `${this.unitName()} stopped`);
  }

  /** Sends `PING` and waits for its ACK. */
  async ping(): Promise<void> {
    await this.command('PING');
  }

  private unitName(): string {
    return `unit ${this.unitInfo?.serial ?? this.path ?? 'ECG-12'}`;
  }

  private setStatus(state: Ecg12LinkState, message: string, errorCode?: string): void {
    this.current = {
      state,
      message,
      atMs: this.clock.now(),
      serial: this.unitInfo?.serial,
      path: this.path,
      errorCode,
    };
    this.events.emit('status', this.current);
    this.events.emit('counters', this.counters());
  }

  private async discover(): Promise<string> {
    const port = await chooseEcg12Port(this.options.listPorts ?? listSerialPorts, this.options.serialNumber);
    this.usbSerial = port.serialNumber;
    return port.path;
  }

  private async command(line: string): Promise<string | undefined> {
    try {
      return await this.commands.send(line);
    } catch (error) {
      if (error instanceof Ecg12Error && error.code === 'command_timeout') this.extra.commandTimeouts++;
      throw error;
    }
  }

  private writeLine(line: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const port = this.port;
      if (port === undefined || !port.isOpen) {
        reject(new Ecg12Error('unplugged', `${this.unitName()} is not connected`));
        return;
      }
      port.write(line, (error) => (error ? reject(error) : resolve()));
    });
  }

  private async connect(path: string): Promise<void> {
    const port = (this.options.openPort ?? openSerialPort)(path);
    try {
      await openPortAsync(port);
    } catch (cause) {
      throw new Ecg12Error(
        'open_failed',
        `could not open ${path} — is another program using the ECG-12 unit?`,
        { cause },
      );
    }
    this.path = path;
    this.port = port;
    this.receiveMs = this.clock.now();
    this.decoder.reset();
    port.on('data', (chunk) => {
      if (port !== this.port) return;
      this.receiveMs = this.clock.now();
      this.decoder.push(chunk);
    });
    port.on('close', (error) => {
      if (port === this.port) this.onLost('unplugged', error ?? undefined);
    });
    port.on('error', (error) => {
      if (port === this.port && !port.isOpen) this.onLost('unplugged', error);
    });
    this.handshaking = true;
    try {
      await this.handshake();
      this.armWatchdog(port);
    } catch (error) {
      this.decoder.endRun();
      await this.dropPort();
      throw error;
    } finally {
      this.handshaking = false;
    }
  }

  private async handshake(): Promise<void> {
    const json = await this.command('ID?');
    const info = parseInfoJson(json, this.unitName());
    if (this.unitInfo !== undefined && info.serial !== this.unitInfo.serial) {
      throw new Ecg12Error(
        'wrong_unit',
        `a different unit (${info.serial}) is on ${this.path ?? 'the port'} — plug unit ${this.unitInfo.serial} back in`,
      );
    }
    this.unitInfo = info;
    this.events.emit('info', info);
    this.setStatus('connected', `${this.unitName()} connected (firmware ${info.fw ?? 'unknown'})`);
    await this.command('STOP');
    if (info.rate !== this.rateHz) {
      await this.command(`RATE ${this.rateHz}`);
      // `ID?` answered with the rate before this one: the unit now runs at the rate just set
      this.events.emit('info', { ...info, rate: this.rateHz });
    }
    this.beginRun();
    await this.command('START');
    this.setStatus('streaming', `${this.unitName()} streaming at ${this.rateHz} Hz`);
  }

  private beginRun(): void {
    this.runs.beginRun(this.rateHz);
    this.decoder.startRun(0);
    this.extra.runs++;
  }

  private onLost(cause: 'unplugged' | 'silent', error: Error | undefined): void {
    const port = this.port;
    this.port = undefined;
    this.clock.clearTimeout(this.watchdogTimer);
    if (port !== undefined) {
      port.removeAllListeners();
      port.on('error', () => undefined);
      void closePortQuietly(port);
    }
    if (this.stopping) return;
    this.decoder.endRun();
    this.runs.endRun();
    if (this.handshaking) {
      // connect() fails with this and its caller (start or a reconnect attempt) decides what next.
      this.commands.failPending(new Ecg12Error('unplugged', `${this.unitName()} went away while connecting`));
      return;
    }
    const message =
      cause === 'unplugged'
        ? `${this.unitName()} unplugged — reconnect the USB cable`
        : `${this.unitName()} stopped answering — check the USB cable; unplug the unit and plug it back in if this persists`;
    this.commands.failPending(new Ecg12Error('unplugged', message, { cause: error }));
    this.setStatus('unplugged', message);
    this.backoff.reset();
    this.scheduleReconnect();
  }

  /** Checks for silence every `silenceTimeoutMs`; a silent link gets a PING, and no ACK ends it. */
  private armWatchdog(port: Ecg12Port): void {
    const silenceMs = this.options.silenceTimeoutMs ?? 3000;
    this.clock.clearTimeout(this.watchdogTimer);
    this.watchdogTimer = this.clock.setTimeout(() => {
      if (port !== this.port) return;
      if (this.clock.now() - this.receiveMs < silenceMs) {
        this.armWatchdog(port);
        return;
      }
      this.command('PING').then(
        () => this.armWatchdog(port),
        (error: unknown) => {
          if (port === this.port) this.onLost('silent', error instanceof Error ? error : undefined);
        },
      );
    }, silenceMs);
  }

  private scheduleReconnect(): void {
    if (this.stopping) return;
    if (this.backoff.attempts === 0) {
      this.setStatus(
        'reconnecting',
        `${this.unitName()} unplugged — reconnect the USB cable; streaming resumes when it reappears`,
      );
    }
    this.reconnectTimer = this.clock.setTimeout(() => void this.tryReconnect(), this.backoff.next());
  }

  private async tryReconnect(): Promise<void> {
    if (this.stopping) return;
    try {
      const path = await this.locate();
      if (path !== undefined && !this.stopping) {
        await this.connect(path);
        if (this.stopping) {
          // stop() was called while we were reconnecting: leave the unit stopped.
          await this.command('STOP').catch(() => undefined);
          await this.dropPort();
          return;
        }
        this.extra.reconnects++;
        this.backoff.reset();
        this.setStatus(
          'streaming',
          `${this.unitName()} reconnected and streaming at ${this.rateHz} Hz; the gap is recorded`,
        );
        return;
      }
    } catch (error) {
      if (error instanceof Ecg12Error && error.code === 'wrong_unit')
        this.setStatus('reconnecting', error.message, error.code);
    }
    this.scheduleReconnect();
  }

  /** The port to try: the manual path, or the port now carrying the same USB serial number. */
  private async locate(): Promise<string | undefined> {
    if (this.options.path !== undefined) return this.options.path;
    const units = await findEcg12Ports(this.options.listPorts ?? listSerialPorts, this.usbSerial);
    return units[0]?.path;
  }

  private async dropPort(): Promise<void> {
    this.clock.clearTimeout(this.watchdogTimer);
    const port = this.port;
    this.port = undefined;
    if (port === undefined) return;
    port.removeAllListeners();
    port.on('error', () => undefined);
    await closePortQuietly(port);
  }
}
