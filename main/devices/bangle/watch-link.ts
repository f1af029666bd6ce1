/**
 * One watch's life on the gateway: pairing with a confirmation code, streaming, the data
 * watchdog, reconnect with backoff (including "out of range"), gaps, clock re-basing and
 * unpairing. Talks to the BLE stack only through `BleCentral`.
 */
import { randomInt } from 'node:crypto';
import { Backoff, Watchdog, type BackoffOptions } from '../../base/backoff.js';
import type { BleAdvertisement, BleCentral, BleConnection } from './ble-central.js';
import type { Clock, TimerHandle } from '../../base/clock.js';
import { BangleError } from './errors.js';
import type { TypedEmitter } from '../../base/typed-emitter.js';
import type { BangleEvents, WatchCounters, WatchState, WatchStatus, WatchTransport } from './events.js';
import { HrsSession } from './hrs-session.js';
import type { BangleLogger } from './logger.js';
import { UartSession, DEFAULT_UART_TIMEOUTS, type UartSessionTimeouts } from './uart-session.js';
import { DEFAULT_STREAM_OPTIONS, type StreamOptions } from './watch-program.js';
import { WatchData } from './watch-data.js';

/** Tunables of a watch link (defaults in {@link DEFAULT_LINK_OPTIONS}). */
export interface WatchLinkOptions {
  stream: StreamOptions;
  /** No data for this long → the link is dead: disconnect and reconnect. Default 10 s (data arrives ~1 Hz). */
  watchdogMs: number;
  /** Clock check period while streaming, ms. Default 120 s ("every few minutes"). */
  pingIntervalMs: number;
  /** |watch − gateway| above this is reported and re-based, ms. Spec: 1 s. */
  maxClockOffsetMs: number;
  connectTimeoutMs: number;
  /** How long a reconnect scans for the watch before reporting it out of range, ms. */
  locateTimeoutMs: number;
  backoff: BackoffOptions;
  uartTimeouts: UartSessionTimeouts;
  /** Pairing code source (default: crypto `randomInt`, 4 digits). */
  makeCode: () => string;
  /** A pairing not confirmed within this is cancelled (code cleared, disconnected), ms. Default 120 s. */
  pairingTimeoutMs: number;
}

export const DEFAULT_LINK_OPTIONS: WatchLinkOptions = {
  stream: DEFAULT_STREAM_OPTIONS,
  watchdogMs: 10_000,
  pingIntervalMs: 120_000,
  maxClockOffsetMs: 1000,
  connectTimeoutMs: 10_000,
  locateTimeoutMs: 10_000,
  backoff: { initialMs: 1000, maxMs: 30_000 },
  uartTimeouts: DEFAULT_UART_TIMEOUTS,
  makeCode: () => randomInt(0, 10_000).toString().padStart(4, '0'),
  pairingTimeoutMs: 120_000,
};

/** What the link needs from its owner. */
export interface WatchLinkDeps {
  central: BleCentral;
  clock: Clock;
  logger: BangleLogger;
  events: TypedEmitter<BangleEvents>;
  /** Scans until `address` advertises (resolves its advertisement) or `timeoutMs` passes (undefined). */
  locate(address: string, timeoutMs: number): Promise<BleAdvertisement | undefined>;
}

type Session = { kind: 'uart'; uart: UartSession } | { kind: 'hrs'; hrs: HrsSession };

function errorInfo(error: unknown): { code: string; message: string } {
  if (error instanceof Error)
    return { code: 'code' in error ? String(error.code) : 'ERROR', message: error.message };
  return { code: 'ERROR', message: String(error) };
}

/** One watch (by address). */
export class WatchLink {
  private state: WatchState = 'disconnected';
  private bound = false;
  private generation = 0;
  private connection: BleConnection | undefined;
  private session: Session | undefined;
  private readonly backoff: Backoff;
  private readonly watchdog: Watchdog;
  private reconnectTimer: TimerHandle | undefined;
  private pingTimer: TimerHandle | undefined;
  private pairingTimer: TimerHandle | undefined;
  private readonly data: WatchData;

