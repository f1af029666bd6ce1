/**
 * The gateway API's handlers: one per call of the table, each a thin adapter onto the recorder,
 * the devices, the queue, the uploader or the settings. Inputs arrive parsed by the host.
 */
import { arch, platform } from 'node:os';
import type { GatewayApi } from '../../preload/api.js';
import type { GatewayHandlers } from '../../preload/define.js';
import { GatewayApiError } from '../../preload/define.js';
import { isEcg12Port, type ListPorts } from '../devices/ecg12/discovery.js';
import type { UploadQueue } from '../queue/upload-queue.js';
import type { PatientsStore } from '../recorder/patients-store.js';
import type { Recorder } from '../recorder/recorder.js';
import type { ReportService } from '../report/report-service.js';
import type { SyncService } from '../sync/sync-service.js';
import type { OperatorsStore } from '../recorder/operators-store.js';
import type { DeskService } from './desk-service.js';
import { buildDiagnosticsBundle } from './diagnostics.js';
import type { EcgService } from './ecg-service.js';
import { reportHandlers } from './report-handlers.js';
import type { SettingsStore } from './settings-store.js';
import type { WatchService } from './watch-service.js';

export interface HandlerDeps {
  version: string;
  mode: 'desktop' | 'edge';
  gatewayId: string;
  simulated: boolean;
  listPorts: ListPorts;
  settings: SettingsStore;
  patients: PatientsStore;
  recorder: Recorder;
  queue: UploadQueue;
  sync: SyncService;
  ecg: EcgService;
  watches: WatchService;
  reports: ReportService;
  desk: DeskService;
  operators: OperatorsStore;
  /** The gateway's log files, newest first (for the diagnostics bundle). */
  logFiles: () => string[];
}

/** Runs synchronous code as a handler: a throw becomes a rejected promise. */
function settle<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

/** Errors of the uploader reach the UI as API errors with their code and plain message. */
function asApiError(error: unknown): GatewayApiError {
  if (error instanceof GatewayApiError) return error;
  const code = (error as { code?: unknown }).code;
  return new GatewayApiError(
    typeof code === 'string' ? code : 'sync_error',
    error instanceof Error ? error.message : String(error),
  );
}

