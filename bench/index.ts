/**
 * Benchmark runner: `npm run bench -- NAME [options]`; `npm run bench` alone lists them.
 *
 * Each benchmark is `bench/NAME.ts` exporting `run(args: string[]): Promise<void>`; it prints
 * its inputs and detail lines and, as its last line, one JSON object of headline figures
 * with the keys and units listed in ../shared/BENCH.md.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = dirname(fileURLToPath(import.meta.url));

function available(): string[] {
  return readdirSync(benchDir)
    .filter((f) => f.endsWith('.ts') && f !== 'index.ts' && !f.startsWith('_'))
    .map((f) => f.slice(0, -3))
    .sort();
}

async function main(): Promise<void> {
  const [name, ...args] = process.argv.slice(2);
  const names = available();
  if (name === undefined) {
    console.log(`usage: npm run bench -- NAME [options]\nbenchmarks: ${names.join(', ')}`);
    return;
  }
  if (!names.includes(name)) {
    console.error(`usage: npm run bench -- NAME [options]\nbenchmarks: ${names.join(', ')}`);
    process.exitCode = 2;
    return;
  }
  const mod = (await import(join(benchDir, `${name}.ts`))) as { run: (args: string[]) => Promise<void> };
  try {
    await mod.run(args);
  } catch (error) {
    // a bad option or a missing data folder is the user's to fix: say what, not where in the code
    console.error(`bench ${name}: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}

await main();
