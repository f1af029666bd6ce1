/**
 * The ECG-12 unit's side of the protocol (specs/ecg12-serial-protocol.md), for tests, demos and
 * staff training: answers command lines with ACK (and INFO), sends STATUS about once a second,
 * LOG at power-up, and while started SAMPLES frames of K = rate/50 sets (4 at 80 Hz) paced by the
 * clock it is given. No I/O: bytes go to a `write` sink (see `pty-simulator.ts` for the
 * pseudo-terminal). Deterministic: frame `seq` of a run carries source sets `seq × K …`, and the
 * damage done to it is a function of (seed, run, seq).
 */
import {
  encodeAckFrame,
  encodeFrame,
  encodeInfoFrame,
  encodeLogFrame,
  encodeSamplesFrame,
  encodeStatusFrame,
  StatusFlag,
} from './frame-encoder.js';
import {
  AckStatus,
  CHANNEL_COUNT,
  isSupportedRate,
  POWER_UP_RATE_HZ,
  setsPerFrame,
  type Ecg12RateHz,
} from '../protocol.js';
import type { SampleSource } from './record-source.js';
import { hash3, unitRandom } from './sim-random.js';

/** Damage the simulator can inject, each as a fraction (0…1) of SAMPLES frames. */
export interface Ecg12DamageOptions {
  /** Seed of the damage decisions. Default 1. */
  seed?: number;
  /** Frames sent with one payload byte altered (the CRC then fails). */
  badCrcRate?: number;
  /** Frames never sent (their `seq` is used up: the host sees a gap). */
  dropRate?: number;
  /** Frames preceded by 1…32 random bytes. */
  garbageRate?: number;
  /** Frames preceded by a well-formed frame of a reserved type (0x10…0x6F). */
  unknownTypeRate?: number;
  /** Frames preceded by a header declaring a length over 1024. */
  badLengthRate?: number;
  /** Write every frame in pieces of 1…`splitWriteMaxBytes` bytes (separate writes). */
  splitWrites?: boolean;
  /** Largest piece for `splitWrites`. Default 7. */
  splitWriteMaxBytes?: number;
}

/** What became of one SAMPLES frame. */
export interface SimulatedFrame {
  run: number;
  seq: number;
  /** Run index of its first set. */
  firstIndex: number;
  setCount: number;
  fate: 'sent' | 'dropped' | 'corrupted';
}

/** Options of {@link Ecg12Simulator}. */
export interface Ecg12SimulatorOptions {
  /** The signal for a rate (called when the rate changes). */
  sourceForRate: (rateHz: Ecg12RateHz) => SampleSource;
  serial?: string;
  firmware?: string;
  /** Nanovolts per count reported in INFO. Default 476.84. */
  lsbNanovolts?: number;
  damage?: Ecg12DamageOptions;
  /** Electrode-off mask in SAMPLES and STATUS. Default 0. */
  leadOffMask?: number;
  /** STATUS period, ms. Default 1000. */
  statusIntervalMs?: number;
  /** `seq` of the first SAMPLES frame after START (the protocol says 0; other values test the wrap). */
  firstSeq?: number;
  /** Called for every SAMPLES frame produced, whatever its fate. */
  onFrame?: (frame: SimulatedFrame) => void;
}

/** See the file comment. */
export class Ecg12Simulator {
  private rate: Ecg12RateHz = POWER_UP_RATE_HZ;
  private source: SampleSource;
  private streaming = false;
  private run = -1;
  private runStartMs = 0;
  private framesProduced = 0;
  /** The last sample set sent in this run (-1: none yet). */
  private lastSet = -1;
  private powerUpMs = 0;
  private nextStatusMs = 0;
  private lineBuffer = '';
  private readonly damage: Required<Ecg12DamageOptions>;
  private readonly counts = new Int32Array(32 * CHANNEL_COUNT);

  constructor(
    private readonly options: Ecg12SimulatorOptions,
    private readonly write: (bytes: Uint8Array) => void,
  ) {
    this.source = options.sourceForRate(this.rate);
    this.damage = {
      seed: 1,
      badCrcRate: 0,
      dropRate: 0,
      garbageRate: 0,
      unknownTypeRate: 0,
      badLengthRate: 0,
      splitWrites: false,
      splitWriteMaxBytes: 7,
      ...options.damage,
    };
  }

  /** Current rate, Hz. */
  get rateHz(): Ecg12RateHz {
    return this.rate;
  }

  /** Whether SAMPLES frames are being sent. */
  get isStreaming(): boolean {
    return this.streaming;
  }

  /** Power-up: stopped, 500 Hz, LOG frames, first STATUS. */
  powerUp(nowMs: number): void {
    this.powerUpMs = nowMs;
    this.nextStatusMs = nowMs;
    this.send(encodeLogFrame(`${this.options.firmware ?? '1.2.0'} boot: self-test ok`));
    this.send(encodeLogFrame(`serial ${this.serial}, ${this.rate} Hz`));
    this.tick(nowMs);
  }

  /** Bytes the host wrote (command lines). */
  receive(bytes: Uint8Array, nowMs: number): void {
    this.lineBuffer += Buffer.from(bytes).toString('latin1');
    for (let end = this.lineBuffer.indexOf('\n'); end >= 0; end = this.lineBuffer.indexOf('\n')) {
      const raw = this.lineBuffer.slice(0, end);
      this.lineBuffer = this.lineBuffer.slice(end + 1);
      this.command(raw.endsWith('\r') ? raw.slice(0, -1) : raw, nowMs);
    }
    if (this.lineBuffer.length > 256) this.lineBuffer = '';
  }

