/**
 * The diagnostics bundle staff export for IT (Settings → "Export diagnostics"): one zip with the
 * gateway's log files, versions, settings, device, queue and uploader state and the recent
 * recordings' states. No patient details: recordings appear by id and state only (no study code,
 * no operator), settings without the operator and without proxy credentials, and the logs carry
 * none by construction (`event-log.ts`, `base/log.ts`).
 */
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { strToU8, zipSync, type Zippable } from 'fflate';
import type { z } from 'zod';
import type {
  AppInfoSchema,
  DeviceStatus,
  QueueStatusSchema,
  RecordingStateSchema,
  Settings,
  SyncStatus,
} from '../../preload/schemas.js';

type AppInfo = z.infer<typeof AppInfoSchema>;
type QueueStatus = z.infer<typeof QueueStatusSchema>;
type RecordingState = z.infer<typeof RecordingStateSchema>;

/** The log bytes a bundle carries at most (newest files first). */
export const DIAGNOSTICS_LOG_BYTES = 8_000_000;

export interface DiagnosticsSources {
  info: AppInfo;
  settings: Settings;
  devices: DeviceStatus[];
  queue: QueueStatus;
  sync: SyncStatus;
  recordings: RecordingState[];
  /** Log files, newest first. */
  logFiles: string[];
  nowMs: number;
}

export interface DiagnosticsBundle {
  fileName: string;
  bytes: number;
  contentBase64: string;
}

const README = `PulseWatch gateway diagnostics bundle

info.json        version, mode, gateway id, platform, runtime
settings.json    gateway settings (operator and proxy credentials left out)
devices.json     ECG-12 unit and watches as the gateway sees them now
queue.json       upload queue counts
sync.json        uploader state, last error, counters
recordings.json  the last recordings by id and state (no patient details)
logs/            the gateway's log files, newest first (JSON lines; no patient details)
`;

function json(value: unknown): Uint8Array {
  return strToU8(`${JSON.stringify(value, null, 2)}\n`);
}

/** A URL without user name and password. */
function withoutCredentials(url: string | null | undefined): string | null {
  if (url === null || url === undefined) return null;
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return '[unparseable]';
  }
}

/** Builds the bundle from the gateway's state now. */
export function buildDiagnosticsBundle(sources: DiagnosticsSources): DiagnosticsBundle {
  const { operator: _operator, ...settings } = sources.settings;
  const files: Zippable = {
    'README.txt': strToU8(README),
    'info.json': json({
      ...sources.info,
      createdAt: new Date(sources.nowMs).toISOString(),
      node: process.versions.node,
      electron: process.versions.electron ?? null,
      uptimeS: Math.round(process.uptime()),
    }),
    'settings.json': json({ ...settings, proxyUrl: withoutCredentials(settings.proxyUrl) }),
    'devices.json': json(sources.devices),
    'queue.json': json(sources.queue),
    'sync.json': json(sources.sync),
    'recordings.json': json(
      sources.recordings.map((r) => ({
        id: r.id,
        patientId: r.patientId,
        state: r.state,
        startedAtMs: r.startedAtMs,
        endedAtMs: r.endedAtMs,
        endReason: r.endReason,
        suspended: r.suspended,
        voided: r.voidReason !== null,
        simulated: r.simulated,
        chunksSealed: r.chunksSealed,
        devices: r.devices.map((d) => ({ kind: d.kind, serial: d.serial, firmware: d.firmware ?? null })),
      })),
    ),
  };
  const logs: Zippable = {};
  let budget = DIAGNOSTICS_LOG_BYTES;
  for (const path of sources.logFiles) {
    let size: number;
    try {
      size = statSync(path).size;
    } catch {
      continue; // rotated away meanwhile
    }
    if (size > budget) break;
    try {
      logs[basename(path)] = readFileSync(path);
      budget -= size;
    } catch {
      continue;
    }
  }
  files.logs = logs;
  const zip = zipSync(files, { level: 6, mtime: new Date(sources.nowMs) });
  const stamp = new Date(sources.nowMs).toISOString().replace(/[:.]/g, '-').slice(0, 19);
  return {
    fileName: `pulsewatch-diagnostics-${sources.info.gatewayId.slice(-8)}-${stamp}.zip`,
    bytes: zip.byteLength,
    contentBase64: Buffer.from(zip).toString('base64'),
  };
}
