/**
 * Makes sure the renderer is built (so `npm run edge` works straight after `npm ci`), and built
 * again when its sources changed (after a pull): a page built against an older contract refuses
 * what the newer core sends.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const builtUiDir = join(repoRoot, 'dist', 'renderer');

/** Sources of the gateway UI: the renderer, the gateway API contract and the HTTP contract it uses. */
const UI_SOURCES = ['renderer', 'preload', 'server-contract'];

function newestMtimeMs(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtimeMs(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Is the build whose entry is `index` missing, or older than any file under `sourceDirs` (repo-relative)? */
export function buildIsStale(index: string, sourceDirs: readonly string[]): boolean {
  if (!existsSync(index)) return true;
  const sources = Math.max(...sourceDirs.map((dir) => newestMtimeMs(join(repoRoot, dir))));
  return statSync(index).mtimeMs < sources;
}

/** Builds the UI with Vite when it is missing or older than its sources. */
export function ensureUiBuilt(log: (line: string) => void = console.log): string {
  if (!buildIsStale(join(builtUiDir, 'index.html'), UI_SOURCES)) return builtUiDir;
  log('edge: building the UI (vite build)…');
  const result = spawnSync(
    'npx',
    ['vite', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'],
    {
      cwd: repoRoot,
      stdio: 'inherit',
    },
  );
  if (result.status !== 0) throw new Error('edge: building the UI failed');
  return builtUiDir;
}