export function createHandlers(d: HandlerDeps): GatewayHandlers<GatewayApi> {
  const ok = { ok: true as const };
  const appInfo = () => ({
    version: d.version,
    mode: d.mode,
    gatewayId: d.gatewayId,
    platform: `${platform()}-${arch()}`,
    simulated: d.simulated,
  });
  return {
    'app.info': () => Promise.resolve(appInfo()),
    'app.ready': () => Promise.resolve(ok),
    // one page per core here; the edge host answers this itself for each browser page
    'app.takeControl': () => Promise.resolve(ok),
    'app.diagnostics': () =>
      settle(() =>
        buildDiagnosticsBundle({
          info: appInfo(),
          settings: d.settings.get(),
          devices: [d.ecg.current(), ...d.watches.list()],
          queue: d.queue.status(),
          sync: d.sync.status(),
          recordings: d.recorder.list(50),
          logFiles: d.logFiles(),
          nowMs: Date.now(),
        }),
      ),
    'devices.list': () => Promise.resolve([d.ecg.current(), ...d.watches.list()]),
    'devices.listSerialPorts': async () => {
      const ports = await d.listPorts();
      return ports
        .map((p) => ({
          path: p.path,
          manufacturer: p.manufacturer ?? null,
          serialNumber: p.serialNumber ?? null,
          vendorId: p.vendorId ?? null,
          productId: p.productId ?? null,
          isEcg12: isEcg12Port(p),
        }))
        .sort((a, b) => Number(b.isEcg12) - Number(a.isEcg12) || a.path.localeCompare(b.path));
    },
    'devices.connectEcg12': (input) => d.ecg.connect(input.path),
    'devices.disconnectEcg12': async () => {
      await d.ecg.disconnect();
      return ok;
    },
    'devices.relearnEcg': () =>
      settle(() => {
        d.ecg.relearn();
        return ok;
      }),
    'devices.scanWatches': (input) => d.watches.scan(input.durationMs),
    'devices.pairWatch': (input) =>
      // the watch is bound to a patient that exists here
      settle(() => d.patients.get(input.patientId)).then(() =>
        d.watches.beginPairing(input.address, input.patientId),
      ),
    'devices.confirmPairing': (input) => d.watches.confirmPairing(input.address, input.matches),
    'devices.unpairWatch': async (input) => {
      await d.watches.unpair(input.address);
      return ok;
    },
    'devices.disconnectWatch': async (input) => {
      await d.watches.disconnect(input.address);
      return ok;
    },
    'devices.reconnectWatch': async (input) => {
      await d.watches.reconnect(input.address);
      return ok;
    },
    'operators.list': () => settle(() => d.operators.list()),
    'operators.create': (input) => d.operators.create(input.name, input.pin),
    'operators.update': (input) => d.desk.updateOperator(input),
    'operators.retire': (input) =>
      d.desk.retireOperator(input.currentPin, d.recorder.current()?.state === 'recording'),
    'desk.get': () => settle(() => d.desk.get()),
    'desk.signIn': (input) => d.desk.signIn(input.operatorId, input.pin),
    'desk.signOut': () => settle(() => d.desk.signOut()),
    'desk.selectPatient': (input) =>
      settle(() => {
        const open = d.recorder.current();
        if (open?.state === 'recording' && open.patientId !== input.patientId)
          throw new GatewayApiError(
            'recording',
            `Recording ${open.studyCode} is running: stop it before choosing another patient.`,
          );
        return d.desk.selectPatient(input.patientId);
      }),
    'desk.lock': () => settle(() => d.desk.lock()),
    'desk.unlock': (input) => d.desk.unlock(input.pin),
    'patients.list': (input) => settle(() => d.patients.list(input.search, input.limit)),
    'patients.get': (input) => settle(() => d.patients.get(input.id)),
    'patients.create': (input) => settle(() => d.recorder.patientSync.create(input)),
    'patients.update': (input) => settle(() => d.recorder.patientSync.update(input.id, input.fields)),
    'recording.start': (input) =>
      settle(() =>
        d.recorder.start({
          patientId: input.patientId,
          operatorName: input.operatorName ?? d.desk.activeOperator().name,
        }),
      ),
    'recording.stop': () => settle(() => d.recorder.stop()),
    'recording.continue': () => settle(() => d.recorder.continue()),
    'recording.current': () => settle(() => d.recorder.current()),
    'recording.markEvent': (input) => settle(() => d.recorder.markEvent(input.note)),
    'recording.list': (input) => settle(() => d.recorder.list(input.limit)),
    'recording.reassign': (input) =>
      settle(() => d.recorder.reassign(input.recordingId, input.patientId, input.reason)),
    'recording.void': (input) => settle(() => d.recorder.void(input.recordingId, input.reason)),
    'queue.status': () => settle(() => d.queue.status()),
    'sync.status': () => settle(() => d.sync.status()),
    'sync.now': () =>
      settle(() => {
        d.sync.syncNow();
        return ok;
      }),
    'sync.retryFailed': () => settle(() => ({ retried: d.sync.retryFailed() })),
    'sync.enroll': async (input) => {
      try {
        const status = await d.sync.enroll(input.serverUrl, input.code);
        d.settings.update({ serverUrl: input.serverUrl });
        return status;
      } catch (error) {
        throw asApiError(error);
      }
    },
    'settings.get': () => Promise.resolve(d.settings.get()),
    'settings.update': async (patch) => {
      const before = d.settings.get();
      const rateChanged =
        patch.ecgSampleRateHz !== undefined && patch.ecgSampleRateHz !== before.ecgSampleRateHz;
      if (rateChanged && d.ecg.isOpen() && d.recorder.current()?.state === 'recording')
        throw new GatewayApiError(
          'recording',
          'Stop the recording before changing the sample rate: the ECG unit must reconnect to use it.',
        );
      const merged = { ...before, ...patch };
      try {
        // first, so that a CA bundle that cannot be read or a bad proxy is refused, not saved
        d.sync.configure({
          caBundlePath: merged.caBundlePath ?? null,
          proxyUrl: merged.proxyUrl ?? null,
          uploadCapBytesPerS: merged.uploadCapBytesPerS ?? null,
        });
      } catch (error) {
        throw asApiError(error);
      }
      const next = d.settings.update(patch);
      if (patch.watchAccelHz !== undefined || patch.watchPpg !== undefined)
        // the watches get the new rate or PPG now; one that cannot take it reconnects with it
        void d.watches.applyStreamSettings().catch(() => undefined);
      // the unit takes its sample rate when it connects: reconnect it so the new rate applies now
      if (rateChanged) await d.ecg.reconnect();
      return next;
    },
    ...reportHandlers(d),
  };
}
