/** Whole-record beat classes with the live classifier (benchmarks, tests, offline analysis). */
import { BeatClassifier, type ClassifiedBeat, type SampleReader } from './beat-classifier.js';
import { groupDelaySamples } from './filters-design.js';
import { sosFilter } from './filters.js';
import { refineBandSos } from './qrs-feature.js';

/**
 * A whole record's leads as the live classifier reads them: each lead filtered causally in
 * QrsFeature's refine band, read with that filter's delay compensated (indexes clamped to the
 * record).
 */
export function classifierReader(leads: readonly ArrayLike<number>[], sampleRateHz: number): SampleReader {
  const sos = refineBandSos(sampleRateHz);
  const delay = Math.max(0, Math.round(groupDelaySamples(sos, 10, sampleRateHz)));
  const filtered = leads.map((lead) => sosFilter(sos, lead, 'steady'));
  const length = filtered[0]?.length ?? 0;
  return (lead, index) => filtered[lead]![Math.min(length - 1, Math.max(0, index + delay))]!;
}

/**
 * Classes of a whole record's beats with the live classifier on the same signal the live
 * pipeline reads ({@link classifierReader}). `leads` in any consistent units; `beats` ascending.
 */
export function classifyRecordBeats(
  leads: readonly ArrayLike<number>[],
  beats: ArrayLike<number>,
  sampleRateHz: number,
): ClassifiedBeat[] {
  const read = classifierReader(leads, sampleRateHz);
  const classifier = new BeatClassifier({ sampleRateHz, leadCount: leads.length });
  const out: ClassifiedBeat[] = [];
  for (let k = 0; k < beats.length; k++) {
    const c = classifier.classify(beats[k]!, read);
    // a beat may revise the class of the one before it (the live pipeline applies it while the
    // beat is still held for the VF decision)
    if (c.revises !== undefined && k > 0 && beats[k - 1] === c.revises.sample)
      out[k - 1] = { ...out[k - 1]!, beatClass: c.revises.beatClass };
    out.push(c);
  }
  return out;
}
