/**
 * EDF+ export of one recording: the 12 leads (digital values = the same exact integers as the
 * WFDB export; −32768, below the declared digital minimum, marks missing samples) in 1-s records
 * (or the shortest whole number of seconds holding whole samples), and an "EDF Annotations"
 * signal carrying the provenance (at +0) and the recording's events (rhythm flags, lead-off, gaps,
 * markers). EDF+C when every record is present; EDF+D when records wholly inside a gap are left
 * out. The bytes come from `server-contract/formats/edf.ts`.
 */
import { EXPORT_LEADS, EXPORT_LEAD_DIVISORS } from '../../server-contract/formats/ecg-leads.js';
import {
  encodeEdfAnnotationBlock,
  encodeEdfRecord,
  edfExactDigitalMax,
  edfStartSecondMs,
  formatEdfHeader,
  type EdfAnnotation,
} from '../../server-contract/formats/edf.js';
import { HttpError } from '../errors.js';
import { ByteBuilder } from './byte-builder.js';
import { ecgBlocks, type EcgLayout } from './ecg-source.js';
import { recordingRows, type ExportEntry, type RecordingExport } from './entries.js';
import { filterText, provenanceLines } from './provenance.js';

const INVALID = -32768;
const ANNOTATION_BYTES = 512;

/** Record length: the shortest of these durations holding a whole number of samples. */
function recordPlan(rateHz: number): { durationS: number; samples: number } {
  for (const durationS of [1, 2, 4, 5, 8, 10]) {
    const samples = rateHz * durationS;
    if (Number.isInteger(samples)) return { durationS, samples };
  }
  throw new HttpError(409, 'conflict', `EDF+ needs whole samples per record; ${rateHz} Hz has none`);
}

/** Indexes of the records holding at least one sample, ascending. */
function* recordIndexes(layout: EcgLayout, samples: number): Generator<number> {
  let last = -1;
  for (const [a, b] of layout.present) {
    for (let r = Math.max(Math.floor(a / samples), last + 1); r <= Math.floor((b - 1) / samples); r++) {
      yield r;
      last = r;
    }
  }
}

function countRecords(layout: EcgLayout, samples: number): { count: number; continuous: boolean } {
  let count = 0;
  let continuous = true;
  for (const r of recordIndexes(layout, samples)) {
    if (r !== count) continuous = false;
    count++;
  }
  return { count, continuous };
}

function patientField(ex: RecordingExport): string {
  const code = ex.provenance.studyCode.replace(/\s+/g, '_') || 'X';
  const name = ex.identity?.name?.trim().replace(/\s+/g, '_');
  return `${code} X X ${name === undefined || name === '' ? 'X' : name}`.slice(0, 80);
}

function recordingField(ex: RecordingExport): string {
  const device = ex.provenance.devices.find((d) => d.kind === 'ecg12') ?? ex.provenance.devices[0];
  const equipment = `${device?.model ?? 'unknown'}_fw${device?.firmware ?? 'unknown'}`.replace(/\s+/g, '_');
  return `${ex.recording.id} X ${equipment.slice(0, 80 - 22 - 39)}`;
}

/** Provenance and events as EDF+ annotations, onsets relative to the header's start second. */
async function* annotationSource(
  ex: RecordingExport,
  startSecondMs: number,
  firstSampleS: number,
): AsyncGenerator<EdfAnnotation> {
  const sim = ex.provenance.simulated ? ['SIMULATED recording'] : [];
  for (const text of [...sim, ...provenanceLines(ex.provenance)]) yield { onsetS: firstSampleS, text };
  for await (const batch of recordingRows(ex, 'events')) {
    for (const e of batch) {
      const leads = Array.isArray(e.data.leads) ? ` ${(e.data.leads as unknown[]).join(' ')}` : '';
      const note = typeof e.data.note === 'string' ? `: ${e.data.note}` : '';
      const durationMs = typeof e.data.durationMs === 'number' ? e.data.durationMs : undefined;
      yield {
        onsetS: Math.max(firstSampleS, (e.tMs - startSecondMs) / 1000),
        durationS: durationMs === undefined ? undefined : durationMs / 1000,
        text: `${e.kind}${leads}${note}`,
      };
    }
  }
}

