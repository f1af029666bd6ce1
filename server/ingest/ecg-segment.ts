/**
 * An ECG segment for a time range, decoded from the stored chunks: integer counts per channel
 * split into runs wherever the sample clock is not contiguous, plus the gaps the chunks record.
 */
import { LeadNameSchema, type LeadName } from '../../server-contract/api/index.js';
import { decodeChunk, sampleRunIndex, type SampledChunk } from '../../server-contract/codec/index.js';
import { notFound } from '../errors.js';
import type { RecordingRecord, StoredChunk, TimeRange } from '../store/store.js';

interface Run {
  startMs: number;
  sampleCount: number;
  channels: number[][];
}

const NANOVOLTS_PER: Record<string, number> = { nv: 1, uv: 1_000, µv: 1_000, mv: 1_000_000 };

function lsbNanovolts(chunk: SampledChunk): number {
  const scale = chunk.header.channels[0]!.scale;
  const factor = NANOVOLTS_PER[scale.unit.toLowerCase()];
  if (factor === undefined) throw new Error(`stored ECG chunk has unit ${scale.unit}`);
  return scale.perCount * factor;
}

function gapsInRange(chunk: SampledChunk, range: TimeRange) {
  const h = chunk.header;
  const msPerSample = 1000 / h.sampleRateHz;
  let skipped = 0;
  const out: { startMs: number; durationMs: number; cause: string }[] = [];
  for (const gap of h.gaps) {
    const startMs = h.anchorMs + (h.firstSampleIndex + gap.atSample + skipped) * msPerSample;
    skipped += gap.lengthSamples;
    const durationMs = gap.lengthSamples * msPerSample;
    if (startMs < range.toMs && startMs + durationMs > range.fromMs)
      out.push({ startMs, durationMs, cause: gap.cause });
  }
  return out;
}

/** Builds the segment; 404 when no ECG chunk overlaps the range. */
export function ecgSegment(recording: RecordingRecord, stored: StoredChunk[], range: TimeRange) {
  const chunks = stored.map((c) => decodeChunk(c.bytes)).filter((c): c is SampledChunk => 'samples' in c);
  const first = chunks[0];
  if (!first) throw notFound('ECG in this time range');
  const leads: LeadName[] = first.header.channels.map((c) => LeadNameSchema.parse(c.name));
  const runs: Run[] = [];
  const gaps = [];
  let current: Run | undefined;
  let previous: { anchorMs: number; runIndex: number } | undefined;
  for (const chunk of chunks) {
    const h = chunk.header;
    gaps.push(...gapsInRange(chunk, range));
    for (let i = 0; i < h.sampleCount; i++) {
      const runIndex = sampleRunIndex(h, i);
      const tMs = h.anchorMs + (runIndex * 1000) / h.sampleRateHz;
      if (tMs < range.fromMs || tMs >= range.toMs) continue;
      const contiguous =
        previous !== undefined && previous.anchorMs === h.anchorMs && previous.runIndex + 1 === runIndex;
      if (!current || !contiguous) {
        current = { startMs: tMs, sampleCount: 0, channels: h.channels.map(() => []) };
        runs.push(current);
      }
      for (let c = 0; c < chunk.samples.length; c++) current.channels[c]!.push(chunk.samples[c]![i]!);
      current.sampleCount++;
      previous = { anchorMs: h.anchorMs, runIndex };
    }
  }
  return {
    recordingId: recording.id,
    simulated: recording.simulated,
    sampleRateHz: first.header.sampleRateHz,
    lsbNanovolts: lsbNanovolts(first),
    leads,
    runs,
    gaps,
  };
}
