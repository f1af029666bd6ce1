/**
 * A log file that rotates by size: `gateway.log` is written until it would pass `maxBytes`, then
 * renamed `gateway.1.log` (the older ones shift up to `gateway.<keep>.log`, the oldest deleted)
 * and a new `gateway.log` started. Writes are synchronous appends: the gateway logs state
 * changes and faults (a few lines a minute), never samples, and a line written before a crash is
 * on disk. A file removed behind its back is created again. A write that fails (disk full, folder removed) is dropped, never thrown: logging must
 * not stop a recording.
 */
import {
  closeSync,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';

export interface RotatingFileOptions {
  /** Size at which the file rotates (default 5 MB). */
  maxBytes?: number;
  /** Rotated files kept besides the current one (default 5). */
  keep?: number;
}

export class RotatingFile {
  private fd: number | undefined;
  private sizeBytes = 0;
  private readonly maxBytes: number;
  private readonly keep: number;
  /** Lines that could not be written (disk full, folder gone). */
  failedWrites = 0;

  constructor(
    readonly dir: string,
    readonly baseName: string,
    options: RotatingFileOptions = {},
  ) {
    this.maxBytes = options.maxBytes ?? 5_000_000;
    this.keep = options.keep ?? 5;
    if (!(this.maxBytes >= 1024) || !(this.keep >= 1)) {
      throw new RangeError('RotatingFile: maxBytes must be at least 1024 and keep at least 1');
    }
  }

  /** Path of the file being written. */
  get currentPath(): string {
    return join(this.dir, `${this.baseName}.log`);
  }

  /** Path of rotated file `n` (1 = newest). */
  rotatedPath(n: number): string {
    return join(this.dir, `${this.baseName}.${n}.log`);
  }

  /** The files of this log, newest first, that exist now. */
  files(): string[] {
    const all = [this.currentPath];
    for (let n = 1; n <= this.keep; n += 1) all.push(this.rotatedPath(n));
    return all.filter((path) => existsSync(path));
  }

  /** Appends `line` (pino's destination interface). */
  write(line: string): boolean {
    try {
      const bytes = Buffer.byteLength(line);
      if (this.fd !== undefined && this.sizeBytes > 0 && this.sizeBytes + bytes > this.maxBytes)
        this.rotate();
      const fd = this.open();
      writeSync(fd, line);
      this.sizeBytes += bytes;
    } catch {
      this.failedWrites += 1;
      this.closeFd();
    }
    return true;
  }

  close(): void {
    this.closeFd();
  }

  private open(): number {
    // a file removed behind our back (folder deleted, external cleanup) is opened again
    if (this.fd !== undefined && fstatSync(this.fd).nlink > 0) return this.fd;
    this.closeFd();
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const fd = openSync(this.currentPath, 'a', 0o600);
    this.fd = fd;
    this.sizeBytes = fstatSync(fd).size;
    return fd;
  }

  private rotate(): void {
    this.closeFd();
    rmSync(this.rotatedPath(this.keep), { force: true });
    for (let n = this.keep - 1; n >= 1; n -= 1) {
      if (existsSync(this.rotatedPath(n))) renameSync(this.rotatedPath(n), this.rotatedPath(n + 1));
    }
    if (existsSync(this.currentPath)) renameSync(this.currentPath, this.rotatedPath(1));
    this.sizeBytes = 0;
  }

  private closeFd(): void {
    if (this.fd === undefined) return;
    try {
      closeSync(this.fd);
    } catch {
      // already gone
    }
    this.fd = undefined;
  }
}
