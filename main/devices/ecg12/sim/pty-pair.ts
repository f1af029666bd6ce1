/**
 * A pseudo-terminal for the simulator (spec §6), made by a small Python helper (`pty.openpty()`)
 * because Node cannot allocate one without a native module. The helper sets the terminal raw,
 * prints the slave path on stderr, optionally points a stable symlink at it, and relays bytes:
 * our `write()` → master → whoever opened the slave path (the host); the host's writes → `onData`.
 * {@link PseudoTerminal.close} kills the helper, which hangs up the slave: to the host it looks
 * like a USB unplug.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

const HELPER = String.raw`
import os, pty, select, sys, tty
master, slave = pty.openpty()
tty.setraw(slave)
tty.setraw(master)
name = os.ttyname(slave)
link = sys.argv[1] if len(sys.argv) > 1 else ''
if link:
    tmp = link + '.tmp' + str(os.getpid())
    os.symlink(name, tmp)
    os.replace(tmp, link)
sys.stderr.write('PTY ' + name + '\n')
sys.stderr.flush()
while True:
    ready, _, _ = select.select([0, master], [], [])
    if 0 in ready:
        data = os.read(0, 65536)
        if not data:
            break
        view = memoryview(data)
        while view:
            view = view[os.write(master, view):]
    if master in ready:
        try:
            data = os.read(master, 65536)
        except OSError:
            data = b''
        if data:
            os.write(1, data)
`;

/** Thrown when the helper cannot start (no python3, no pty support). */
export class PtyError extends Error {
  readonly code = 'pty_unavailable';
  constructor(message: string) {
    super(message);
    this.name = 'PtyError';
  }
}

/** One pseudo-terminal; see the file comment. */
export class PseudoTerminal {
  private exited = false;
  private readonly exitPromise: Promise<void>;

  private constructor(
    private readonly child: ChildProcessByStdio<Writable, Readable, Readable>,
    /** The slave device path, e.g. `/dev/pts/7`. */
    readonly slavePath: string,
    /** The symlink pointing at it, when one was asked for. */
    readonly linkPath: string | undefined,
  ) {
    this.exitPromise = new Promise((resolve) => child.once('exit', () => resolve()));
    child.once('exit', () => (this.exited = true));
    child.stdin.on('error', () => undefined);
  }

  /** The path a host should open: the symlink if any, else the slave path. */
  get path(): string {
    return this.linkPath ?? this.slavePath;
  }

  /** Starts a helper; `linkPath` (optional) becomes a symlink to the slave, replaced atomically. */
  static open(linkPath?: string, python = process.env.PYTHON ?? 'python3'): Promise<PseudoTerminal> {
    const child = spawn(python, ['-c', HELPER, ...(linkPath === undefined ? [] : [linkPath])], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    return new Promise((resolve, reject) => {
      let stderr = '';
      const onStderr = (chunk: Buffer): void => {
        stderr += chunk.toString('utf8');
        const match = /^PTY (\S+)\n/m.exec(stderr);
        if (match === null) return;
        child.stderr.off('data', onStderr);
        resolve(new PseudoTerminal(child, match[1]!, linkPath));
      };
      child.stderr.on('data', onStderr);
      child.once('error', (error) =>
        reject(new PtyError(`cannot start ${python} for a pseudo-terminal: ${error.message}`)),
      );
      child.once('exit', (code) =>
        reject(new PtyError(`pseudo-terminal helper exited (${code}): ${stderr.trim()}`)),
      );
    });
  }

  /** Bytes to the host. Ignored once closed. */
  write(bytes: Uint8Array): void {
    if (!this.exited) this.child.stdin.write(bytes);
  }

  /** Bytes from the host. */
  onData(listener: (bytes: Uint8Array) => void): void {
    this.child.stdout.on('data', listener);
  }

  /** Whether the helper has exited. */
  get isClosed(): boolean {
    return this.exited;
  }

  /** Kills the helper (the host sees a hang-up, as on unplug); resolves when it has exited. */
  async close(): Promise<void> {
    if (!this.exited) this.child.kill('SIGKILL');
    await this.exitPromise;
  }
}
