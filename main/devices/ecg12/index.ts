/**
 * The ECG-12 unit over USB serial (specs/ecg12-serial-protocol.md): what the gateway uses.
 * `Ecg12Unit` is the link (events: status, samples, gap, runStarted, deviceStatus, info, log,
 * counters); the zod schemas describe the status and counters objects for the gateway API.
 * The simulator (the unit's side of the protocol) is in `sim/`.
 */
export { Ecg12Unit, type Ecg12UnitOptions } from './unit.js';
export type { Ecg12RunStartedEvent, Ecg12SamplesEvent, Ecg12UnitEvents } from './unit-events.js';
export {
  Ecg12DecoderCountersSchema,
  Ecg12DeviceStatusSchema,
  Ecg12GapSchema,
  Ecg12InfoSchema,
  Ecg12LinkCountersSchema,
  Ecg12LinkStateSchema,
  Ecg12StatusSchema,
  type Ecg12DecoderCounters,
  type Ecg12DeviceStatus,
  type Ecg12Gap,
  type Ecg12Info,
  type Ecg12LinkCounters,
  type Ecg12LinkState,
  type Ecg12Status,
} from './schemas.js';
export { Ecg12Error, type Ecg12ErrorCode } from './errors.js';
export {
  chooseEcg12Port,
  findEcg12Ports,
  isEcg12Port,
  type ListPorts,
  type SerialPortInfo,
} from './discovery.js';
export { ECG12_CHANNELS, SUPPORTED_RATES_HZ, leadOffElectrodes, type Ecg12RateHz } from './protocol.js';
