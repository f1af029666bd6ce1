/**
 * Whole-record QRS detection: the live detector run over the record (one or several
 * leads), then each beat moved onto the R peak of the zero-phase-filtered signal, so the
 * causal filters' phase shift does not bias the beat times. Inside ventricular
 * flutter/fibrillation episodes there are no beats: the detector's marks there are waves of the
 * arrhythmia, and none is reported. The episodes are those of the live pipeline's rhythm gate
 * (rhythm-gate.ts: a VF detector on every lead, the first one leading), run over the record the
 * same way, so the whole-record and the live beats agree.
 */
import { butterworthHighpass, butterworthLowpass, cascade } from './filters-design.js';
import { filtfilt, type Samples } from './filters.js';
import { REFINE_BAND_HZ } from './qrs-feature.js';
import { QrsDetector } from './qrs-detector.js';
import { refineBeats } from './qrs-refine.js';
import { RhythmGate } from './rhythm-gate.js';

/** Options of the whole-record detector. */
export interface DetectQrsOptions {
  /** Threshold training period, seconds (default 4). */
  learningS?: number;
  /** Half-width of the final R-peak search on the zero-phase signal, seconds (default 0.04). */
  refineHalfWindowS?: number;
  /** Scale of the leads, µV per unit (default 1), for the VF detector's amplitude floor. */
  microvoltsPerUnit?: number;
  /** Leave out beats inside detected ventricular flutter/fibrillation (default true). */
  withholdInVf?: boolean;
}

/** The record's leads filtered zero-phase in the R-location band (1–40 Hz). */
export function refineBandSignals(leads: readonly Samples[], sampleRateHz: number): Float64Array[] {
  const sos = cascade(
    butterworthHighpass(1, REFINE_BAND_HZ[0], sampleRateHz),
    butterworthLowpass(2, Math.min(REFINE_BAND_HZ[1], 0.45 * sampleRateHz), sampleRateHz),
  );
  return leads.map((lead) => filtfilt(sos, lead, Math.round(sampleRateHz)));
}

/**
 * Detects QRS complexes in a whole record. `leads` holds one array per lead (same length,
 * any consistent units; invalid samples should be replaced beforehand). Returns the
 * R-peak sample indexes, ascending.
 */
export function detectQrs(
  leads: readonly Samples[],
  sampleRateHz: number,
  options: DetectQrsOptions = {},
): Int32Array {
  const leadCount = leads.length;
  const length = leads[0]?.length ?? 0;
  const rough: number[] = [];
  const gate =
    options.withholdInVf === false
      ? undefined
      : new RhythmGate(
          { sampleRateHz, microvoltsPerUnit: options.microvoltsPerUnit ?? 1, leadCount },
          (index) => rough.push(index),
          () => undefined,
        );
  const detector = new QrsDetector({ sampleRateHz, leadCount, learningS: options.learningS ?? 4 }, (index) =>
    gate ? gate.beat(index, 'Q') : rough.push(index),
  );
  const frame = new Float64Array(leadCount);
  for (let n = 0; n < length; n++) {
    for (let lead = 0; lead < leadCount; lead++) frame[lead] = leads[lead]![n]!;
    detector.step(frame);
    gate?.step(frame, true);
  }
  detector.flush();
  gate?.flush();
  rough.sort((a, b) => a - b);
  const refined = refineBandSignals(leads, sampleRateHz);
  return refineBeats(refined, rough, sampleRateHz, options.refineHalfWindowS ?? 0.04);
}
