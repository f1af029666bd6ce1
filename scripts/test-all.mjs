#!/usr/bin/env node
// Runs every test suite (Vitest: unit, integration, contract types; Playwright: e2e in
// Chromium), streams their output, and ends with one line `N passed, N failed, N skipped`
// counting every test that ran. Exits non-zero when any suite failed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const outDir = resolve('test-results', 'summary');
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
const extra = process.argv.slice(2);

function run(label, command, args, env = {}) {
  console.log(`\n=== ${label}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return result.status ?? 1;
}

const totals = { passed: 0, failed: 0, skipped: 0 };
let exitCode = 0;

const vitestJson = join(outDir, 'vitest.json');
const vitestStatus = run('vitest', 'npx', [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${vitestJson}`,
  ...extra,
]);
if (existsSync(vitestJson)) {
  const report = JSON.parse(readFileSync(vitestJson, 'utf8'));
  totals.passed += report.numPassedTests ?? 0;
  totals.failed += report.numFailedTests ?? 0;
  totals.skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  if (vitestStatus !== 0 && (report.numFailedTests ?? 0) === 0) totals.failed += 1; // a suite that failed to load
} else {
  console.log(`vitest wrote no report at ${vitestJson}: counted as a failure`);
  totals.failed += 1;
}
if (vitestStatus !== 0) exitCode = 1;

if (extra.length === 0 && existsSync('test/e2e/playwright.config.ts')) {
  const pwJson = join(outDir, 'playwright.json');
  const pwStatus = run(
    'playwright',
    'npx',
    ['playwright', 'test', '-c', 'test/e2e/playwright.config.ts', '--reporter=list,json'],
    {
      PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson,
    },
  );
  if (existsSync(pwJson)) {
    const stats = JSON.parse(readFileSync(pwJson, 'utf8')).stats ?? {};
    totals.passed += (stats.expected ?? 0) + (stats.flaky ?? 0);
    totals.failed += stats.unexpected ?? 0;
    totals.skipped += stats.skipped ?? 0;
    if (pwStatus !== 0 && (stats.unexpected ?? 0) === 0) totals.failed += 1;
  } else {
    console.log(`playwright wrote no report at ${pwJson}: counted as a failure`);
    totals.failed += 1;
  }
  if (pwStatus !== 0) exitCode = 1;
}

console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(exitCode);
