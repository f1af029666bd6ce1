import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { get as httpsGet } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../../server/config.js';
import { backupPostgres, backupSqlite, restorePostgres, restoreSqlite } from '../../../server/ops/backup.js';
import { createLogger } from '../../../server/ops/logger.js';
import { serve } from '../../../server/serve.js';
import { openPostgresStore } from '../../../server/store/postgres.js';
import { openSqliteStore } from '../../../server/store/sqlite.js';
import type { KyselyStore } from '../../../server/store/kysely-store.js';
import { startPostgres, type RunningPostgres } from './embedded-pg.js';
import {
  createPatientAndRecording,
  encoded,
  enrollGateway,
  hrChunk,
  putChunk,
  staffToken,
  startTestServer,
} from './harness.js';

/** Every table's rows, sorted, as JSON text: two databases with equal snapshots hold the same data. */
async function snapshot(store: KyselyStore): Promise<Record<string, string>> {
  const tables = [
    'users',
    'gateways',
    'patients',
    'recordings',
    'chunks',
    'hr_rows',
    'audit_log',
    'schema_migrations',
  ] as const;
  const out: Record<string, string> = {};
  for (const table of tables) {
    const rows = (await store.db.selectFrom(table).selectAll().execute()) as Record<string, unknown>[];
    const text = rows
      .map((r) =>
        JSON.stringify(r, (_k, v: unknown) =>
          v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v,
        ),
      )
      .sort();
    out[table] = text.join('\n');
  }
  return out;
}

async function fillWithUploads(store: KyselyStore, chunks: number) {
  const t = await startTestServer({ store });
  const admin = await staffToken(t, 'admin');
  const gw = await enrollGateway(t, admin);
  const { recordingId } = await createPatientAndRecording(t, gw.token);
  for (let i = 0; i < chunks; i++) {
    const { bytes, sha256 } = encoded(hrChunk(recordingId, i));
    expect((await putChunk(t, gw.token, recordingId, 'hr', i, bytes, sha256)).status).toBe(201);
  }
  return { t, gw, recordingId };
}

describe('SQLite backup and restore', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pulsewatch-backup-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('restores into a fresh data folder exactly what was backed up', async () => {
    const source = await openSqliteStore(join(dir, 'a', 'db.sqlite'));
    const { t } = await fillWithUploads(source, 5);
    const { file } = await backupSqlite(join(dir, 'a', 'db.sqlite'), join(dir, 'backups'));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    await restoreSqlite(join(dir, 'backups'), join(dir, 'fresh', 'db.sqlite'));
    const restored = await openSqliteStore(join(dir, 'fresh', 'db.sqlite'));
    expect(await snapshot(restored)).toEqual(await snapshot(source));
    await expect(restoreSqlite(join(dir, 'backups'), join(dir, 'fresh', 'db.sqlite'))).rejects.toMatchObject({
      code: 'backup_failed',
    });
    await restored.close();
    await t.close();
    await source.close();
  });

  it('takes a consistent backup while uploads continue', async () => {
    const dbPath = join(dir, 'live', 'db.sqlite');
    const source = await openSqliteStore(dbPath);
    const { t, gw, recordingId } = await fillWithUploads(source, 3);
    let index = 3;
    let uploading = true;
    const uploads = (async () => {
      while (uploading) {
        const { bytes, sha256 } = encoded(hrChunk(recordingId, index));
        expect((await putChunk(t, gw.token, recordingId, 'hr', index, bytes, sha256)).status).toBe(201);
        index++;
      }
    })();
    const { file } = await backupSqlite(dbPath, join(dir, 'live-backups'));
    uploading = false;
    await uploads;
    await restoreSqlite(file, join(dir, 'live-restored', 'db.sqlite'));
    const restored = await openSqliteStore(join(dir, 'live-restored', 'db.sqlite'));
    const indexes = (await restored.chunkIndexes(recordingId)).get('hr') ?? [];
    // Every chunk from before the backup is there, the ones in it are a contiguous prefix, and each has all its rows.
    expect(indexes.length).toBeGreaterThanOrEqual(3);
    expect(indexes).toEqual(Array.from({ length: indexes.length }, (_, i) => i));
    const rows = await restored.seriesRows('hr', recordingId, { fromMs: 0, toMs: 8e12 }, 1e6);
    expect(rows).toHaveLength(indexes.length * 60);
    await restored.close();
    await t.close();
    await source.close();
  });
});

