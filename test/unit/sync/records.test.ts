/** Error reports (no patient details, within the contract's limits) and the stored enrollment (real SQLite file). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { afterEach, describe, expect, it } from 'vitest';
import { openGatewayDatabase, type GatewayDatabase } from '../../../main/queue/database.js';
import { CredentialStore } from '../../../main/sync/credentials.js';
import { errorReportItem } from '../../../main/sync/error-reports.js';
import { SYNC_MIGRATIONS } from '../../../main/sync/migrations.js';
import { ErrorReportSchema } from '../../../server-contract/api/reports.js';

const T = 1_763_700_000_000;

describe('errorReportItem', () => {
  it('builds a report the contract accepts, with the app version and OS', () => {
    const item = errorReportItem(
      new Error('unit ECG-12345 unplugged'),
      { deviceSerial: 'ECG-12345' },
      {
        appVersion: '0.1.0',
        nowMs: T,
      },
    );
    expect(item).toMatchObject({ kind: 'control', route: 'errorReports.create', priority: 4 });
    const body = ErrorReportSchema.parse((item as { body: unknown }).body);
    expect(body).toMatchObject({
      occurredAtMs: T,
      severity: 'error',
      appVersion: '0.1.0',
      message: 'Error: unit ECG-12345 unplugged',
      context: { deviceSerial: 'ECG-12345' },
    });
    expect(body.platform).toMatch(/^\w+ \S+ \w+$/);
    expect(body.stack).toContain('records.test.ts');
  });

  it.each([
    ['patientName', 'Jane Doe'],
    ['patientId', uuidv7()],
    ['name', 'Jane'],
    ['phone', '555-0100'],
    ['address', '1 Main St'],
    ['studyCode', 'P001'],
    ['notes', 'allergic to latex'],
    ['identity', 'x'],
    ['email', 'jane@example.org'],
  ])('drops %s from the context', (key, value) => {
    const item = errorReportItem('fault', { [key]: value, framesLost: 2 }, { appVersion: '0.1.0', nowMs: T });
    expect((item as { body: { context: unknown } }).body.context).toEqual({ framesLost: 2 });
  });

  it('cuts long text to the contract’s limits and keeps the error code', () => {
    const long = Object.assign(new Error('x'.repeat(5000)), { code: 'EIO' });
    long.stack = 's'.repeat(30_000);
    const item = errorReportItem(
      long,
      { detail: 'd'.repeat(900), huge: Number.POSITIVE_INFINITY },
      {
        appVersion: '9'.repeat(40),
        nowMs: T + 0.6,
        severity: 'fatal',
      },
    );
    const body = ErrorReportSchema.parse((item as { body: unknown }).body);
    expect(body.message.startsWith('Error [EIO]: xxx')).toBe(true);
    expect(body.message).toHaveLength(2000);
    expect(body.stack).toHaveLength(20_000);
    expect(body.appVersion).toHaveLength(32);
    expect(body.context).toEqual({ detail: 'd'.repeat(500) });
    expect(body.occurredAtMs).toBe(T + 1);
  });
});

describe('CredentialStore', () => {
  let dir: string;
  let db: GatewayDatabase;
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  function open() {
    dir = mkdtempSync(join(tmpdir(), 'pulsewatch-sync-cred-'));
    db = openGatewayDatabase(dir, [SYNC_MIGRATIONS]);
    return new CredentialStore(db);
  }
  const credentials = {
    serverUrl: 'https://pulsewatch.clinic.local',
    gatewayId: uuidv7(),
    gatewayName: 'Desk 1',
    clientSecret: 's'.repeat(43),
    enrolledAtMs: T,
  };

  it('is empty before enrollment, keeps one enrollment, and replaces it', () => {
    const store = open();
    expect(store.load()).toBeNull();
    store.save(credentials);
    expect(store.load()).toEqual(credentials);
    store.save({ ...credentials, serverUrl: 'https://other.clinic.local' });
    expect(store.load()?.serverUrl).toBe('https://other.clinic.local');
    expect((db.prepare('SELECT COUNT(*) AS n FROM sync_credentials').get() as { n: number }).n).toBe(1);
    store.clear();
    expect(store.load()).toBeNull();
  });

  it('reports a damaged row instead of forgetting it', () => {
    const store = open();
    store.save(credentials);
    db.prepare("UPDATE sync_credentials SET client_secret = 'short'").run();
    expect(() => store.load()).toThrow(expect.objectContaining({ code: 'credentials_damaged' }));
    expect(
      (db.prepare('SELECT client_secret FROM sync_credentials').get() as { client_secret: string })
        .client_secret,
    ).toBe('short');
  });

  it('refuses to save credentials that would not read back', () => {
    const store = open();
    expect(() => store.save({ ...credentials, serverUrl: 'ftp://x' })).toThrow();
    expect(store.load()).toBeNull();
  });
});
