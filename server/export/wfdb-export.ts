/**
 * WFDB export of one recording: `recording.dat` (format 16, the 12 leads interleaved, gaps as
 * −32768), `recording.atr` (the detected beats, MIT format) and `recording.hea` (written last:
 * its initial values and checksums need every sample). The bytes come from the shared writer in
 * `server-contract/formats/`, so the gateway writes the same files.
 */
import { EXPORT_LEADS, EXPORT_LEAD_DIVISORS } from '../../server-contract/formats/ecg-leads.js';
import { MitAnnotationWriter } from '../../server-contract/formats/wfdb-annotations.js';
import {
  WFDB_INVALID_SAMPLE,
  encodeFormat16,
  formatWfdbHeader,
  wfdbChecksumUpdate,
} from '../../server-contract/formats/wfdb.js';
import { ecgBlocks, ecgFrames, type EcgLayout } from './ecg-source.js';
import { recordingRows, textBytes, type ExportEntry, type RecordingExport } from './entries.js';
import { provenanceLines } from './provenance.js';

/** WFDB record name used for every exported record (files `recording.hea` / `.dat` / `.atr`). */
export const WFDB_RECORD_NAME = 'recording';

/** Beat classes (contract `BeatClassSchema`) as MIT annotation symbols. */
const BEAT_SYMBOL: Record<string, string> = { N: 'N', S: 'S', V: 'V', Q: 'Q' };

interface SignalState {
  initialValue: number | undefined;
  checksum: number;
}

/** Marks values format 16 cannot hold (and the reserved −32768) invalid; returns how many were real values. */
function sanitize(lead: Int32Array, isGap: boolean): number {
  if (isGap) return 0;
  let clipped = 0;
  for (let i = 0; i < lead.length; i++) {
    const v = lead[i]!;
    if (v > 32767 || v < -32767) {
      lead[i] = WFDB_INVALID_SAMPLE;
      clipped++;
    }
  }
  return clipped;
}

function datEntry(
  ex: RecordingExport,
  layout: EcgLayout,
  state: SignalState[],
  counts: { clipped: number },
): ExportEntry {
  return {
    name: `${WFDB_RECORD_NAME}.dat`,
    compress: false,
    data: async function* () {
      const blocks = ecgFrames(
        ecgBlocks(ex.store, ex.recording.id, ex.range),
        layout.frameCount,
        WFDB_INVALID_SAMPLE,
      );
      // One reused buffer: each piece is written to the client before the next is asked for.
      let out = new Uint8Array(0);
      for await (const block of blocks) {
        const isGap = block.gap === true;
        block.leads.forEach((lead, l) => {
          counts.clipped += sanitize(lead, isGap);
          const s = state[l]!;
          s.initialValue ??= lead[0];
          s.checksum = wfdbChecksumUpdate(s.checksum, lead);
        });
        const size = block.length * block.leads.length * 2;
        if (out.length < size) out = new Uint8Array(size);
        yield encodeFormat16(block.leads, out);
        if (!isGap) ex.onFrames(block.length);
      }
    },
  };
}

function atrEntry(ex: RecordingExport, layout: EcgLayout): ExportEntry {
  return {
    name: `${WFDB_RECORD_NAME}.atr`,
    compress: true,
    data: async function* () {
      const writer = new MitAnnotationWriter();
      const msPerFrame = 1000 / layout.sampleRateHz;
      for await (const batch of recordingRows(ex, 'beats')) {
        const annotations = [];
        for (const beat of batch) {
          const sample = Math.round((beat.tMs - layout.t0Ms) / msPerFrame);
          if (sample < 0 || sample >= layout.frameCount) continue;
          annotations.push({ sample, symbol: BEAT_SYMBOL[beat.beatClass] ?? 'Q' });
        }
        yield writer.write(annotations);
      }
      yield writer.end();
    },
  };
}

function heaEntry(
  ex: RecordingExport,
  layout: EcgLayout,
  state: SignalState[],
  counts: { clipped: number },
): ExportEntry {
  return {
    name: `${WFDB_RECORD_NAME}.hea`,
    compress: true,
    // Computed when the zip reaches it, after the .dat has been written (checksums, initial values).
    data: () => textBytes(headerText(ex, layout, state, counts)),
  };
}

function* headerText(
  ex: RecordingExport,
  layout: EcgLayout,
  state: SignalState[],
  counts: { clipped: number },
): Generator<string> {
  const lsbMicrovolts = layout.lsbNanovolts / 1000;
  const text = formatWfdbHeader({
    recordName: WFDB_RECORD_NAME,
    samplingFrequencyHz: layout.sampleRateHz,
    sampleCount: layout.frameCount,
    startMs: layout.t0Ms,
    signals: EXPORT_LEADS.map((lead, l) => ({
      gain: (1000 * EXPORT_LEAD_DIVISORS[l]!) / lsbMicrovolts,
      baseline: 0,
      units: 'mV',
      description: lead,
      initialValue: state[l]!.initialValue ?? 0,
      checksum: state[l]!.checksum,
    })),
    comments: [
      ...provenanceLines(ex.provenance),
      ...identityLines(ex),
      'leads: I II III V1-V6 in device counts; aVR aVL aVF in half counts (gain doubled), so every sample is exact',
      `gaps: ${layout.frameCount - layout.presentFrames} frames with no samples, written as -32768`,
      `out_of_range_samples_written_as_invalid: ${counts.clipped}`,
      `overlapping_samples_dropped: ${layout.overlapFrames}`,
    ],
  });
  yield text;
}

/** Identifying details as header comments, only when an admin asked for them. */
function identityLines(ex: RecordingExport): string[] {
  const id = ex.identity;
  if (id === undefined) return [];
  return [`name: ${id.name ?? ''}`, `phone: ${id.phone ?? ''}`, `address: ${id.address ?? ''}`].map((l) =>
    l.replace(/[^\x20-\x7e]/g, '?'),
  );
}

/** The three WFDB files of one recording, in the order they must be written. */
export function wfdbEntries(ex: RecordingExport, layout: EcgLayout): ExportEntry[] {
  const state: SignalState[] = EXPORT_LEADS.map(() => ({ initialValue: undefined, checksum: 0 }));
  const counts = { clipped: 0 };
  return [datEntry(ex, layout, state, counts), atrEntry(ex, layout), heaEntry(ex, layout, state, counts)];
}
