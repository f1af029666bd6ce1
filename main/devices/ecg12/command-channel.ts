/**
 * Host → unit commands (spec §2): one command line at a time, each answered by exactly one ACK
 * (and `ID?` by an INFO before its ACK), with a per-command timeout and ACK status checking.
 */
import { Ecg12Error } from './errors.js';
import { AckStatus, ackStatusName } from './protocol.js';
import type { Clock, TimerHandle } from '../../base/clock.js';

interface Pending {
  line: string;
  info: string | undefined;
  resolve: (info: string | undefined) => void;
  reject: (error: Error) => void;
  timer: TimerHandle;
}

/** Options of {@link CommandChannel}. */
export interface CommandChannelOptions {
  /** Writes one line (with its `\n`) to the port; rejects when the write fails. */
  writeLine: (line: string) => Promise<void>;
  /** The clock the ACK timeouts run on. */
  clock: Clock;
  /** Time allowed for the ACK of each command, ms. */
  timeoutMs: number;
  /** Names the unit in messages, e.g. "unit ECG-12345". */
  unitName: () => string;
  /** Called when an ACK or INFO arrives that answers no pending command. */
  onStray?: (what: string) => void;
}

/** See the file comment. Feed it the decoder's `ack` and `info` callbacks. */
export class CommandChannel {
  private pending: Pending | undefined;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: CommandChannelOptions) {}

  /**
   * Sends `line` (no line ending) once every earlier command has finished. Resolves with the
   * INFO JSON for `ID?`, else undefined; rejects with `Ecg12Error` `command_timeout`,
   * `command_rejected` or `write_failed`.
   */
  send(line: string): Promise<string | undefined> {
    const run = (): Promise<string | undefined> => this.sendNow(line);
    const result = this.tail.then(run, run);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Rejects the command in flight (the port closed). */
  failPending(error: Error): void {
    const pending = this.pending;
    if (pending === undefined) return;
    this.pending = undefined;
    this.options.clock.clearTimeout(pending.timer);
    pending.reject(error);
  }

  /** The decoder's ACK callback. */
  onAck(status: number, line: string): void {
    const pending = this.pending;
    if (pending === undefined || pending.line !== line) {
      this.options.onStray?.(`ACK ${status} for "${line}"`);
      return;
    }
    this.pending = undefined;
    this.options.clock.clearTimeout(pending.timer);
    if (status === AckStatus.ok) {
      pending.resolve(pending.info);
      return;
    }
    const advice = status === AckStatus.busy ? ' — it is streaming; stop it first' : '';
    pending.reject(
      new Ecg12Error(
        'command_rejected',
        `${this.options.unitName()} refused "${line}": ${ackStatusName(status)}${advice}`,
      ),
    );
  }

  /** The decoder's INFO callback. */
  onInfo(json: string): void {
    if (this.pending?.line === 'ID?') this.pending.info = json;
    else this.options.onStray?.('INFO');
  }

  private sendNow(line: string): Promise<string | undefined> {
    return new Promise((resolve, reject) => {
      const { clock, timeoutMs } = this.options;
      const timer = clock.setTimeout(() => {
        if (this.pending?.timer !== timer) return;
        this.pending = undefined;
        reject(
          new Ecg12Error(
            'command_timeout',
            `${this.options.unitName()} did not answer "${line}" within ${timeoutMs} ms — check the USB cable, or unplug the unit and plug it back in`,
          ),
        );
      }, timeoutMs);
      this.pending = { line, info: undefined, resolve, reject, timer };
      this.options.writeLine(`${line}\n`).catch((cause: unknown) => {
        this.failPending(
          new Ecg12Error(
            'write_failed',
            `could not send "${line}" to ${this.options.unitName()} — check the USB cable`,
            {
              cause,
            },
          ),
        );
      });
    });
  }
}
