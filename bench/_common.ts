/** Helpers shared by the benchmarks: option parsing, data folder lookup, the headline line. */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Parses `--key value` and `--flag` options into a map. */
export function parseOptions(args: string[]): Map<string, string> {
  const options = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}`);
    const next = args[i + 1];
    if (next !== undefined && !next.startsWith('--')) {
      options.set(arg.slice(2), next);
      i++;
    } else {
      options.set(arg.slice(2), 'true');
    }
  }
  return options;
}

/**
 * A comma-separated list of sample rates (`--rates 80,128,250`; `--rates ''` for none), Hz, from
 * the option `key` (default `rates`); a value that is not a positive number is refused in words.
 */
export function rateList(options: Map<string, string>, fallback: string, key = 'rates'): number[] {
  const text = options.get(key) ?? fallback;
  return text
    .split(',')
    .map((r) => r.trim())
    .filter((r) => r !== '')
    .map((r) => {
      const hz = Number(r);
      if (!Number.isFinite(hz) || hz <= 0)
        throw new Error(
          `--${key} takes sample rates in Hz separated by commas (e.g. 80,128,250), not "${text}"`,
        );
      return hz;
    });
}

/**
 * The reference data root: `PULSEWATCH_DATA`, else `../shared/data` beside the repository.
 * Returns undefined when absent, so callers can say so.
 */
export function dataRoot(): string | undefined {
  const candidates = [process.env.PULSEWATCH_DATA, join(repoRoot, '..', 'shared', 'data')];
  return candidates.find((c): c is string => c !== undefined && c !== '' && existsSync(c));
}

/** The folder of one database (`mitdb`, `ludb`, …), or the `--data` override. */
export function databaseDir(options: Map<string, string>, database: string): string {
  const override = options.get('data');
  if (override !== undefined) {
    if (!existsSync(override)) throw new Error(`--data ${override}: no such folder`);
    return resolve(override);
  }
  const root = dataRoot();
  if (root === undefined) {
    throw new Error(
      `reference data not found: set PULSEWATCH_DATA or pass --data (looked for ../shared/data/${database})`,
    );
  }
  return join(root, database);
}

/** Rounds to one decimal; a figure that is not a number (no beats to score) prints as −1. */
export function round1(x: number): number {
  return Number.isFinite(x) ? Math.round(x * 10) / 10 : -1;
}

/** Rounds to two decimals (the headline's percentages). */
export function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Prints the headline figures as the benchmark's last line. */
export function printHeadline(figures: Record<string, number | string>): void {
  console.log(JSON.stringify(figures));
}