  constructor(
    readonly address: string,
    private id: string,
    readonly name: string,
    readonly transport: WatchTransport,
    private readonly deps: WatchLinkDeps,
    private readonly options: WatchLinkOptions,
  ) {
    this.backoff = new Backoff(options.backoff);
    this.watchdog = new Watchdog(deps.clock, options.watchdogMs, (silentMs) => {
      this.lose('silence', `no data for ${Math.round(silentMs / 1000)} s`);
    });
    this.data = new WatchData(
      address,
      name,
      deps.events,
      deps.logger,
      () => {
        this.watchdog.feed();
      },
      () => {
        this.backoff.reset();
        this.setStatus('streaming', `Receiving data from ${this.name} again.`);
      },
    );
  }

  get isBound(): boolean {
    return this.bound;
  }

  get currentState(): WatchState {
    return this.state;
  }

  getCounters(): WatchCounters {
    return { ...this.data.counters, xoff: this.data.counters.xoff + this.sessionXoff() };
  }

  private sessionXoff(): number {
    return this.session?.kind === 'uart' ? (this.session.uart.linkCounters?.xoffCount ?? 0) : 0;
  }

  /** Latest RSSI from a scan, dBm. */
  noteRssi(rssi: number): void {
    this.data.counters.rssi = rssi;
  }

  private setStatus(state: WatchState, message: string, errorCode: string | null = null): void {
    this.state = state;
    const status: WatchStatus = {
      address: this.address,
      name: this.name,
      state,
      message,
      errorCode,
      transport: this.transport,
      bound: this.bound,
      attempt: this.backoff.attempts,
      atMs: this.deps.clock.now(),
    };
    this.deps.logger.info({ watch: this.address, state, errorCode }, message);
    this.deps.events.emit('status', status);
  }

  private emitCounters(): void {
    this.data.emitCounters(this.sessionXoff());
  }

  /** Connects and opens the right session; on UART also installs the program and checks the clock. */
  private async connectSession(gen: number): Promise<void> {
    const connection = await this.deps.central.connect(this.id, this.options.connectTimeoutMs);
    if (gen !== this.generation) {
      await connection.disconnect();
      throw new BangleError('LINK_LOST', 'superseded');
    }
    this.connection = connection;
    connection.onDisconnect((reason) => {
      if (gen === this.generation) this.lose('disconnected', `link lost (${reason})`);
    });
    if (this.transport === 'uart') {
      const uart = new UartSession(
        connection,
        this.deps.clock,
        this.name,
        this.uartHandlers(gen),
        this.deps.logger,
        this.options.uartTimeouts,
      );
      this.session = { kind: 'uart', uart };
      await uart.open();
      await uart.install();
      this.data.applyClockCheck(await uart.ping(), this.options.maxClockOffsetMs);
    } else {
      const hrs = new HrsSession(connection, this.deps.clock, this.name, this.hrsHandlers(gen));
      this.session = { kind: 'hrs', hrs };
      await hrs.open();
    }
  }

  private uartHandlers(gen: number): ConstructorParameters<typeof UartSession>[3] {
    return {
      onLine: (event) => {
        if (gen !== this.generation) return;
        this.data.uartLine(event);
        this.emitCounters();
      },
      onBadLine: (line, reason) => {
        if (gen === this.generation) this.data.badLine({ line: line.raw.slice(0, 200) }, reason);
      },
    };
  }

  private hrsHandlers(gen: number): ConstructorParameters<typeof HrsSession>[3] {
    return {
      onMeasurement: (measurement, receivedMs) => {
        if (gen !== this.generation) return;
        this.data.hrsMeasurement(measurement, receivedMs);
        this.emitCounters();
      },
      onBadValue: (bytes, reason) => {
        if (gen === this.generation) this.data.badLine({ bytes: Array.from(bytes) }, reason);
      },
    };
  }

