/**
 * The gateway core: wires the subsystems — database, upload queue, uploader, recorder, devices —
 * and implements the gateway API over them (`handlers.ts`: one handler per call of the table; a
 * missing handler does not compile). Electron (`main/electron/`) and the edge host (`main/edge/`)
 * both wrap this object; neither adds behaviour of its own.
 */
import { arch, hostname, platform } from 'node:os';
import { gatewayApi, type GatewayApi } from '../../preload/api.js';
import type { GatewayHandlers } from '../../preload/define.js';
import type { RecordingDeviceSchema } from '../../server-contract/api/recordings.js';
import type { z } from 'zod';
import type { ListPorts } from '../devices/ecg12/discovery.js';
import { listSerialPorts } from '../devices/ecg12/port.js';
import type { DeviceSimulators } from '../devices/simulators.js';
import { openGatewayDatabase } from '../queue/database.js';
import { UploadQueue } from '../queue/upload-queue.js';
import { FieldCipher } from '../recorder/field-cipher.js';
import { PATIENTS_MIGRATIONS, RECORDER_MIGRATIONS } from '../recorder/migrations.js';
import { DESK_MIGRATIONS } from '../recorder/desk-migrations.js';
import { DeskSessionStore } from '../recorder/desk-session.js';
import { OperatorsStore } from '../recorder/operators-store.js';
import { WatchBindingsStore } from '../recorder/watch-bindings.js';
import { PatientsStore } from '../recorder/patients-store.js';
import { REPORT_MIGRATIONS } from '../report/report-migrations.js';
import { ReportService } from '../report/report-service.js';
import { Recorder } from '../recorder/recorder.js';
import { SYNC_MIGRATIONS } from '../sync/migrations.js';
import { SyncService } from '../sync/sync-service.js';
import { openGatewayLog, type Logger } from '../base/log.js';
import { EcgService } from './ecg-service.js';
import { logGatewayEvents } from './event-log.js';
import { RecentEvents } from './recent-events.js';
import { GatewayEventBus } from './event-bus.js';
import { DeskService } from './desk-service.js';
import { createHandlers } from './handlers.js';
import { loadOrCreateGatewayId } from './identity.js';
import { SettingsStore } from './settings-store.js';
import { streamOptionsFor, WatchService } from './watch-service.js';

type RecordingDevice = z.infer<typeof RecordingDeviceSchema>;

/** For the desktop shell: the field cipher with its key kept by the OS keychain. */
export { FieldCipher, type KeyProtector } from '../recorder/field-cipher.js';

export interface GatewayCoreOptions {
  dataDir: string;
  mode: 'desktop' | 'edge';
  version: string;
  /**
   * The project's simulated devices, passed in by the code that wires the gateway (demo mode:
   * `demoSimulators()` from `main/devices/demo-simulators.ts`). With them the gateway runs
   * flagged `simulated`; without them it uses real hardware only.
   */
  simulators?: DeviceSimulators;
  listPorts?: ListPorts;
  /** Connect the simulated ECG-12 unit at start (the demo). Default false; needs `simulators.ecg12`. */
  autoConnectEcg?: boolean;
  /**
   * The cipher of patient details and notes. Desktop: `FieldCipher.protectedInDataDir` with
   * Electron's safeStorage (from main/electron). Default (edge): the key in a 0600 file in
   * `dataDir`, readable only by the service user.
   */
  fieldCipher?: FieldCipher;
  /** Log file rotation (default 5 MB × 6 files in `<dataDir>/logs`). */
  log?: { maxBytes?: number; keep?: number; level?: string };
}

export interface GatewayCore {
  readonly handlers: GatewayHandlers<GatewayApi>;
  readonly events: GatewayEventBus;
  /** The alarms and rhythm events so far, for a page that opens after them (recent-events.ts). */
  readonly recentEvents: RecentEvents;
  readonly gatewayId: string;
  /** The ingest server this gateway is set to upload to, or null. */
  serverUrl(): string | null;
  /** The gateway's log (rotating files in `<dataDir>/logs`; no patient details). */
  readonly logger: Logger;
  /** Queues an error report (uncaught errors, device faults): no patient details. */
  reportError(error: unknown, context?: Record<string, string | number>): void;
  close(): Promise<void>;
}

