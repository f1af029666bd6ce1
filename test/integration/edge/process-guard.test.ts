/**
 * The edge process guard: a child process that throws from a timer and leaves a rejection
 * unhandled keeps running (and logs both) with the guard, and dies without it.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function runChild(guarded: boolean) {
  const script = `
    ${guarded ? "const { installProcessGuard } = await import('./main/edge/process-guard.ts'); installProcessGuard();" : ''}
    setTimeout(() => { throw new Error('boom from a timer'); }, 0);
    void Promise.reject(new Error('nobody caught me'));
    setTimeout(() => { console.log('still running'); }, 50);
  `;
  const result = spawnSync(join('node_modules', '.bin', 'tsx'), ['--eval', script, '--input-type=module'], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, out: `${result.stdout}${result.stderr}` };
}

describe('installProcessGuard', () => {
  it('keeps the process running after an uncaught exception and an unhandled rejection, logging both', () => {
    const guarded = runChild(true);
    expect(guarded.out).toContain('still running');
    expect(guarded.out).toContain('uncaught exception (the gateway keeps running): Error: boom from a timer');
    expect(guarded.out).toContain('unhandled rejection (the gateway keeps running): Error: nobody caught me');
    expect(guarded.status).toBe(0);
  });

  it('is what keeps it alive: the same child without the guard exits with an error', () => {
    const bare = runChild(false);
    expect(bare.out).not.toContain('still running');
    expect(bare.status).not.toBe(0);
  });
});