  /**
   * Connects, shows a fresh 4-digit code on the watch (UART path) and waits for staff.
   * Returns the code, or `null` on the HRS path (staff confirm by name and address).
   */
  async beginPairing(): Promise<string | null> {
    this.stopTimers();
    const gen = ++this.generation;
    this.setStatus('connecting', `Connecting to ${this.name}…`);
    try {
      await this.connectSession(gen);
      const code = this.session?.kind === 'uart' ? this.options.makeCode() : null;
      if (this.session?.kind === 'uart' && code !== null) await this.session.uart.showCode(code);
      this.setStatus(
        'pairing',
        code === null
          ? `Confirm that the watch is ${this.name} (address ${this.address}).`
          : `Check that ${this.name} shows the code ${code}, then confirm.`,
      );
      this.pairingTimer = this.deps.clock.setTimeout(() => {
        if (gen === this.generation && this.state === 'pairing') {
          void this.cancelPairing(`Pairing with ${this.name} timed out: nobody confirmed the code.`);
        }
      }, this.options.pairingTimeoutMs);
      return code;
    } catch (error) {
      await this.teardown();
      const { code, message } = errorInfo(error);
      this.setStatus('error', message, code);
      throw error;
    }
  }

  /** Staff's answer: codes match (bind and stream) or not (clear the code, disconnect). */
  async confirmPairing(matches: boolean): Promise<void> {
    if (this.state !== 'pairing') {
      throw new BangleError('NOT_PAIRING', `${this.name} is not waiting for a pairing confirmation`);
    }
    this.deps.clock.clearTimeout(this.pairingTimer);
    if (!matches) {
      await this.cancelPairing(
        this.transport === 'hrs'
          ? `Pairing with ${this.name} cancelled: staff said it is not the patient’s watch.`
          : `Pairing with ${this.name} cancelled: the codes did not match.`,
      );
      return;
    }
    this.bound = true;
    const gen = this.generation;
    try {
      if (this.session?.kind === 'uart') await this.session.uart.showCode(null);
      await this.startStreaming(gen);
    } catch (error) {
      if (gen === this.generation) this.lose('disconnected', errorInfo(error).message);
    }
  }

  /** Clears the code from the watch's screen, disconnects, stays unbound. */
  private async cancelPairing(message: string): Promise<void> {
    if (this.session?.kind === 'uart') await this.session.uart.showCode(null).catch(() => undefined);
    this.generation += 1;
    await this.teardown();
    this.setStatus('disconnected', message);
  }

  private async startStreaming(gen: number): Promise<void> {
    this.data.acceptData = true;
    if (this.session?.kind === 'uart') await this.session.uart.start(this.options.stream);
    else if (this.session?.kind === 'hrs') await this.session.hrs.start();
    if (gen !== this.generation) return;
    this.watchdog.start();
    this.schedulePing(gen);
    this.setStatus('streaming', `Receiving data from ${this.name}.`);
  }

  private schedulePing(gen: number): void {
    if (this.session?.kind !== 'uart') return;
    const uart = this.session.uart;
    this.pingTimer = this.deps.clock.setTimeout(() => {
      uart
        .ping()
        .then((check) => {
          if (gen === this.generation) this.data.applyClockCheck(check, this.options.maxClockOffsetMs);
        })
        .catch((error: unknown) => {
          this.deps.logger.warn(
            { watch: this.address, error: errorInfo(error).message },
            'clock check failed',
          );
        })
        .finally(() => {
          if (gen === this.generation) this.schedulePing(gen);
        });
    }, this.options.pingIntervalMs);
  }

  /** The link is dead (disconnect event, watchdog, failed call): tear down and, if bound, reconnect. */
  private lose(reason: 'silence' | 'disconnected', detail: string): void {
    const gen = ++this.generation;
    this.stopTimers();
    const previous = this.connection;
    this.connection = undefined;
    this.session = undefined;
    void previous?.disconnect();
    if (!this.bound) {
      this.setStatus(
        'error',
        `Lost contact with ${this.name} before pairing finished (${detail}). Pair again.`,
        'LINK_LOST',
      );
      return;
    }
    this.data.openOutage(reason, this.deps.clock.now());
    this.deps.logger.warn({ watch: this.address, reason, detail }, 'watch link lost');
    this.setStatus('reconnecting', `Lost contact with ${this.name} (${detail}); reconnecting…`);
    this.scheduleReconnect(gen);
  }

  private scheduleReconnect(gen: number): void {
    const delayMs = this.backoff.next();
    this.reconnectTimer = this.deps.clock.setTimeout(() => {
      void this.reconnect(gen);
    }, delayMs);
  }

