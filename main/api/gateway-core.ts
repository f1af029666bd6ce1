/**
 * The gateway core as the UI sees it: one handler per call of the gateway API table (a missing
 * handler does not compile) and the event bus. Electron (`main/electron/`) and the edge host
 * (`main/edge/`) both wrap this object; neither adds behaviour of its own.
 *
 * Calls whose subsystem is not part of this build (recording, the local queue, sync and
 * reports arrive with their own issues) answer `not_available` with a message saying so, rather
 * than pretending to work.
 */
import { arch, platform } from 'node:os';
import { gatewayApi, type GatewayApi } from '../../preload/api.js';
import { GatewayApiError, type GatewayHandlers } from '../../preload/define.js';
import { isEcg12Port, type ListPorts } from '../devices/ecg12/discovery.js';
import { listSerialPorts } from '../devices/ecg12/port.js';
import { EcgService } from './ecg-service.js';
import { GatewayEventBus } from './event-bus.js';
import { loadOrCreateGatewayId } from './identity.js';
import { FieldCipher } from '../recorder/field-cipher.js';
import { openGatewayDb } from '../recorder/gateway-db.js';
import { PatientsStore } from '../recorder/patients-store.js';
import { SettingsStore } from './settings-store.js';
import { WatchService } from './watch-service.js';

export interface GatewayCoreOptions {
  dataDir: string;
  mode: 'desktop' | 'edge';
  version: string;
  /** True when the devices are the project's simulators (demo mode). */
  simulated: boolean;
  listPorts?: ListPorts;
  /** In simulated mode, connect the simulated ECG-12 unit at start (the demo). Default false. */
  autoConnectEcg?: boolean;
  /**
   * The cipher of patient details and notes. Desktop: `FieldCipher.protectedInDataDir` with
   * Electron's safeStorage (from main/electron). Default (edge): the key in a 0600 file in
   * `dataDir`, readable only by the service user.
   */
  fieldCipher?: FieldCipher;
}

export interface GatewayCore {
  readonly handlers: GatewayHandlers<GatewayApi>;
  readonly events: GatewayEventBus;
  readonly gatewayId: string;
  close(): Promise<void>;
}

/** Runs synchronous store code as a handler: a throw becomes a rejected promise. */
function settle<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

function notAvailable(what: string): () => Promise<never> {
  return () =>
    Promise.reject(
      new GatewayApiError('not_available', `${what} is not available in this build of the gateway`),
    );
}

export function createGatewayCore(options: GatewayCoreOptions): GatewayCore {
  const events = new GatewayEventBus();
  const settings = SettingsStore.inDataDir(options.dataDir);
  const gatewayId = loadOrCreateGatewayId(options.dataDir);
  const listPorts = options.listPorts ?? listSerialPorts;
  const ecg = new EcgService(events, () => settings.get(), options.simulated);
  const watches = new WatchService(events, options.simulated);
  const db = openGatewayDb(options.dataDir);
  const patients = new PatientsStore(
    db,
    options.fieldCipher ?? FieldCipher.forDataDir(options.dataDir),
    gatewayId,
  );
  const ok = { ok: true as const };

  const handlers: GatewayHandlers<GatewayApi> = {
    'app.info': () =>
      Promise.resolve({
        version: options.version,
        mode: options.mode,
        gatewayId,
        platform: `${platform()}-${arch()}`,
        simulated: options.simulated,
      }),
    'app.ready': () => Promise.resolve(ok),
    'devices.list': () => Promise.resolve([ecg.current(), ...watches.list()]),
    'devices.listSerialPorts': async () => {
      const ports = await listPorts();
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
    'devices.connectEcg12': (input) => ecg.connect(input.path),
    'devices.disconnectEcg12': async () => {
      await ecg.disconnect();
      return ok;
    },
    'devices.scanWatches': (input) => watches.scan(input.durationMs),
    'devices.pairWatch': (input) =>
      // the watch is bound to a patient that exists here
      settle(() => patients.get(input.patientId)).then(() =>
        watches.beginPairing(input.address, input.patientId),
      ),
    'devices.confirmPairing': (input) => watches.confirmPairing(input.address, input.matches),
    'devices.unpairWatch': async (input) => {
      await watches.unpair(input.address);
      return ok;
    },
    'devices.disconnectWatch': notAvailable('Disconnecting a watch without unpairing it'),
    'patients.list': (input) => settle(() => patients.list(input.search, input.limit)),
    'patients.get': (input) => settle(() => patients.get(input.id)),
    'patients.create': (input) => settle(() => patients.create(input)),
    'patients.update': (input) => settle(() => patients.update(input.id, input.fields)),
    'recording.start': notAvailable('Recording'),
    'recording.stop': notAvailable('Recording'),
    'recording.current': () => Promise.resolve(null),
    'recording.markEvent': notAvailable('Recording'),
    'queue.status': notAvailable('The upload queue'),
    'sync.status': notAvailable('Sync'),
    'sync.now': notAvailable('Sync'),
    'sync.enroll': notAvailable('Enrollment'),
    'settings.get': () => Promise.resolve(settings.get()),
    'settings.update': (patch) => settle(() => settings.update(patch)),
    'reports.create': notAvailable('Reports'),
    'reports.list': notAvailable('Reports'),
  };

  if (options.simulated && options.autoConnectEcg === true) {
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
    gatewayId,
    close: async () => {
      await ecg.disconnect();
      await watches.close();
      db.close();
    },
  };
}

/** Every call of the table has a handler (also enforced by the type above). */
export const GATEWAY_CALLS = Object.keys(gatewayApi.calls);
