/**
 * Backup and restore tell IT what they are doing: progress events as they go and a summary (file,
 * bytes, tables with rows, duration) that matches what was actually copied — on SQLite, on a real
 * PostgreSQL with pg_dump/pg_restore, and as the CLI prints them.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { backupPostgres, backupSqlite, restorePostgres, restoreSqlite } from '../../../server/ops/backup.js';
import { formatProgress, formatSummary, type BackupProgress } from '../../../server/ops/backup-progress.js';
import { openPostgresStore } from '../../../server/store/postgres.js';
import { openSqliteStore } from '../../../server/store/sqlite.js';
import { startPostgres } from './embedded-pg.js';
import {
  createPatientAndRecording,
  encoded,
  enrollGateway,
  hrChunk,
  putChunk,
  staffToken,
  startTestServer,
} from './harness.js';
import type { Store } from '../../../server/store/store.js';

const dir = mkdtempSync(join(tmpdir(), 'pulsewatch-backup-progress-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Uploads `chunks` one-minute heart-rate chunks (60 rows each) through a real app on `store`. */
async function upload(store: Store, chunks: number): Promise<void> {
  const t = await startTestServer({ store });
  const gw = await enrollGateway(t, await staffToken(t, 'admin'));
  const { recordingId } = await createPatientAndRecording(t, gw.token);
  for (let i = 0; i < chunks; i++) {
    const { bytes, sha256 } = encoded(hrChunk(recordingId, i));
    expect((await putChunk(t, gw.token, recordingId, 'hr', i, bytes, sha256)).status).toBe(201);
  }
  await t.close();
}

const rowsOf = (tables: { table: string; rows: number }[], name: string) =>
  tables.find((t) => t.table === name)?.rows;

describe('SQLite backup and restore progress', () => {
  it('reports each step and a summary counting the rows it copied', async () => {
    const dbPath = join(dir, 'sqlite', 'pulsewatch.sqlite'); // the CLI test below backs up this data folder
    const store = await openSqliteStore(dbPath);
    await upload(store, 4);
    await store.close();
    const events: BackupProgress[] = [];
    const backup = await backupSqlite(dbPath, join(dir, 'sqlite-backups'), {
      onProgress: (p) => events.push(p),
    });
    expect(events[0]).toMatchObject({ step: 'copy', unit: 'pages' });
    const compress = events.filter((e) => e.step === 'compress');
    expect(compress.at(-1)).toMatchObject({ done: backup.databaseBytes, total: backup.databaseBytes });
    expect(compress.map((e) => e.done)).toEqual([...compress.map((e) => e.done)].sort((a, b) => a - b));
    expect(backup.fileBytes).toBe(statSync(backup.file).size);
    expect(backup.databaseBytes).toBe(statSync(dbPath).size);
    expect(rowsOf(backup.tables, 'chunks')).toBe(4);
    expect(rowsOf(backup.tables, 'hr_rows')).toBe(240);
    expect(backup.rowsExact).toBe(true);

    const restoredEvents: BackupProgress[] = [];
    const restored = await restoreSqlite(backup.file, join(dir, 'sqlite-restored', 'db.sqlite'), false, {
      onProgress: (p) => restoredEvents.push(p),
    });
    expect(restoredEvents.map((e) => e.step)).toContain('decompress');
    expect(restoredEvents.map((e) => e.step)).toContain('check');
    expect(restored.tables).toEqual(backup.tables);
    expect(restored.file).toBe(backup.file);
    const summary = formatSummary('restore', restored).join('\n');
    expect(summary).toMatch(/^restore done in \d+\.\d s: /);
    expect(summary).toMatch(/hr_rows +240/);
  });

  it('refuses a damaged backup file with a clear error and leaves no half-restored database', async () => {
    const bad = join(dir, 'pulsewatch-bad.sqlite.gz');
    writeFileSync(bad, 'not gzip at all');
    const target = join(dir, 'bad-restore', 'db.sqlite');
    await expect(restoreSqlite(bad, target)).rejects.toMatchObject({ code: 'backup_failed' });
    expect(existsSync(target)).toBe(false);
    expect(existsSync(join(dir, 'bad-restore', '.db.sqlite.restore'))).toBe(false);
  });

  it('prints progress lines and the summary from the CLI', () => {
    const env = { PATH: process.env.PATH ?? '', HOME: dir, PULSEWATCH_DATA_DIR: join(dir, 'sqlite') };
    const tsx = join('node_modules', '.bin', 'tsx');
    const backup = spawnSync(
      tsx,
      ['server/cli.ts', 'backup', join(dir, 'cli-backups'), '--keep-days', '30'],
      {
        env,
        encoding: 'utf8',
      },
    );
    expect(backup.status, backup.stderr).toBe(0);
    expect(backup.stdout).toMatch(/compressing: 100% \(/);
    expect(backup.stdout).toMatch(/backup done in \d+\.\d s: .*pulsewatch-.*\.sqlite\.gz/);
    expect(backup.stdout).toMatch(/tables, 2\d\d+ rows/);
    expect(backup.stdout).toContain('kept backups of the last 30 days; removed 0');
    const badKeep = spawnSync(
      tsx,
      ['server/cli.ts', 'backup', join(dir, 'cli-backups'), '--keep-days', 'x'],
      {
        env,
        encoding: 'utf8',
      },
    );
    expect(badKeep.status).toBe(1);
    expect(badKeep.stderr).toContain('--keep-days');
  });
});

const hasPgDump = existsSync('/usr/bin/pg_dump') || existsSync('/usr/local/bin/pg_dump');

describe.skipIf(!hasPgDump)('PostgreSQL backup and restore progress', () => {
  it('reports each table pg_dump and pg_restore work on, and the restored rows counted', async () => {
    const pg = await startPostgres();
    try {
      const sourceUrl = await pg.createDatabase('progress_source');
      const source = await openPostgresStore(sourceUrl);
      await upload(source, 3);
      await source.close();
      const dumped: BackupProgress[] = [];
      const backup = await backupPostgres(sourceUrl, join(dir, 'pg-backups'), {
        onProgress: (p) => dumped.push(p),
      });
      expect(dumped.map((p) => p.table)).toEqual(expect.arrayContaining(['chunks', 'hr_rows']));
      expect(dumped.map((p) => p.done)).toEqual(dumped.map((_, i) => i + 1));
      expect(backup.rowsExact).toBe(false);
      expect(backup.fileBytes).toBe(statSync(backup.file).size);
      const restoring: BackupProgress[] = [];
      const restored = await restorePostgres(backup.file, await pg.createDatabase('progress_fresh'), {
        onProgress: (p) => restoring.push(p),
      });
      expect(restoring.filter((p) => p.step === 'restore').map((p) => p.table)).toEqual(
        expect.arrayContaining(['chunks', 'hr_rows']),
      );
      expect(formatProgress(restoring[0]!)).toMatch(/^restoring: table 1 \(\w+\)$/);
      expect(restored.rowsExact).toBe(true);
      expect(rowsOf(restored.tables, 'chunks')).toBe(3);
      expect(rowsOf(restored.tables, 'hr_rows')).toBe(180);
      expect(restored.tables.map((t) => t.table)).toEqual(backup.tables.map((t) => t.table));
    } finally {
      await pg.stop();
    }
  }, 120_000);
});
