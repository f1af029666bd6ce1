/**
 * Names for the gateway API's data as the renderer sees it, derived from the preload table (never
 * written by hand beside a schema).
 */
import type { CallOutput, EventPayload, GatewayApi } from '../../preload/index-types.js';

export type AppInfo = CallOutput<GatewayApi, 'app.info'>;
export type DeviceStatus = CallOutput<GatewayApi, 'devices.list'>[number];
export type Ecg12Status = Extract<DeviceStatus, { kind: 'ecg12' }>;
export type WatchStatus = Extract<DeviceStatus, { kind: 'watch' }>;
export type SerialPortInfo = CallOutput<GatewayApi, 'devices.listSerialPorts'>[number];
export type FoundWatch = EventPayload<GatewayApi, 'watches.found'>;
export type PairingOffer = CallOutput<GatewayApi, 'devices.pairWatch'>;
export type EcgBatch = EventPayload<GatewayApi, 'ecg.received'>;
export type WatchBatch = EventPayload<GatewayApi, 'watch.received'>;
export type MeasurementRecord = EventPayload<GatewayApi, 'measurements.updated'>;
export type EventRecord = EventPayload<GatewayApi, 'events.recorded'>;
export type Alarm = EventPayload<GatewayApi, 'alarms.raised'>;
export type Settings = CallOutput<GatewayApi, 'settings.get'>;
export type Patient = CallOutput<GatewayApi, 'patients.get'>;
export type RecordingState = CallOutput<GatewayApi, 'recording.start'>;
export type LeadName = EcgBatch['leads'][number];
export type Electrode = Ecg12Status['leadOff'][number];
export type WithheldReason = NonNullable<MeasurementRecord['withheld'][string]>;

/** The 12 leads in the contract's display order (I, II, III, aVR, aVL, aVF, V1–V6). */
export const LEADS: readonly LeadName[] = [
  'I',
  'II',
  'III',
  'aVR',
  'aVL',
  'aVF',
  'V1',
  'V2',
  'V3',
  'V4',
  'V5',
  'V6',
];

/** The electrodes of the ECG-12 unit's lead-off mask. */
export const ELECTRODES: readonly Electrode[] = ['RA', 'LA', 'LL', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'];
