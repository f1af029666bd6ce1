/**
 * What a sampled chunk's header must say before the server stores it, beyond what the codec
 * checks: at least one sample, a plausible rate (for ECG, the recording's own rate), ECG channels
 * that are distinct standard leads in a voltage unit with one scale, and a time span inside the
 * contract's epoch range. A chunk breaking one is refused (422 `chunk_corrupt`, the same bytes fail
 * again) instead of being stored and breaking the ECG view or the series later.
 */
import { EpochMsSchema, LeadNameSchema, type StreamName } from '../../server-contract/api/index.js';
import type { SampledChunkHeader } from '../../server-contract/codec/index.js';
import { HttpError } from '../errors.js';

/** Sample rates a sampled stream may have, Hz (ECG units: 100–2000; watch streams: 1–1000). */
export const SAMPLE_RATE_BOUNDS_HZ: Record<string, readonly [number, number]> = {
  ecg: [50, 10_000],
  accel: [0.5, 1000],
  ppg: [0.5, 1000],
};

const ECG_UNITS = new Set(['nv', 'uv', 'µv', 'mv']);

const refuse = (message: string) => new HttpError(422, 'chunk_corrupt', message);

function checkEcgChannels(header: SampledChunkHeader): void {
  const names = header.channels.map((c) => c.name);
  for (const name of names) {
    if (!LeadNameSchema.safeParse(name).success)
      throw refuse(`ECG channel ${JSON.stringify(name)} is not a standard lead`);
  }
  if (new Set(names).size !== names.length) throw refuse('ECG channels repeat a lead');
  const [first] = header.channels;
  if (first === undefined || !ECG_UNITS.has(first.scale.unit.toLowerCase())) {
    throw refuse(`ECG unit ${first?.scale.unit ?? '(none)'} is not nV, µV or mV`);
  }
  if (
    header.channels.some(
      (c) => c.scale.unit !== first.scale.unit || c.scale.perCount !== first.scale.perCount,
    )
  ) {
    throw refuse('ECG channels must share one scale');
  }
}

/**
 * Checks a sampled chunk of `stream`; `recordingEcgRateHz` is the rate the recording was started
 * with (null when it named none). `span` is the chunk's time span as the server computes it.
 */
export function checkSampledHeader(
  stream: StreamName,
  header: SampledChunkHeader,
  span: { startMs: number; endMs: number },
  recordingEcgRateHz: number | null,
): void {
  if (header.sampleCount < 1) throw refuse('a sampled chunk holds at least one sample');
  const [low, high] = SAMPLE_RATE_BOUNDS_HZ[stream] ?? [0.5, 10_000];
  if (!(header.sampleRateHz >= low && header.sampleRateHz <= high)) {
    throw refuse(`${stream} sample rate ${header.sampleRateHz} Hz is outside ${low}–${high} Hz`);
  }
  if (stream === 'ecg') {
    if (recordingEcgRateHz !== null && header.sampleRateHz !== recordingEcgRateHz) {
      throw refuse(
        `ECG chunk at ${header.sampleRateHz} Hz in a recording started at ${recordingEcgRateHz} Hz`,
      );
    }
    checkEcgChannels(header);
  }
  if (!EpochMsSchema.safeParse(span.startMs).success || !EpochMsSchema.safeParse(span.endMs).success) {
    throw refuse('the chunk’s samples fall outside the epoch range the contract allows');
  }
}
