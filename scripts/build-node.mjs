#!/usr/bin/env node
// Compiles the two Node programs IT runs in production to plain JavaScript, so production starts
// them with `node` and needs neither tsx nor esbuild at run time:
//   server/cli.ts                  -> dist/server/cli.js          (node dist/server/cli.js [command])
//   server/ingest/decode-worker.ts -> dist/server/decode-worker.js (the decode pool's worker)
//   server/ingest/decode-worker-boot.mjs is copied beside them (it imports the .js worker as is)
//   main/edge/cli.ts               -> dist/edge/cli.js            (node dist/edge/cli.js [options])
// Our own code (server/, main/, server-contract/, preload/) is bundled; packages in node_modules stay
// external and are resolved at run time, so native modules (better-sqlite3, serialport) load from
// node_modules as built by `npm ci`. The decode pool finds its worker beside its own module
// (import.meta.url), which in the bundle is dist/server/cli.js: hence the flat dist/server/ folder.
// `--outdir DIR` (default dist) builds elsewhere; DIR must lie inside the repository so that the
// bundles still find node_modules.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { outdir: { type: 'string', default: 'dist' } } });
const serverDir = join(values.outdir, 'server');
const edgeDir = join(values.outdir, 'edge');

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
};

rmSync(serverDir, { recursive: true, force: true });
rmSync(edgeDir, { recursive: true, force: true });
await build({
  ...common,
  entryPoints: { cli: 'server/cli.ts', 'decode-worker': 'server/ingest/decode-worker.ts' },
  outdir: serverDir,
});
mkdirSync(serverDir, { recursive: true });
copyFileSync('server/ingest/decode-worker-boot.mjs', join(serverDir, 'decode-worker-boot.mjs'));
await build({ ...common, entryPoints: { cli: 'main/edge/cli.ts' }, outdir: edgeDir });
console.log(`built ${serverDir}/cli.js, ${serverDir}/decode-worker.js and ${edgeDir}/cli.js`);
