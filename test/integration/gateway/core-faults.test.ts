/**
 * Device faults become queued error reports for the server (device and its id, no patient), so
 * IT hears of a unit that fails at a desk without anyone phoning.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createGatewayCore } from '../../../main/api/gateway-core.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('device faults', () => {
  it('queues an error report when the ECG-12 unit cannot be opened', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pulsewatch-core-faults-'));
    dirs.push(dataDir);
    const core = createGatewayCore({
      dataDir,
      mode: 'edge',
      version: 'test',
      listPorts: () => Promise.resolve([]),
    });
    await expect(
      core.handlers['devices.connectEcg12']({ path: join(dataDir, 'no-such-port') }),
    ).rejects.toThrow();
    await core.close();
    const db = new Database(join(dataDir, 'gateway.db'), { readonly: true });
    const reports = db
      .prepare(`SELECT body_json FROM queue_items WHERE route = 'errorReports.create'`)
      .all() as {
      body_json: string;
    }[];
    db.close();
    expect(reports).toHaveLength(1);
    const body = JSON.parse(reports[0]!.body_json) as { message: string; context: Record<string, string> };
    expect(body.message).toMatch(/ecg12 fault/);
    expect(body.context).toMatchObject({ device: 'ecg12' });
  });
});