  private async reconnect(gen: number): Promise<void> {
    if (gen !== this.generation || !this.bound) return;
    this.setStatus('reconnecting', `Reconnecting to ${this.name} (attempt ${this.backoff.attempts})…`);
    const seen = await this.deps.locate(this.address, this.options.locateTimeoutMs);
    if (gen !== this.generation) return;
    if (!seen) {
      this.setStatus('out_of_range', `${this.name} is out of range — bring the watch closer to the gateway.`);
      this.scheduleReconnect(gen);
      return;
    }
    this.id = seen.id;
    this.noteRssi(seen.rssi);
    try {
      await this.connectSession(gen);
      if (gen !== this.generation) return;
      this.data.counters.reconnects += 1;
      await this.startStreaming(gen);
    } catch (error) {
      if (gen !== this.generation) return;
      const { code, message } = errorInfo(error);
      this.deps.logger.warn({ watch: this.address, code, message }, 'reconnect failed');
      await this.teardown();
      this.setStatus('reconnecting', `Could not reconnect to ${this.name}: ${message} Retrying…`, code);
      this.scheduleReconnect(gen);
    }
  }

  private stopTimers(): void {
    this.data.acceptData = false;
    this.watchdog.stop();
    this.deps.clock.clearTimeout(this.reconnectTimer);
    this.deps.clock.clearTimeout(this.pingTimer);
    this.deps.clock.clearTimeout(this.pairingTimer);
    this.reconnectTimer = undefined;
    this.pingTimer = undefined;
  }

  private async teardown(): Promise<void> {
    this.stopTimers();
    const connection = this.connection;
    this.connection = undefined;
    this.session = undefined;
    await connection?.disconnect();
  }

  /**
   * Unbinds the watch from the patient: `pw.unpair()` (sensors off, screen cleared,
   * program forgotten) when reachable, then disconnect. Resolves whether or not the watch answered.
   */
  async unpair(): Promise<void> {
    this.bound = false;
    const gen = ++this.generation;
    this.stopTimers();
    this.data.dropOutage();
    let reached = false;
    if (this.session?.kind === 'uart' && this.connection?.connected) {
      reached = await this.session.uart.unpair().then(
        () => true,
        () => false,
      );
    }
    if (gen !== this.generation) return;
    await this.teardown();
    const cleared = this.transport === 'hrs' || reached;
    this.setStatus(
      'disconnected',
      cleared
        ? `${this.name} is unpaired and no longer linked to the patient.`
        : `${this.name} is unlinked from the patient, but was not reachable: its program was not cleared.`,
    );
  }

  /**
   * Disconnects a bound watch and stays bound to its patient (staff will {@link resume} it). The
   * time until it streams again is recorded as a gap.
   */
  async disconnect(): Promise<void> {
    if (!this.bound) {
      await this.close();
      this.setStatus('disconnected', `${this.name} is disconnected.`);
      return;
    }
    if (this.state === 'streaming') this.data.openOutage('disconnected', this.deps.clock.now());
    await this.close();
    this.setStatus(
      'disconnected',
      `${this.name} is disconnected by staff and still paired with the patient: reconnect to resume.`,
    );
  }

  /** Reconnects a bound watch now (after {@link disconnect}, or a restart: {@link restoreBinding}). */
  resume(): void {
    if (!this.bound)
      throw new BangleError('NOT_FOUND', `${this.name} is not paired: pair it again to use it.`);
    this.stopTimers();
    this.backoff.reset();
    const gen = ++this.generation;
    void this.reconnect(gen);
  }

  /** Marks the watch bound after a gateway restart (its binding was kept) and reconnects it. */
  restoreBinding(): void {
    this.bound = true;
    this.resume();
  }

  /**
   * The stream options changed (accelerometer rate, PPG): a streaming UART watch is restarted
   * with them now; any other state picks them up on its next start.
   */
  async restartStream(): Promise<void> {
    if (this.state !== 'streaming' || this.session?.kind !== 'uart') return;
    const gen = this.generation;
    try {
      await this.session.uart.start(this.options.stream);
      if (gen === this.generation)
        this.setStatus('streaming', `Receiving data from ${this.name} (new settings applied).`);
    } catch (error) {
      // reconnecting starts the stream afresh with the new options
      if (gen === this.generation) this.lose('disconnected', errorInfo(error).message);
    }
  }

  /** Stops everything without unbinding (gateway shutdown). */
  async close(): Promise<void> {
    this.generation += 1;
    await this.teardown();
  }
}
