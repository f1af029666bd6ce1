/**
 * A watch seen through the standard Heart Rate Service only (`bangle-stream.md`
 * "Fallback"): subscribe to 0x2A37 and decode each value. No program, no clock, no
 * pairing code; readings are timestamped on arrival at the gateway.
 */
import type { BleCharacteristic, BleConnection } from './ble-central.js';
import type { Clock } from '../../base/clock.js';
import { BangleError } from './errors.js';
import { HrsParseError, parseHeartRateMeasurement, type HeartRateMeasurement } from './hrs-measurement.js';
import { HRM_MEASUREMENT_UUID, HRS_SERVICE_UUID } from './uuids.js';

export interface HrsSessionHandlers {
  onMeasurement(measurement: HeartRateMeasurement, receivedMs: number): void;
  onBadValue(bytes: Uint8Array, reason: string): void;
}

/** One connection to a Heart Rate Service. */
export class HrsSession {
  private measurement: BleCharacteristic | undefined;

  constructor(
    private readonly connection: BleConnection,
    private readonly clock: Clock,
    private readonly watchName: string,
    private readonly handlers: HrsSessionHandlers,
  ) {}

  /** Finds 0x180D/0x2A37; throws `NO_HEART_RATE_SERVICE` when absent. */
  async open(): Promise<void> {
    const characteristics = await this.connection.discover([HRS_SERVICE_UUID]);
    this.measurement = characteristics.find((c) => c.uuid === HRM_MEASUREMENT_UUID);
    if (!this.measurement) {
      throw new BangleError(
        'NO_HEART_RATE_SERVICE',
        `${this.watchName} has no Heart Rate Service: start its heart-rate app (bootgatthrm) and try again`,
      );
    }
  }

  /** Subscribes to Heart Rate Measurement notifications. */
  async start(): Promise<void> {
    if (!this.measurement) throw new Error('HrsSession.open() first');
    await this.measurement.subscribe((bytes) => {
      try {
        this.handlers.onMeasurement(parseHeartRateMeasurement(bytes), this.clock.now());
      } catch (error) {
        if (!(error instanceof HrsParseError)) throw error;
        this.handlers.onBadValue(bytes, error.message);
      }
    });
  }
}
