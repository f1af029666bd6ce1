/**
 * The client side of one export of the export benchmark: starts the server child, downloads the
 * export through the real HTTP route with a streaming client that only counts bytes (or writes
 * them, for `--out`), and collects the child's figures. The client runs in the bench process, so
 * the child's memory and CPU time are the server's alone.
 */
import { fork } from 'node:child_process';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { get, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { unzipSync } from 'fflate';
import {
  CHILD_ENV,
  type ChildCommand,
  type ChildFigures,
  type ChildJob,
  type ChildReady,
} from './_export-child.js';
import { withProductionRuntime } from '../server/ops/runtime-env.js';

export type ExportFormat = 'csv' | 'wfdb' | 'edf' | 'fhir';

/** How children start: the bundled file in plain node, or the TypeScript entry through tsx. */
export interface ChildLauncher {
  entry: string;
  execArgv: string[];
}

export interface ExportRequest {
  format: ExportFormat;
  recordingId: string;
  /** Write the export up to `outToMs` to this folder instead of only counting its bytes. */
  out?: string;
  outToMs?: number;
}

export interface ExportResult extends ChildFigures {
  dialect: string;
  format: ExportFormat;
  bytes: number;
  /** Wall time of the download, first request byte to last response byte. */
  ms: number;
}

function exportPath(r: ExportRequest): string {
  const q = new URLSearchParams({ format: r.format, recordingId: r.recordingId });
  if (r.format === 'csv') q.set('series', 'ecg');
  if (r.outToMs !== undefined) q.set('toMs', String(r.outToMs));
  return `/v1/exports?${q.toString()}`;
}

function open(port: number, path: string, token: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path, headers: { authorization: `Bearer ${token}` } }, (res) => {
      if (res.statusCode === 200) resolve(res);
      else reject(new Error(`export answered ${res.statusCode}`));
    }).on('error', reject);
  });
}

/** Downloads the export; returns its byte count. */
async function download(ready: ChildReady, r: ExportRequest): Promise<number> {
  const res = await open(ready.port, exportPath(r), ready.token);
  let bytes = 0;
  res.on('data', (piece: Buffer) => (bytes += piece.length));
  if (r.out === undefined) {
    res.resume();
    await new Promise((resolve, reject) => res.on('end', resolve).on('error', reject));
  } else if (r.format !== 'wfdb') {
    const name = `recording.${r.format === 'fhir' ? 'fhir.json' : r.format}`;
    await pipeline(res, createWriteStream(join(r.out, name)));
  } else {
    const parts: Buffer[] = [];
    res.on('data', (piece: Buffer) => parts.push(piece));
    await new Promise((resolve, reject) => res.on('end', resolve).on('error', reject));
    mkdirSync(r.out, { recursive: true });
    for (const [name, data] of Object.entries(unzipSync(Buffer.concat(parts))))
      writeFileSync(join(r.out, name), data);
  }
  return bytes;
}

/** One export in a fresh server child (so one export's heap does not inflate the next one's figure). */
export async function exportOnce(
  launcher: ChildLauncher,
  job: ChildJob,
  heapMb: number | undefined,
  r: ExportRequest,
): Promise<ExportResult> {
  const heap = heapMb === undefined ? [] : [`--max-old-space-size=${heapMb}`];
  const proc = fork(launcher.entry, [], {
    execArgv: [...launcher.execArgv, ...heap],
    // the runtime settings production runs with (server/ops/runtime-env.ts)
    env: { ...withProductionRuntime(process.env), [CHILD_ENV]: JSON.stringify(job) },
  });
  const exited = new Promise<never>((_, reject) => {
    proc.on('error', reject);
    proc.on('exit', (code) => reject(new Error(`export child exited ${code} before it answered`)));
  });
  const next = <T>(kind: string) =>
    Promise.race([
      new Promise<T>((resolve) => {
        const onMessage = (m: { kind: string }) => {
          if (m.kind !== kind) return;
          proc.off('message', onMessage);
          resolve(m as T);
        };
        proc.on('message', onMessage);
      }),
      exited,
    ]);
  const send = (c: ChildCommand) => proc.send(c);
  try {
    const ready = await next<ChildReady>('ready');
    send({ kind: 'start' });
    await next('started');
    const started = performance.now();
    const bytes = await Promise.race([download(ready, r), exited]);
    const ms = performance.now() - started;
    send({ kind: 'stop' });
    const figures = await next<ChildFigures>('figures');
    return { ...figures, dialect: job.dialect, format: r.format, bytes, ms };
  } finally {
    exited.catch(() => undefined);
    if (proc.exitCode === null) proc.kill();
  }
}
