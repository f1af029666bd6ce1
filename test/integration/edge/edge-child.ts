/**
 * A real edge gateway process (`node --import tsx main/edge/cli.ts`) on a free loopback port with its own data
 * folder, for tests that must see whether an input ends the process. `raw` sends bytes over TCP
 * and resolves with whatever came back once the server closes or goes quiet.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureUiBuilt } from '../../../main/edge/build-ui.js';

export interface EdgeChild {
  /** The printed URL (with `?token=` when one was given). */
  url: string;
  port: number;
  /** True while the process has not exited. */
  alive(): boolean;
  /** Everything the process printed so far. */
  output(): string;
  stop(): Promise<void>;
}

/** Starts the edge CLI and waits for the line with its URL. */
export async function startEdgeChild(args: string[] = []): Promise<EdgeChild> {
  ensureUiBuilt(() => undefined);
  const dataDir = mkdtempSync(join(tmpdir(), 'pulsewatch-edge-child-'));
  // one process (`node --import tsx`), not the tsx CLI's wrapper: SIGKILL must reach the gateway
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'main/edge/cli.ts', '--port', '0', '--data-dir', dataDir, ...args],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '', HOME: dataDir } },
  );
  let output = '';
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const onData = () => {
      const match = /serving its UI at (\S+)/.exec(output);
      if (match?.[1] !== undefined) resolve(match[1]);
    };
    child.stdout?.on('data', onData);
    void exit.then(() => reject(new Error(`edge child exited before listening:\n${output}`)));
  });
  return {
    url,
    port: Number(new URL(url).port),
    alive: () => !exited,
    output: () => output,
    stop: async () => {
      if (!exited) child.kill('SIGKILL');
      await exit;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Writes `bytes` to 127.0.0.1:`port` and ends the write side; resolves with the reply once the
 * server closes or a full header block has arrived (a 101 keeps the socket open). `giveUpMs` only
 * bounds a request the server legitimately waits on; no assertion depends on it.
 */
export function raw(port: number, bytes: Uint8Array | string, giveUpMs = 10_000): Promise<string> {
  return new Promise((resolve) => {
    let reply = '';
    const socket = connect(port, '127.0.0.1');
    const timer = setTimeout(() => socket.destroy(), giveUpMs);
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      if (reply.includes('\r\n\r\n')) socket.destroy();
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(reply);
    });
    socket.write(bytes, () => socket.end());
  });
}