/** The EDF+ file of one recording (one entry). */
export function edfEntry(ex: RecordingExport, layout: EcgLayout, name = 'recording.edf'): ExportEntry {
  const plan = recordPlan(layout.sampleRateHz);
  return { name, compress: false, data: () => edfBytes(ex, layout, plan) };
}

async function* edfBytes(
  ex: RecordingExport,
  layout: EcgLayout,
  plan: { durationS: number; samples: number },
): AsyncGenerator<Uint8Array> {
  const { count, continuous } = countRecords(layout, plan.samples);
  const startSecondMs = edfStartSecondMs(layout.t0Ms);
  const offsetS = (layout.t0Ms - startSecondMs) / 1000;
  const lsbMicrovolts = layout.lsbNanovolts / 1000;
  const digitalMax = EXPORT_LEAD_DIVISORS.map((d) => edfExactDigitalMax(lsbMicrovolts / d));
  yield formatEdfHeader({
    patient: patientField(ex),
    recording: recordingField(ex),
    startMs: layout.t0Ms,
    recordCount: count,
    recordDurationS: plan.durationS,
    annotationBytesPerRecord: ANNOTATION_BYTES,
    continuous,
    signals: EXPORT_LEADS.map((lead, l) => {
      const perDigit = lsbMicrovolts / EXPORT_LEAD_DIVISORS[l]!;
      return {
        label: `ECG ${lead}`,
        transducer: 'ECG electrode',
        physicalDimension: 'uV',
        physicalMin: -digitalMax[l]! * perDigit,
        physicalMax: digitalMax[l]! * perDigit,
        digitalMin: -digitalMax[l]!,
        digitalMax: digitalMax[l]!,
        prefiltering: filterText(ex.provenance) === 'none declared' ? 'none' : filterText(ex.provenance),
        samplesPerRecord: plan.samples,
      };
    }),
  });
  const record = EXPORT_LEADS.map(() => new Int32Array(plan.samples));
  const recordBytes = EXPORT_LEADS.length * plan.samples * 2 + ANNOTATION_BYTES;
  const annotationScratch = new Uint8Array(ANNOTATION_BYTES);
  // Records are written into one reused buffer, handed on a piece at a time.
  const out = new ByteBuilder();
  const annotations = annotationSource(ex, startSecondMs, offsetS);
  const pending: EdfAnnotation[] = [];
  let annotationsDone = false;
  let current = -1;
  const flush = async (): Promise<void> => {
    const onsetS = offsetS + current * plan.durationS;
    const endS = onsetS + plan.durationS;
    while (!annotationsDone && (pending.length === 0 || pending[pending.length - 1]!.onsetS < endS)) {
      const next = await annotations.next();
      if (next.done === true) annotationsDone = true;
      else pending.push(next.value);
    }
    // `pending` is in onset order, so the due annotations are its front; those that do not fit
    // this record's annotation signal wait for the next one (their onsets stay exact).
    const due = pending.filter((a) => a.onsetS < endS);
    const dueCount = due.length;
    const block = encodeEdfAnnotationBlock(onsetS, due, ANNOTATION_BYTES, annotationScratch);
    pending.splice(0, dueCount - due.length);
    encodeEdfRecord(record, block, out.claim(recordBytes));
    for (const lead of record) lead.fill(INVALID);
  };
  for (const lead of record) lead.fill(INVALID);
  for await (const block of ecgBlocks(ex.store, ex.recording.id, ex.range)) {
    let k = 0;
    while (k < block.length) {
      const frame = block.startFrame + k;
      const r = Math.floor(frame / plan.samples);
      if (r !== current) {
        if (current >= 0) {
          await flush();
          if (out.full) {
            yield out.view();
            out.reset();
          }
        }
        current = r;
      }
      const at = frame - r * plan.samples;
      const n = Math.min(block.length - k, plan.samples - at);
      for (let l = 0; l < block.leads.length; l++) {
        const lead = block.leads[l]!;
        const dst = record[l]!;
        const max = digitalMax[l]!;
        for (let j = 0; j < n; j++) {
          const v = lead[k + j]!;
          dst[at + j] = v > max || v < -max ? INVALID : v;
        }
      }
      k += n;
    }
    ex.onFrames(block.length);
  }
  if (current >= 0) await flush();
  if (out.length > 0) yield out.view();
}
