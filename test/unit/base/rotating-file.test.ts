import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RotatingFile } from '../../../main/base/rotating-file.js';
import { openGatewayLog } from '../../../main/base/log.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pulsewatch-log-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('RotatingFile', () => {
  it('rotates at its size limit and keeps only the newest files', () => {
    const dir = tempDir();
    const file = new RotatingFile(dir, 'gateway', { maxBytes: 1024, keep: 2 });
    const line = `${'x'.repeat(99)}\n`; // 100 bytes
    for (let i = 0; i < 55; i += 1) file.write(line);
    file.close();
    expect(file.files().map((p) => p.slice(dir.length + 1))).toEqual([
      'gateway.log',
      'gateway.1.log',
      'gateway.2.log',
    ]);
    for (const path of file.files()) expect(statSync(path).size).toBeLessThanOrEqual(1024);
    // 55 lines, 10 per full file: the newest 25 survive (5 + 10 + 10), the oldest 30 are gone
    const kept = file.files().reduce((n, p) => n + readFileSync(p, 'utf8').split('\n').length - 1, 0);
    expect(kept).toBe(25);
  });

  it('drops a line it cannot write (folder removed) without throwing, and writes again later', () => {
    const dir = tempDir();
    const logDir = join(dir, 'logs');
    const file = new RotatingFile(logDir, 'gateway', { maxBytes: 1024 });
    file.write('one\n');
    rmSync(logDir, { recursive: true, force: true });
    expect(() => file.write('two\n')).not.toThrow();
    file.write('three\n');
    file.close();
    expect(readFileSync(file.currentPath, 'utf8')).toContain('three');
  });

  it('refuses nonsense limits', () => {
    expect(() => new RotatingFile(tempDir(), 'g', { maxBytes: 10 })).toThrow(RangeError);
  });
});

describe('the gateway log', () => {
  it('writes JSON lines and redacts patient fields even when an object is logged whole', () => {
    const dir = tempDir();
    const { logger, file } = openGatewayLog(dir, { gatewayId: 'g-1' });
    logger.info(
      {
        patient: { studyCode: 'P-SECRET', identity: { name: 'Jane Roe' } },
        studyCode: 'P-SECRET2',
        note: 'chest pain',
      },
      'oops',
    );
    file.close();
    const text = readFileSync(file.currentPath, 'utf8');
    const line = JSON.parse(text.trim()) as Record<string, unknown>;
    expect(line.msg).toBe('oops');
    expect(line.gatewayId).toBe('g-1');
    expect(text).not.toMatch(/P-SECRET|Jane|chest/);
  });
});
