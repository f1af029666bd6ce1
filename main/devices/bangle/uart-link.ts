/**
 * The Espruino console over the Nordic UART Service: chunked writes that honour XON/XOFF,
 * and cleaned console lines out (`bangle-stream.md` "Transport").
 */
import type { BleCharacteristic } from './ble-central.js';
import { LineReassembler, DEFAULT_MAX_LINE_BYTES } from './line-reassembler.js';
import { stripReplNoise } from './repl-noise.js';
import { ATT_HEADER_BYTES } from './uuids.js';

/** A console line as received and after noise stripping. */
export interface ConsoleLine {
  /** Line without `\r` (latin1), before noise stripping — for logs. */
  raw: string;
  /** Line with VT100 sequences, control bytes and the prompt removed. */
  cleaned: string;
}

/** Counters of the link itself. */
export interface UartLinkCounters {
  notifications: number;
  bytesReceived: number;
  bytesWritten: number;
  writes: number;
  /** XOFF bytes received. */
  xoffCount: number;
  /** Bytes dropped because a line exceeded the cap. */
  overflowBytes: number;
}

interface QueuedWrite {
  bytes: Uint8Array;
  resolve: () => void;
  reject: (error: Error) => void;
}

/** Encodes text as latin1 bytes (Espruino strings are byte strings). */
export function latin1Bytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i += 1) bytes[i] = text.charCodeAt(i) & 0xff;
  return bytes;
}

/** One NUS console session (create per connection). */
export class UartLink {
  private readonly reassembler: LineReassembler;
  private readonly queue: QueuedWrite[] = [];
  private pumping = false;
  private resumeWaiters: (() => void)[] = [];
  private closedError: Error | undefined;
  readonly counters: UartLinkCounters = {
    notifications: 0,
    bytesReceived: 0,
    bytesWritten: 0,
    writes: 0,
    xoffCount: 0,
    overflowBytes: 0,
  };

  /**
   * @param tx NUS TX characteristic (we write)
   * @param rx NUS RX characteristic (watch notifies)
   * @param attMtu negotiated ATT MTU; writes are chunked to `attMtu − 3` bytes
   * @param onLine receives every complete console line
   */
  constructor(
    private readonly tx: BleCharacteristic,
    private readonly rx: BleCharacteristic,
    private readonly attMtu: number,
    private readonly onLine: (line: ConsoleLine) => void,
    maxLineBytes = DEFAULT_MAX_LINE_BYTES,
  ) {
    this.reassembler = new LineReassembler(maxLineBytes);
  }

  /** Payload bytes per write. */
  get chunkBytes(): number {
    return Math.max(1, this.attMtu - ATT_HEADER_BYTES);
  }

  /** Whether the watch has paused us with XOFF. */
  get paused(): boolean {
    return this.reassembler.isPaused;
  }

  /** Subscribes to the watch's output. */
  async open(): Promise<void> {
    await this.rx.subscribe((data) => {
      this.onNotification(data);
    });
  }

  private onNotification(data: Uint8Array): void {
    this.counters.notifications += 1;
    this.counters.bytesReceived += data.length;
    const wasPaused = this.reassembler.isPaused;
    for (const byte of data) if (byte === 0x13) this.counters.xoffCount += 1;
    const chunk = this.reassembler.push(data);
    this.counters.overflowBytes += chunk.overflowBytes;
    if (wasPaused && !chunk.paused) this.wakeWriters();
    for (const raw of chunk.lines) this.onLine({ raw, cleaned: stripReplNoise(raw) });
  }

  private wakeWriters(): void {
    const waiters = this.resumeWaiters;
    this.resumeWaiters = [];
    for (const wake of waiters) wake();
  }

  /** Writes `text` (latin1), chunked to the MTU; resolves when every chunk was accepted. */
  write(text: string): Promise<void> {
    if (this.closedError) return Promise.reject(this.closedError);
    return new Promise((resolve, reject) => {
      this.queue.push({ bytes: latin1Bytes(text), resolve, reject });
      void this.pump();
    });
  }

  private waitForXon(): Promise<void> {
    return new Promise((resolve) => this.resumeWaiters.push(resolve));
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (let item = this.queue[0]; item; item = this.queue[0]) {
        try {
          for (let offset = 0; offset < item.bytes.length; offset += this.chunkBytes) {
            while (this.reassembler.isPaused && !this.closedError) await this.waitForXon();
            if (this.closedError) throw this.closedError;
            const chunk = item.bytes.subarray(offset, offset + this.chunkBytes);
            await this.tx.write(chunk, false);
            this.counters.writes += 1;
            this.counters.bytesWritten += chunk.length;
          }
          item.resolve();
        } catch (error) {
          item.reject(error instanceof Error ? error : new Error(String(error)));
        }
        this.queue.shift();
      }
    } finally {
      this.pumping = false;
    }
  }

  /** Fails pending and future writes (the connection is gone). */
  close(reason: Error): void {
    this.closedError = reason;
    this.wakeWriters();
    for (const item of this.queue.splice(1)) item.reject(reason);
  }
}
