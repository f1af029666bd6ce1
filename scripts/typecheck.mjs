#!/usr/bin/env node
// Type-checks each runtime with its own tsconfig, so a stray `Buffer` in server-contract/ or a
// `window` in main/ is a compile error: contract (no Node, no DOM), preload (DOM), the Electron
// preload, main (Node), server (Node), renderer (DOM, JSX), and tests/benchmarks.
import { spawnSync } from 'node:child_process';

const projects = ['contract', 'preload', 'preload-electron', 'main', 'server', 'renderer', 'test'];
let failed = 0;
for (const project of projects) {
  const result = spawnSync('npx', ['tsc', '-p', `tsconfig.${project}.json`], { stdio: 'inherit' });
  console.log(`typecheck ${project}: ${result.status === 0 ? 'ok' : 'FAILED'}`);
  if (result.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
