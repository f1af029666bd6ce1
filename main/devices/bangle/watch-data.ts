/**
 * The data side of one watch link: turns valid lines (or 0x2A37 values) into typed
 * records, keeps the counters, records gaps (counter jumps and outages) and re-bases watch
 * times when the watch clock is off by more than the limit (`bangle-stream.md` "Clock and gaps").
 * Samples are never invented: a gap is a record of where data is missing, nothing more.
 */
import type { ClockCheck, SessionLine } from './uart-session.js';
import type { TypedEmitter } from '../../base/typed-emitter.js';
import type { BangleEvents, WatchCounters, WatchGap } from './events.js';
import type { HeartRateMeasurement } from './hrs-measurement.js';
import type { BangleLogger } from './logger.js';
import type { WatchLine } from './watch-lines.js';

/** Data lines; everything else (`hello`, `pong`, `ok`, `err`) is control. */
function isDataLine(line: WatchLine): boolean {
  return line.t === 'hrm' || line.t === 'acc' || line.t === 'ppg' || line.t === 'bat';
}

/** Counters, gaps, clock re-basing and record emission for one watch. */
export class WatchData {
  /** Data is passed on only between `pw.start` (or HRS subscribe) and the link's loss. */
  acceptData = false;
  /** Gateway time of the last data line. */
  private lastDataMs: number | undefined;
  private pendingGap: Pick<WatchGap, 'startMs' | 'reason'> | undefined;
  private rebaseMs = 0;
  readonly counters: WatchCounters;

  /**
   * @param onLine called for every valid line (feeds the watchdog)
   * @param onResumed called when the first data after an outage closes its gap
   */
  constructor(
    private readonly address: string,
    private readonly name: string,
    private readonly events: TypedEmitter<BangleEvents>,
    private readonly logger: BangleLogger,
    private readonly onLine: () => void,
    private readonly onResumed: () => void,
  ) {
    this.counters = {
      address,
      lines: 0,
      badLines: 0,
      lostLines: 0,
      gaps: 0,
      reconnects: 0,
      xoff: 0,
      clockOffsetMs: null,
      rssi: null,
    };
  }

  /** The link went down at `nowMs`: the gap opens at the last data line. No-op if one is open. */
  openOutage(reason: 'silence' | 'disconnected', nowMs: number): void {
    this.pendingGap ??= { startMs: this.lastDataMs ?? nowMs, reason };
  }

  /** Forgets an open outage (the watch was unpaired). */
  dropOutage(): void {
    this.pendingGap = undefined;
  }

  /** A clock comparison: report it, and re-base when |offset| > `maxOffsetMs`. */
  applyClockCheck(check: ClockCheck, maxOffsetMs: number): void {
    const rebased = Math.abs(check.offsetMs) > maxOffsetMs;
    this.rebaseMs = rebased ? -Math.round(check.offsetMs) : 0;
    this.counters.clockOffsetMs = check.offsetMs;
    if (rebased) {
      this.logger.warn(
        { watch: this.address, offsetMs: check.offsetMs },
        `${this.name}'s clock is off by ${Math.round(check.offsetMs)} ms; re-basing its times onto the gateway clock`,
      );
    }
    this.events.emit('clock', { address: this.address, ...check, rebased });
  }

  /** A line or value that failed validation (logged, counted, never fatal). */
  badLine(context: Record<string, unknown>, reason: string): void {
    this.counters.badLines += 1;
    this.logger.warn({ watch: this.address, ...context, reason }, 'bad line from watch');
    this.emitCounters();
  }

  emitCounters(extraXoff = 0): void {
    this.events.emit('counters', { ...this.counters, xoff: this.counters.xoff + extraXoff });
  }

  private noteLine(receivedMs: number, lost: number): void {
    this.onLine();
    this.counters.lines += 1;
    if (lost <= 0) return;
    this.counters.lostLines += lost;
    if (this.lastDataMs !== undefined && !this.pendingGap) {
      this.emitGap({ startMs: this.lastDataMs, endMs: receivedMs, reason: 'lost-lines', lostLines: lost });
    }
  }

  private noteData(receivedMs: number): void {
    if (this.pendingGap) {
      this.emitGap({ ...this.pendingGap, endMs: receivedMs, lostLines: 0 });
      this.pendingGap = undefined;
      this.onResumed();
    }
    this.lastDataMs = receivedMs;
  }

  private emitGap(gap: Omit<WatchGap, 'address'>): void {
    this.counters.gaps += 1;
    this.events.emit('gap', { address: this.address, ...gap });
  }

  /** A valid line from the UART session. */
  uartLine({ line, receivedMs, lost }: SessionLine): void {
    this.noteLine(receivedMs, lost);
    if (isDataLine(line) && this.acceptData) {
      this.noteData(receivedMs);
      this.emitRecord(line);
    } else if (line.t === 'err') {
      this.logger.warn({ watch: this.address, call: line.call, msg: line.msg }, 'watch reported an error');
    }
  }

  private emitRecord(line: WatchLine): void {
    const { address } = this;
    const base = this.rebaseMs;
    if (line.t === 'hrm') {
      this.events.emit('hr', {
        address,
        ts: line.ts + base,
        watchTs: line.ts,
        bpm: line.bpm,
        conf: line.conf,
        rrIntervalsMs: [],
        sensorContact: null,
        source: 'uart',
      });
    } else if (line.t === 'acc') {
      this.events.emit('accel', {
        address,
        ts: line.ts + base,
        watchTs: line.ts,
        hz: line.hz,
        xyzMilliG: line.xyz,
      });
    } else if (line.t === 'ppg') {
      this.events.emit('ppg', { address, ts: line.ts + base, watchTs: line.ts, hz: line.hz, raw: line.raw });
    } else if (line.t === 'bat') {
      this.events.emit('battery', { address, ts: line.ts + base, pct: line.pct, charging: line.chg });
    }
  }

  /** A decoded 0x2A37 value (HRS path): timestamped on arrival. */
  hrsMeasurement(measurement: HeartRateMeasurement, receivedMs: number): void {
    this.noteLine(receivedMs, 0);
    if (!this.acceptData) return;
    this.noteData(receivedMs);
    this.events.emit('hr', {
      address: this.address,
      ts: receivedMs,
      watchTs: null,
      bpm: measurement.bpm,
      conf: null,
      rrIntervalsMs: measurement.rrIntervalsMs,
      sensorContact: measurement.sensorContact,
      source: 'hrs',
    });
  }
}