  /** Sends whatever is due at `nowMs`: SAMPLES frames since START, STATUS. */
  tick(nowMs: number): void {
    if (this.streaming) {
      const k = setsPerFrame(this.rate);
      const due = Math.floor(((nowMs - this.runStartMs) * this.rate) / 1000 / k);
      while (this.framesProduced < due) this.produceFrame(k);
    }
    if (nowMs >= this.nextStatusMs) {
      const interval = this.options.statusIntervalMs ?? 1000;
      this.nextStatusMs = nowMs + interval - ((nowMs - this.powerUpMs) % interval);
      const battery = Math.max(5, 100 - Math.floor((nowMs - this.powerUpMs) / 600_000));
      this.send(
        encodeStatusFrame(battery, this.streaming ? StatusFlag.streaming : 0, this.leadOffMask(this.lastSet)),
      );
    }
  }

  /** Electrodes off at set `index`: the configured mask and what the source plays (lead-off episodes). */
  private leadOffMask(index: number): number {
    const played = this.streaming && index >= 0 ? (this.source.electrodesOffMask?.(index) ?? 0) : 0;
    return (this.options.leadOffMask ?? 0) | played;
  }

  private get serial(): string {
    return this.options.serial ?? 'ECG-12345';
  }

  private command(line: string, nowMs: number): void {
    const [verb, argument, extra] = line.split(' ');
    if (line === 'ID?') {
      this.send(
        encodeInfoFrame({
          model: 'ECG-12',
          serial: this.serial,
          fw: this.options.firmware ?? '1.2.0',
          rate: this.rate,
          lsb_nV: this.options.lsbNanovolts ?? 476.84,
          channels: ['I', 'II', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'],
        }),
      );
      this.ack(AckStatus.ok, line);
    } else if (verb === 'RATE' && extra === undefined) {
      const hz = Number(argument);
      if (this.streaming) this.ack(AckStatus.busy, line);
      else if (!isSupportedRate(hz) || argument !== String(hz)) this.ack(AckStatus.badArgument, line);
      else {
        this.rate = hz;
        this.source = this.options.sourceForRate(hz);
        this.ack(AckStatus.ok, line);
      }
    } else if (line === 'START') {
      this.ack(AckStatus.ok, line);
      this.streaming = true;
      this.run++;
      this.runStartMs = nowMs;
      this.framesProduced = 0;
      this.lastSet = -1;
    } else if (line === 'STOP') {
      this.tick(nowMs);
      this.streaming = false;
      this.ack(AckStatus.ok, line);
    } else if (line === 'PING') {
      this.ack(AckStatus.ok, line);
    } else {
      this.ack(AckStatus.unknownCommand, line);
    }
  }

  private ack(status: number, line: string): void {
    this.send(encodeAckFrame(status, line));
  }

  private produceFrame(k: number): void {
    const seq = ((this.options.firstSeq ?? 0) + this.framesProduced) >>> 0;
    const firstIndex = this.framesProduced * k;
    this.framesProduced++;
    for (let i = 0; i < k; i++) this.source.fill(firstIndex + i, this.counts, i * CHANNEL_COUNT);
    this.lastSet = firstIndex + k - 1;
    const frame = encodeSamplesFrame(seq, this.leadOffMask(this.lastSet), this.counts, k);
    const d = this.damage;
    const roll = (salt: number): number => unitRandom(d.seed, this.run * 16 + salt, seq);
    if (roll(1) < d.garbageRate) this.send(this.garbage(seq));
    if (roll(2) < d.unknownTypeRate)
      this.send(encodeFrame(0x10 + (hash3(d.seed, 3, seq) % 0x60), Uint8Array.of(seq & 0xff, 0xa5, 0x5a)));
    if (roll(4) < d.badLengthRate) this.send(Uint8Array.of(0xa5, 0x5a, 0x01, 0xff, 0x7f));
    let fate: SimulatedFrame['fate'] = 'sent';
    if (roll(5) < d.dropRate) fate = 'dropped';
    else if (roll(6) < d.badCrcRate) {
      fate = 'corrupted';
      const at = 5 + (hash3(d.seed, 7, seq) % (frame.length - 7));
      frame[at]! ^= 1 + (hash3(d.seed, 8, seq) % 255);
    }
    if (fate !== 'dropped') this.send(frame);
    this.options.onFrame?.({ run: this.run, seq, firstIndex, setCount: k, fate });
  }

  private garbage(seq: number): Uint8Array {
    const seed = this.damage.seed;
    const bytes = new Uint8Array(1 + (hash3(seed, 9, seq) % 32));
    for (let i = 0; i < bytes.length; i++) bytes[i] = hash3(seed, 10 + i, seq) & 0xff;
    return bytes;
  }

  private send(bytes: Uint8Array): void {
    if (!this.damage.splitWrites) {
      this.write(bytes);
      return;
    }
    let at = 0;
    for (let piece = 0; at < bytes.length; piece++) {
      const size =
        1 + (hash3(this.damage.seed, 11, bytes.length * 131 + piece) % this.damage.splitWriteMaxBytes);
      this.write(bytes.subarray(at, Math.min(bytes.length, at + size)));
      at += size;
    }
  }
}