export function createGatewayCore(options: GatewayCoreOptions): GatewayCore {
  const simulated = options.simulators !== undefined;
  const events = new GatewayEventBus();
  const recentEvents = new RecentEvents(events);
  const settings = SettingsStore.inDataDir(options.dataDir);
  const gatewayId = loadOrCreateGatewayId(options.dataDir);
  const log = openGatewayLog(options.dataDir, { gatewayId, mode: options.mode }, options.log);
  log.logger.info({ version: options.version, simulated }, 'gateway starting');
  const db = openGatewayDatabase(options.dataDir, [
    PATIENTS_MIGRATIONS,
    RECORDER_MIGRATIONS,
    SYNC_MIGRATIONS,
    REPORT_MIGRATIONS,
    DESK_MIGRATIONS,
  ]);
  const queue = new UploadQueue(db, { quotaBytes: () => settings.get().diskQuotaBytes });
  const patients = new PatientsStore(
    db,
    options.fieldCipher ?? FieldCipher.forDataDir(options.dataDir),
    gatewayId,
  );
  const current = settings.get();
  const sync = new SyncService({
    db,
    queue,
    gateway: {
      id: gatewayId,
      name: `${hostname()} (${options.mode})`.slice(0, 64),
      platform: `${platform()}-${arch()}`,
      appVersion: options.version,
    },
    settings: {
      caBundlePath: current.caBundlePath ?? null,
      proxyUrl: current.proxyUrl ?? null,
      uploadCapBytesPerS: current.uploadCapBytesPerS ?? null,
    },
  });
  const reportError = (error: unknown, context: Record<string, string | number> = {}) => {
    log.logger.error({ err: error, ...context }, 'error reported');
    sync.reportError(error, context);
  };
  // the recorder and the device adapters refer to each other: bound once both exist
  const late: { ecg?: EcgService; watches?: WatchService } = {};
  const recorder = new Recorder({
    db,
    queue,
    patients,
    emit: (event, payload) => events.emit(event, payload),
    settings: () => settings.get(),
    simulated,
    appVersion: options.version,
    connectedDevices: (patientId) => connectedDevices(late.ecg, late.watches, patientId),
    watchPatient: (address) => late.watches?.patientOf(address) ?? null,
    onEcgQuality: (quality) => late.ecg?.setQuality(quality),
    onFailure: (error, context) => reportError(error, context),
  });
  const ecg = new EcgService(
    events,
    () => settings.get(),
    simulated,
    options.simulators?.ecg12,
    recorder.inputs,
  );
  const watches = new WatchService(
    events,
    recorder.inputs,
    simulated,
    options.simulators?.watchBindings,
    new WatchBindingsStore(db),
    () => streamOptionsFor(settings.get()),
  );
  const desk = new DeskService(events, new DeskSessionStore(db), new OperatorsStore(db), patients);
  late.ecg = ecg;
  late.watches = watches;
  logGatewayEvents(events, log.logger);
  reportDeviceFaults(events, reportError);
  queue.onChange((status) => events.emit('queue.changed', status));
  sync.onChange((status) => events.emit('sync.changed', status));
  sync.onAlarm((alarm) => events.emit('alarms.raised', alarm));
  sync.start();

  const handlers = createHandlers({
    version: options.version,
    mode: options.mode,
    gatewayId,
    simulated,
    listPorts: options.listPorts ?? listSerialPorts,
    settings,
    patients,
    recorder,
    queue,
    sync,
    ecg,
    watches,
    reports: new ReportService({ db, queue, softwareVersion: options.version }),
    desk,
    operators: new OperatorsStore(db),
    logFiles: () => log.file.files(),
  });

  if (options.simulators?.ecg12 !== undefined && options.autoConnectEcg === true) {
    void ecg.connect(undefined).catch((error: unknown) => {
      events.emit('alarms.raised', {
        code: 'ecg12_sim_failed',
        severity: 'warning',
        message: `simulated ECG-12 unit: ${String(error)}`,
        atMs: Date.now(),
      });
    });
  }

  return {
    handlers,
    events,
    recentEvents,
    gatewayId,
    logger: log.logger,
    reportError,
    serverUrl: () => sync.status().serverUrl ?? settings.get().serverUrl,
    close: async () => {
      recorder.close();
      await ecg.disconnect();
      await watches.close();
      await sync.stop();
      db.close();
      recentEvents.close();
      log.logger.info('gateway closed');
      log.file.close();
    },
  };
}

/** A device entering the `error` state becomes an error report (its serial or address, no patient). */
function reportDeviceFaults(
  events: GatewayEventBus,
  report: (error: unknown, context: Record<string, string | number>) => void,
): void {
  const last = new Map<string, string>();
  events.subscribe((event, payload) => {
    if (event !== 'devices.changed') return;
    const device = payload as {
      kind: string;
      state: string;
      message: string;
      serial?: string | null;
      address?: string;
    };
    const key = device.kind === 'ecg12' ? 'ecg12' : `watch:${device.address ?? ''}`;
    if (device.state === 'error' && last.get(key) !== 'error')
      report(new Error(`${device.kind} fault: ${device.message}`), {
        device: device.kind,
        deviceId: device.serial ?? device.address ?? 'unknown',
      });
    last.set(key, device.state);
  });
}

/** The devices a recording for `patientId` starts with: the unit if it streams, the patient's watches. */
function connectedDevices(
  ecg: EcgService | undefined,
  watches: WatchService | undefined,
  patientId: string,
): RecordingDevice[] {
  const devices: RecordingDevice[] = [];
  const unit = ecg?.current();
  if (unit !== undefined && (unit.state === 'connected' || unit.state === 'streaming')) {
    devices.push({
      kind: 'ecg12',
      serial: unit.serial ?? 'unknown',
      ...(unit.firmware === null ? {} : { firmware: unit.firmware.slice(0, 32) }),
      simulated: unit.simulated,
    });
  }
  for (const watch of watches?.list() ?? []) {
    if (watch.patientId !== patientId) continue;
    devices.push({
      kind: watch.hrsOnly ? 'hrs' : 'bangle',
      serial: watch.address.slice(0, 64),
      name: watch.name.slice(0, 64),
      simulated: watch.simulated,
    });
  }
  return devices;
}

/** Every call of the table has a handler (also enforced by the type above). */
export const GATEWAY_CALLS = Object.keys(gatewayApi.calls);