describe('PostgreSQL backup and restore (pg_dump)', () => {
  let pg: RunningPostgres;
  const hasPgDump = existsSync('/usr/bin/pg_dump') || existsSync('/usr/local/bin/pg_dump');
  beforeAll(async () => {
    if (hasPgDump) pg = await startPostgres();
  });
  afterAll(async () => {
    if (hasPgDump) await pg.stop();
  });

  it.skipIf(!hasPgDump)('restores a dump into a fresh database with the same contents', async () => {
    const sourceUrl = await pg.createDatabase('backup_source');
    const source = await openPostgresStore(sourceUrl);
    const { t } = await fillWithUploads(source, 4);
    const dir = mkdtempSync(join(tmpdir(), 'pulsewatch-pgbackup-'));
    await backupPostgres(sourceUrl, dir);
    const freshUrl = await pg.createDatabase('backup_fresh');
    await restorePostgres(dir, freshUrl);
    const restored = await openPostgresStore(freshUrl);
    expect(await snapshot(restored)).toEqual(await snapshot(source));
    await restored.close();
    await t.close();
    await source.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(!hasPgDump)(
    'never puts the database password on pg_dump’s or pg_restore’s command line (ps shows it)',
    async () => {
      const sourceUrl = await pg.createDatabase('backup_argv');
      expect(new URL(sourceUrl).password).not.toBe('');
      const password = decodeURIComponent(new URL(sourceUrl).password);
      const source = await openPostgresStore(sourceUrl);
      const dir = mkdtempSync(join(tmpdir(), 'pulsewatch-pgargv-'));
      // Shims first in PATH that log their command line (what ps shows) and run the real tools.
      const bin = join(dir, 'bin');
      mkdirSync(bin);
      const log = join(dir, 'argv.log');
      for (const tool of ['pg_dump', 'pg_restore']) {
        const real = ['/usr/bin', '/usr/local/bin'].map((d) => join(d, tool)).find((p) => existsSync(p))!;
        writeFileSync(join(bin, tool), `#!/bin/sh\necho "$0 $*" >> '${log}'\nexec '${real}' "$@"\n`, {
          mode: 0o755,
        });
      }
      const path = process.env.PATH;
      process.env.PATH = `${bin}:${path ?? ''}`;
      try {
        await backupPostgres(sourceUrl, join(dir, 'backups'));
        await restorePostgres(join(dir, 'backups'), await pg.createDatabase('backup_argv_fresh'));
      } finally {
        process.env.PATH = path;
        await source.close();
      }
      const argv = readFileSync(log, 'utf8');
      expect(argv).toContain('pg_dump');
      expect(argv).toContain('pg_restore');
      expect(argv).not.toContain(password);
      rmSync(dir, { recursive: true, force: true });
    },
  );
});

describe('graceful shutdown', () => {
  it('finishes an upload in flight before closing the database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pulsewatch-shutdown-'));
    const store = await openSqliteStore(join(dir, 'db.sqlite'));
    const t = await startTestServer({ store });
    const admin = await staffToken(t, 'admin');
    const gw = await enrollGateway(t, admin);
    const { recordingId } = await createPatientAndRecording(t, gw.token);
    const config = ConfigSchema.parse({ port: 0, shutdownGraceMs: 10_000 });
    const running = await serve(t.app, store, config, createLogger('silent'));
    const port = Number(new URL(running.url).port);
    const { bytes, sha256 } = encoded(hrChunk(recordingId, 0));
    const response = new Promise<number>((resolveStatus, reject) => {
      const req = httpRequest(
        {
          port,
          host: '127.0.0.1',
          method: 'PUT',
          path: `/v1/recordings/${recordingId}/streams/hr/chunks/0`,
          headers: {
            authorization: `Bearer ${gw.token}`,
            'content-type': 'application/octet-stream',
            'x-chunk-sha256': sha256,
            'content-length': bytes.length,
          },
        },
        (res) => {
          res.resume();
          resolveStatus(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.write(bytes.subarray(0, 10));
      setTimeout(() => req.end(bytes.subarray(10)), 300);
    });
    await new Promise((r) => setTimeout(r, 100));
    const stopped = running.stop();
    expect(await response).toBe(201);
    await stopped;
    const reopened = await openSqliteStore(join(dir, 'db.sqlite'));
    expect((await reopened.chunkIndexes(recordingId)).get('hr')).toEqual([0]);
    await reopened.close();
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('TLS served directly', () => {
  it('answers over HTTPS with the configured certificate and key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pulsewatch-tls-'));
    const [cert, key] = [join(dir, 'cert.pem'), join(dir, 'key.pem')];
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
      ],
      { stdio: 'ignore' },
    );
    const store = await openSqliteStore(join(dir, 'db.sqlite'));
    const t = await startTestServer({ store });
    const config = ConfigSchema.parse({ port: 0, tlsCertFile: cert, tlsKeyFile: key });
    const running = await serve(t.app, store, config, createLogger('silent'));
    expect(running.url).toMatch(/^https:/);
    const status = await new Promise<number>((resolveStatus, reject) => {
      httpsGet(`${running.url}/live`, { rejectUnauthorized: false }, (res) => {
        res.resume();
        resolveStatus(res.statusCode ?? 0);
      }).on('error', reject);
    });
    expect(status).toBe(200);
    await running.stop();
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
