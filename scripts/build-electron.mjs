#!/usr/bin/env node
// Bundles the Electron shell: main/electron/main.ts -> dist/electron/main.cjs and
// preload/index.ts -> dist/electron/preload.cjs (a sandboxed preload must be one CommonJS file).
// Native modules stay external: electron-builder packs and rebuilds them for Electron's ABI.
import { build } from 'esbuild';

const external = [
  'electron',
  'better-sqlite3',
  'serialport',
  '@serialport/*',
  '@abandonware/noble',
  '@abandonware/*',
  'usb',
];
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  sourcemap: true,
  logLevel: 'warning',
  external,
};

await build({ ...common, entryPoints: ['main/electron/main.ts'], outfile: 'dist/electron/main.cjs' });
await build({ ...common, entryPoints: ['preload/index.ts'], outfile: 'dist/electron/preload.cjs' });
console.log('built dist/electron/main.cjs and dist/electron/preload.cjs');
