/**
 * What the server holds for a recording, checked against what the simulated unit produced. The
 * simulated ECG-12 unit plays `syntheticSource(rate, 476.84 nV, seed 7)` and restarts at run index
 * 0 with every START (each gateway start is a new run), so every sample the server holds can be
 * compared with the source at its run index. Reported:
 * - `lostSamples`: ECG samples that differ from the source, lie in a chunk index the recording's
 *   final counts promise but the server lacks (counted at the chunk's nominal length), or are
 *   missing inside a device run without the chunk's gap list or a recorded gap saying so;
 * - `duplicateChunks`: chunk indexes held twice, and chunks whose samples overlap another's;
 * - `unrecordedGapMs`: time inside a stream's span that neither data nor a recorded gap covers.
 */
import Database from 'better-sqlite3';
import { decodeChunk, sampleRunIndex, type SampledChunk } from '../../../server-contract/codec/index.js';
import { syntheticSource } from '../../../main/devices/ecg12/sim/synthetic-source.js';
import { coverageOfChunks } from '../recorder/coverage.js';

export const SIM_LSB_NANOVOLTS = 476.84;
export const SIM_SEED = 7;

export interface RecordingCheck {
  recordingId: string;
  chunks: number;
  ecgSamples: number;
  lostSamples: number;
  duplicateChunks: number;
  unrecordedGapMs: number;
  recordedGapMs: number;
  missingChunks: string[];
  holes: string[];
  ended: boolean;
}

export interface ChunkRow {
  stream: string;
  chunk_index: number;
  blob: Buffer;
}

/** One recording as the server's SQLite file holds it (read-only; read after the server stopped). */
export interface ServerRecording {
  finalCounts: Record<string, number>;
  ended: boolean;
  rows: ChunkRow[];
}

export function readServerRecording(databaseFile: string, recordingId: string): ServerRecording {
  const db = new Database(databaseFile, { readonly: true });
  try {
    const recording = db
      .prepare('SELECT final_counts_json, ended_at_ms FROM recordings WHERE id = ?')
      .get(recordingId) as { final_counts_json: string | null; ended_at_ms: number | null } | undefined;
    if (recording === undefined) throw new Error(`the server has no recording ${recordingId}`);
    const rows = db
      .prepare(
        'SELECT stream, chunk_index, blob FROM chunks WHERE recording_id = ? ORDER BY stream, chunk_index',
      )
      .all(recordingId) as ChunkRow[];
    return {
      finalCounts: JSON.parse(recording.final_counts_json ?? '{}') as Record<string, number>,
      ended: recording.ended_at_ms !== null,
      rows,
    };
  } finally {
    db.close();
  }
}

/** Checks one recording in the server's SQLite file (read-only). */
export function checkRecording(
  databaseFile: string,
  recordingId: string,
  ecgChunkSeconds: number,
): RecordingCheck {
  const { finalCounts, ended, rows } = readServerRecording(databaseFile, recordingId);
  const chunks = rows.map((r) => decodeChunk(new Uint8Array(r.blob)));
  const result: RecordingCheck = {
    recordingId,
    chunks: chunks.length,
    ecgSamples: 0,
    lostSamples: 0,
    duplicateChunks: 0,
    unrecordedGapMs: 0,
    recordedGapMs: 0,
    missingChunks: [],
    holes: [],
    ended,
  };
  const ecg = chunks.filter(
    (c): c is SampledChunk => c.header.kind === 'sampled' && c.header.stream === 'ecg',
  );
  const rate = ecg[0]?.header.sampleRateHz ?? 500;
  for (const [stream, count] of Object.entries(finalCounts)) {
    const have = new Set(rows.filter((r) => r.stream === stream).map((r) => r.chunk_index));
    for (let i = 0; i < count; i++) {
      if (have.has(i)) continue;
      result.missingChunks.push(`${stream}#${i}`);
      if (stream === 'ecg') result.lostSamples += Math.round(ecgChunkSeconds * rate);
    }
  }
  result.lostSamples += checkValues(ecg, result);
  const events = chunks
    .filter((c) => c.header.kind === 'records' && c.header.stream === 'events')
    .flatMap((c) =>
      'records' in c
        ? (c.records as unknown as { tMs: number; kind: string; durationMs?: number; note?: string }[])
        : [],
    );
  const gaps = events
    .filter((e) => e.kind === 'gap' && (e.note ?? '').startsWith('ecg:'))
    .map((e): [number, number] => [e.tMs, e.tMs + (e.durationMs ?? 0)]);
  result.recordedGapMs = gaps.reduce((ms, [from, to]) => ms + (to - from), 0);
  result.lostSamples += holesInsideRuns(ecg, gaps, result);
  const coverage = coverageOfChunks(chunks, events);
  result.unrecordedGapMs = coverage.uncoveredMs;
  result.duplicateChunks = coverage.duplicateChunks + (coverage.duplicateMs > 0 ? 1 : 0);
  result.holes.push(...coverage.holes.map((h) => `${h.stream}: ${h.fromMs.toFixed(1)}–${h.toMs.toFixed(1)}`));
  return result;
}

/** Samples that differ from the simulated source at their run index. */
function checkValues(ecg: SampledChunk[], result: RecordingCheck): number {
  let wrong = 0;
  const expected = new Int32Array(8);
  for (const chunk of ecg) {
    const source = syntheticSource(chunk.header.sampleRateHz, SIM_LSB_NANOVOLTS, { seed: SIM_SEED });
    for (let i = 0; i < chunk.header.sampleCount; i++) {
      source.fill(sampleRunIndex(chunk.header, i), expected, 0);
      result.ecgSamples++;
      for (let c = 0; c < 8; c++) {
        if (chunk.samples[c]![i] !== expected[c]) {
          wrong++;
          break;
        }
      }
    }
  }
  return wrong;
}

/**
 * Slots missing between consecutive chunks of one device run (each run is one anchor) that no
 * recorded gap covers (capture paused at a full disk is a recorded gap; a lost chunk is not).
 */
function holesInsideRuns(ecg: SampledChunk[], gaps: [number, number][], result: RecordingCheck): number {
  const runs = new Map<number, SampledChunk[]>();
  for (const c of ecg) runs.set(c.header.anchorMs, [...(runs.get(c.header.anchorMs) ?? []), c]);
  let missing = 0;
  for (const [anchor, list] of runs) {
    list.sort((a, b) => a.header.firstSampleIndex - b.header.firstSampleIndex);
    for (let k = 1; k < list.length; k++) {
      const prev = list[k - 1]!.header;
      const end =
        prev.firstSampleIndex + prev.sampleCount + prev.gaps.reduce((n, g) => n + g.lengthSamples, 0);
      const next = list[k]!.header.firstSampleIndex;
      const rate = list[k]!.header.sampleRateHz;
      const fromMs = anchor + (end * 1000) / rate;
      const toMs = anchor + (next * 1000) / rate;
      const recorded = gaps.some(([a, b]) => a <= fromMs + 1 && b >= toMs - 1);
      if (next > end && !recorded) {
        missing += next - end;
        result.holes.push(`ecg run ${anchor}: slots ${end}–${next} in no chunk`);
      }
    }
  }
  return missing;
}
