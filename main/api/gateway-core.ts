/**
 * The gateway core as the UI sees it: one handler per call of the gateway API table (a missing
 * handler does not compile) and the event bus. Electron (`main/electron/`) and the edge host
 * (`main/edge/`) both wrap this object; neither adds behaviour of its own.
 *
 * Calls whose subsystem is not part of this build (the recorder, the local queue, sync and
 * reports arrive with their own issues) answer `not_available` with a message saying so, rather
 * than pretending to work.
 */
import { arch, platform } from 'node:os';
import { gatewayApi, type GatewayApi } from '../../preload/api.js';
import { GatewayApiError, type GatewayHandlers } from '../../preload/define.js';
import { isEcg12Port, type ListPorts } from '../devices/ecg12/discovery.js';
import { listSerialPorts } from '../devices/ecg12/port.js';
import { GatewayEventBus } from './event-bus.js';
import { loadOrCreateGatewayId } from './identity.js';
import { SettingsStore } from './settings-store.js';

export interface GatewayCoreOptions {
  dataDir: string;
  mode: 'desktop' | 'edge';
  version: string;
  /** True when the devices are the project's simulators (demo mode). */
  simulated: boolean;
  listPorts?: ListPorts;
}

export interface GatewayCore {
  readonly handlers: GatewayHandlers<GatewayApi>;
  readonly events: GatewayEventBus;
  readonly gatewayId: string;
  close(): Promise<void>;
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

  const handlers: GatewayHandlers<GatewayApi> = {
    'app.info': () =>
      Promise.resolve({
        version: options.version,
        mode: options.mode,
        gatewayId,
        platform: `${platform()}-${arch()}`,
        simulated: options.simulated,
      }),
    'app.ready': () => Promise.resolve({ ok: true as const }),
    'devices.list': () => Promise.resolve([]),
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
    'devices.connectEcg12': notAvailable('Connecting the ECG-12 unit'),
    'devices.disconnectEcg12': notAvailable('Disconnecting the ECG-12 unit'),
    'devices.scanWatches': notAvailable('Scanning for watches'),
    'devices.pairWatch': notAvailable('Pairing a watch'),
    'devices.confirmPairing': notAvailable('Pairing a watch'),
    'devices.unpairWatch': notAvailable('Unpairing a watch'),
    'devices.disconnectWatch': notAvailable('Disconnecting a watch'),
    'patients.list': notAvailable('The patient list'),
    'patients.get': notAvailable('The patient list'),
    'patients.create': notAvailable('Creating patients'),
    'patients.update': notAvailable('Editing patients'),
    'recording.start': notAvailable('Recording'),
    'recording.stop': notAvailable('Recording'),
    'recording.current': () => Promise.resolve(null),
    'recording.markEvent': notAvailable('Recording'),
    'queue.status': notAvailable('The upload queue'),
    'sync.status': notAvailable('Sync'),
    'sync.now': notAvailable('Sync'),
    'sync.enroll': notAvailable('Enrollment'),
    'settings.get': () => Promise.resolve(settings.get()),
    'settings.update': (patch) => Promise.resolve(settings.update(patch)),
    'reports.create': notAvailable('Reports'),
    'reports.list': notAvailable('Reports'),
  };

  return {
    handlers,
    events,
    gatewayId,
    close: () => Promise.resolve(),
  };
}

/** Every call of the table has a handler (also enforced by the type above). */
export const GATEWAY_CALLS = Object.keys(gatewayApi.calls);
