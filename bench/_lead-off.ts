/**
 * Electrodes taken off and put back, pasted into a real record, for `bench lead-off` and the
 * pipeline's lead-off tests: while off, every channel reads either a flat line at the converter's
 * rail (what the quality monitor calls flat) or a floating input (mains hum and noise, which the
 * mains notch leaves near a connected lead's level: only the device's report tells it apart); when
 * they are back, the record goes on at a new amplitude (electrodes on another site), scaled about
 * its median. With the device's report, the live pipeline is told the
 * electrodes are off (LivePipeline `electrodesOff`) for exactly the off span.
 */
import { LEAD_OFF_ELECTRODES } from '../main/devices/ecg12/protocol.js';
import { median, type SampleSpan } from './_scoring.js';
import type { ScoredRecord } from './_records.js';
import { holterAsAcquired, playLive, type LiveOutcome } from './_vf-live.js';

/** One lead-off: every electrode off over the span, and the amplitude after it (1: as before). */
export interface LeadOff extends SampleSpan {
  readonly scaleAfter: number;
}

/** What the inputs read while the electrodes are off. */
export type OffSignal = 'flat' | 'floating';

/** A converter's rail in format-212 units (MIT-BIH): a detached input pinned at the top. */
const RAIL_UNITS = 2047;
/** A floating input's mains hum (50 Hz) and noise, mV. */
const HUM_MV = 0.5;
const NOISE_MV = 0.1;

/**
 * `signals` (ADC units, `gains` units per mV) with `leadOffs` (in time order) pasted in; each
 * lead-off's `scaleAfter` holds until the next one.
 */
export function withLeadOffs(
  signals: readonly Float64Array[],
  gains: readonly number[],
  sampleRateHz: number,
  leadOffs: readonly LeadOff[],
  off: OffSignal,
): Float64Array[] {
  let seed = 1;
  const uniform = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5;
  return signals.map((signal, c) => {
    const out = Float64Array.from(signal);
    const base = median(Array.from(signal.subarray(0, Math.min(signal.length, 60 * sampleRateHz))));
    const gain = gains[c]!;
    leadOffs.forEach((span, k) => {
      for (let n = span.startSample; n <= span.endSample && n < out.length; n++) {
        out[n] =
          off === 'flat'
            ? RAIL_UNITS
            : base +
              gain *
                (HUM_MV * Math.sin((2 * Math.PI * 50 * n) / sampleRateHz + c) + 2 * NOISE_MV * uniform());
      }
      const until = leadOffs[k + 1]?.startSample ?? out.length;
      for (let n = span.endSample + 1; n < until; n++) out[n] = base + span.scaleAfter * (signal[n]! - base);
    });
    return out;
  });
}

/**
 * Plays `record`'s `signals` (lead-offs pasted) through the live pipeline as a Holter record
 * (holterAsAcquired); with `reported`, the device reports every electrode off over each span.
 */
export function playWithLeadOffs(
  record: ScoredRecord,
  signals: readonly Float64Array[],
  leadOffs: readonly LeadOff[],
  reported: boolean,
): LiveOutcome {
  const { channels, detectionLeads } = holterAsAcquired(signals);
  const starts = new Set(leadOffs.map((s) => s.startSample));
  const ends = new Set(leadOffs.map((s) => s.endSample + 1));
  return playLive(
    channels,
    record.sampleRateHz,
    1000 / record.gains[0]!,
    detectionLeads,
    reported
      ? (n, pipeline) => {
          if (starts.has(n)) pipeline.electrodesOff(LEAD_OFF_ELECTRODES);
          if (ends.has(n)) pipeline.electrodesOff([]);
        }
      : undefined,
  );
}
