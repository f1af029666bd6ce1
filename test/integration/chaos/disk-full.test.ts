/**
 * A full disk, for real: the gateway process keeps its data folder on a small tmpfs, offline,
 * recording the simulated unit until SQLite itself reports the disk full. Recording must pause
 * with an alarm (the process alive, nothing corrupt), resume by itself once space is freed, and
 * after upload the server must hold everything that was durably written, the pause a recorded
 * gap. Mounting a tmpfs needs root (as CI runs); elsewhere the test is skipped, saying so.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GatewayProcess } from './gateway-process.js';
import { ServerProcess } from './server-process.js';
import { checkRecording } from './verify.js';

const workDir = mkdtempSync(join(tmpdir(), 'pulsewatch-diskfull-'));
const mountDir = join(workDir, 'small-disk');
mkdirSync(mountDir);

function mountTmpfs(): string | null {
  if (process.getuid?.() !== 0) return 'mounting a tmpfs needs root';
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=12m', 'tmpfs', mountDir], { stdio: 'pipe' });
    return null;
  } catch (error) {
    return `mount -t tmpfs failed: ${String(error).split('\n')[0]}`;
  }
}
const cannotMount = mountTmpfs();

afterAll(() => {
  if (cannotMount === null) execFileSync('umount', ['-l', mountDir]);
  rmSync(workDir, { recursive: true, force: true });
});

/** Leaves about `freeBytes` free on the tmpfs. */
function fill(file: string, freeBytes: number): void {
  const stats = statfsSync(mountDir);
  const free = stats.bavail * stats.bsize;
  writeFileSync(file, Buffer.alloc(Math.max(0, free - freeBytes)));
}

describe('disk full', () => {
  it.skipIf(cannotMount !== null)(
    `pauses recording with an alarm, resumes when space is freed, and loses nothing durable${cannotMount === null ? '' : ` (skipped: ${cannotMount})`}`,
    { timeout: 600_000 },
    async () => {
      const dataDir = join(mountDir, 'gateway');
      const filler = join(mountDir, 'filler');
      let gw = await GatewayProcess.start(dataDir);
      await gw.call('settings.update', { ecgChunkSeconds: 5 });
      const patient = await gw.call('patients.create', { studyCode: 'FULL1' });
      await gw.call('devices.connectEcg12', {});
      await gw.until('the unit streaming', async () =>
        (await gw.call('devices.list', {})).some((d) => d.kind === 'ecg12' && d.state === 'streaming')
          ? true
          : undefined,
      );
      const { id } = await gw.call('recording.start', { patientId: patient.id, operatorName: 'Disk Test' });
      fill(filler, 600_000);
      const alarm = await gw.until(
        'the disk-full alarm',
        () =>
          Promise.resolve(
            gw.events.find(
              (e) => e.event === 'alarms.raised' && (e.payload as { code: string }).code === 'disk_full',
            ),
          ),
        180_000,
      );
      expect((alarm.payload as { severity: string }).severity).toBe('critical');
      expect((await gw.call('recording.current', {}))?.suspended).toBe('disk_full');

      rmSync(filler);
      await gw.until(
        'recording to resume',
        () => Promise.resolve(gw.events.find((e) => e.event === 'alarms.cleared') ?? undefined),
        60_000,
      );
      expect((await gw.call('recording.current', {}))?.suspended).toBeNull();
      await new Promise((r) => setTimeout(r, 4000));
      await gw.call('recording.stop', {});

      const server = await ServerProcess.start(join(workDir, 'server'));
      try {
        await gw.call('sync.enroll', { serverUrl: server.url, code: await server.enrollmentCode() });
        await gw.until(
          'the queue to drain',
          async () => {
            const q = await gw.call('queue.status', {});
            return q.pendingItems === 0 && q.sendingItems === 0 ? q : undefined;
          },
          180_000,
        );
        await gw.stop();
        gw = undefined as unknown as GatewayProcess;
        await server.stop();
        const check = checkRecording(server.databaseFile, id, 5);
        expect(check.missingChunks).toEqual([]);
        expect(check.holes).toEqual([]);
        expect(check.lostSamples).toBe(0);
        expect(check.duplicateChunks).toBe(0);
        expect(check.unrecordedGapMs).toBe(0);
        expect(check.recordedGapMs).toBeGreaterThan(0);
      } finally {
        await gw?.kill9();
        await server.stop('SIGKILL');
      }
    },
  );
});
