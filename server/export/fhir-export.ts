/**
 * FHIR R4 export of one recording: a `collection` Bundle, written as JSON text piece by piece,
 * holding a Patient (the study code only, unless an admin asked for identifying details), the ECG
 * unit and the gateway software as Devices (model, firmware, software/detector/measurement
 * versions, filters), one Observation per 10-s lead segment (MDC 131328 with a component per lead,
 * `valueSampledData` in µV, `E` where a sample is missing), and numeric Observations with LOINC
 * codes for heart rate, PR, QRS, QT, QTc (the formula in `method`) and SDNN. Every resource is
 * tagged `simulated` when the recording was. Sources: `../shared/research/domain-notes.md` §5.1.
 */
import { randomUUID } from 'node:crypto';
import type { BundleEntry, Device, Observation, ObservationComponent, Patient } from '@medplum/fhirtypes';
import { EXPORT_LEADS, EXPORT_LEAD_DIVISORS } from '../../server-contract/formats/ecg-leads.js';
import { ByteBuilder } from './byte-builder.js';
import { numericEntriesText, numericTemplates } from './fhir-numeric.js';
import { ecgBlocks, type EcgLayout } from './ecg-source.js';
import { recordingRows, textBytes, type ExportEntry, type RecordingExport } from './entries.js';
import { ECG_SEGMENT_SECONDS, MDC_SYSTEM, MDC_ECG_ELEC_POTL, MDC_LEAD_CODES } from './fhir-codes.js';

const TAG_SYSTEM = 'https://pulsewatch.example.org/fhir/CodeSystem/tags';

function meta(ex: RecordingExport) {
  return ex.provenance.simulated
    ? { tag: [{ system: TAG_SYSTEM, code: 'simulated', display: 'Recorded from simulated devices' }] }
    : undefined;
}

function entry(resource: Patient | Device | Observation, id: string): string {
  const e: BundleEntry = { fullUrl: `urn:uuid:${id}`, resource };
  return JSON.stringify(e);
}

function patient(ex: RecordingExport): Patient {
  const id = ex.identity;
  return {
    resourceType: 'Patient',
    meta: meta(ex),
    identifier: [{ system: 'urn:pulsewatch:study-code', value: ex.provenance.studyCode }],
    ...(id?.name === undefined ? {} : { name: [{ text: id.name }] }),
    ...(id?.phone === undefined ? {} : { telecom: [{ system: 'phone' as const, value: id.phone }] }),
    ...(id?.address === undefined ? {} : { address: [{ text: id.address }] }),
  };
}

function ecgDevice(ex: RecordingExport): Device {
  const d = ex.provenance.devices.find((x) => x.kind === 'ecg12') ?? ex.provenance.devices[0];
  return {
    resourceType: 'Device',
    meta: meta(ex),
    deviceName: [{ name: d?.model ?? 'unknown', type: 'model-name' }],
    version: [{ type: { text: 'firmware' }, value: d?.firmware ?? 'unknown' }],
  };
}

function softwareDevice(ex: RecordingExport): Device {
  const p = ex.provenance.processing;
  const version = (text: string, value: string | undefined) =>
    value === undefined ? [] : [{ type: { text }, value }];
  const filter = (text: string, hz: number | undefined) =>
    hz === undefined
      ? []
      : [
          {
            type: { text },
            valueQuantity: [{ value: hz, unit: 'Hz', system: 'http://unitsofmeasure.org', code: 'Hz' }],
          },
        ];
  return {
    resourceType: 'Device',
    meta: meta(ex),
    deviceName: [{ name: 'PulseWatch gateway', type: 'model-name' }],
    version: [
      ...version('gateway software', p?.softwareVersion),
      ...version(
        'beat detector',
        p?.detector === undefined ? undefined : `${p.detector.name} ${p.detector.version}`,
      ),
      ...version(
        'measurements',
        p?.measurements === undefined ? undefined : `${p.measurements.name} ${p.measurements.version}`,
      ),
      { type: { text: 'export server' }, value: ex.provenance.serverVersion },
    ],
    property: [
      ...filter('high-pass filter', p?.filters?.highPassHz),
      ...filter('low-pass filter', p?.filters?.lowPassHz),
      ...filter('notch filter', p?.filters?.notchHz),
    ],
  };
}

interface Refs {
  patient: string;
  ecgDevice: string;
  software: string;
}

function segmentObservation(
  ex: RecordingExport,
  layout: EcgLayout,
  refs: Refs,
  startFrame: number,
): Observation {
  const periodMs = 1000 / layout.sampleRateHz;
  const components: ObservationComponent[] = EXPORT_LEADS.map((lead, l) => ({
    code: {
      coding: [
        { system: MDC_SYSTEM, code: MDC_LEAD_CODES[lead].code, display: MDC_LEAD_CODES[lead].display },
      ],
    },
    valueSampledData: {
      origin: { value: 0, unit: 'uV', system: 'http://unitsofmeasure.org', code: 'uV' },
      period: periodMs,
      factor: layout.lsbNanovolts / 1000 / EXPORT_LEAD_DIVISORS[l]!,
      dimensions: 1,
      data: '',
    },
  }));
  return {
    resourceType: 'Observation',
    meta: meta(ex),
    status: 'final',
    category: [
      {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'procedure' }],
      },
    ],
    code: { coding: [{ system: MDC_SYSTEM, ...MDC_ECG_ELEC_POTL }] },
    subject: { reference: `urn:uuid:${refs.patient}` },
    effectiveDateTime: new Date(layout.t0Ms + startFrame * periodMs).toISOString(),
    device: { reference: `urn:uuid:${refs.ecgDevice}` },
    component: components,
  };
}

const SPACE = 0x20;
const MINUS = 0x2d;
const ZERO = 0x30;
const LETTER_E = 0x45;
/** Longest sample text: `-2147483648` and a space. */
const MAX_SAMPLE_CHARS = 12;

/**
 * Writes the SampledData text of one lead into `out` from index 0 and returns its length: the
 * integers in decimal (as `String(n)` writes them), `E` where `present` is 0, separated by
 * spaces. Digit by digit: no string per sample, no joined string per lead (a 24-h export made
 * ~10^9 of them). `out` needs `length × 12` bytes.
 */
function writeSampleText(values: Int32Array, present: Uint8Array, length: number, out: Uint8Array): number {
  let p = 0;
  for (let i = 0; i < length; i++) {
    if (i > 0) out[p++] = SPACE;
    if (present[i] !== 1) {
      out[p++] = LETTER_E;
      continue;
    }
    let v = values[i]!;
    if (v < 0) {
      out[p++] = MINUS;
      // -2^31 has no int32 negation: its digits are those of 2^31, written from a double.
      v = -v;
    }
    let end = p + 1;
    for (let rest = Math.floor(v / 10); rest > 0; rest = Math.floor(rest / 10)) end++;
    p = end;
    do {
      out[--end] = ZERO + (v % 10);
      v = Math.floor(v / 10);
    } while (v > 0);
  }
  return p;
}

/** {@link writeSampleText} into `scratch`, copied out at its exact length. */
export function sampleBytes(
  values: Int32Array,
  present: Uint8Array,
  length: number,
  scratch: Uint8Array,
): Uint8Array {
  return scratch.slice(0, writeSampleText(values, present, length, scratch));
}

interface Segment {
  startFrame: number;
  length: number;
  values: Int32Array[];
  present: Uint8Array;
}

/**
 * Appends one segment's Observation to `out`: the resource is stringified with empty `data`, and
 * each lead's samples are written into its place, so no string holds the resource's samples.
 * The sample text is digits, `-`, spaces and `E`: nothing JSON needs escaped.
 */
function writeSegment(
  out: ByteBuilder,
  ex: RecordingExport,
  layout: EcgLayout,
  refs: Refs,
  segment: Segment,
): void {
  const json = entry(segmentObservation(ex, layout, refs, segment.startFrame), randomUUID());
  const parts = json.split('"data":""');
  out.text(`,${parts[0]!}`);
  for (let l = 0; l < EXPORT_LEADS.length; l++) {
    out.text('"data":"');
    const region = out.claim(segment.length * MAX_SAMPLE_CHARS);
    const written = writeSampleText(segment.values[l]!, segment.present, segment.length, region);
    out.length -= region.length - written;
    out.text(`"${parts[l + 1]!}`);
  }
}

/** The segment Observations, written into `out` and handed on a piece at a time. */
async function* segments(
  out: ByteBuilder,
  ex: RecordingExport,
  layout: EcgLayout,
  refs: Refs,
): AsyncGenerator<Uint8Array> {
  const size = Math.max(1, Math.round(layout.sampleRateHz * ECG_SEGMENT_SECONDS));
  const values = EXPORT_LEADS.map(() => new Int32Array(size));
  const present = new Uint8Array(size);
  let segment = -1;
  // A segment spans its whole 10 s (or up to the last frame): missing samples are `E`.
  const current = (): Segment => ({
    startFrame: segment * size,
    length: Math.min(size, layout.frameCount - segment * size),
    values,
    present,
  });
  for await (const block of ecgBlocks(ex.store, ex.recording.id, ex.range)) {
    let k = 0;
    while (k < block.length) {
      const frame = block.startFrame + k;
      const s = Math.floor(frame / size);
      if (s !== segment) {
        if (segment >= 0) {
          writeSegment(out, ex, layout, refs, current());
          if (out.full) {
            yield out.view();
            out.reset();
          }
        }
        segment = s;
        present.fill(0);
      }
      const at = frame - s * size;
      const n = Math.min(block.length - k, size - at);
      for (let l = 0; l < values.length; l++) values[l]!.set(block.leads[l]!.subarray(k, k + n), at);
      present.fill(1, at, at + n);
      k += n;
    }
    ex.onFrames(block.length);
  }
  if (segment >= 0) writeSegment(out, ex, layout, refs, current());
}

async function* numeric(ex: RecordingExport, refs: Refs): AsyncGenerator<string> {
  const templates = numericTemplates(`urn:uuid:${refs.patient}`, `urn:uuid:${refs.software}`, meta(ex));
  for await (const batch of recordingRows(ex, 'measurements')) {
    for (const row of batch) yield numericEntriesText(templates, row);
  }
}

async function* bundleText(
  ex: RecordingExport,
  layout: EcgLayout | undefined,
): AsyncGenerator<string | Uint8Array> {
  const refs: Refs = { patient: randomUUID(), ecgDevice: randomUUID(), software: randomUUID() };
  const head = {
    resourceType: 'Bundle',
    meta: meta(ex),
    type: 'collection',
    timestamp: new Date(ex.provenance.exportedAtMs).toISOString(),
  };
  const out = new ByteBuilder();
  out.text(`${JSON.stringify(head).slice(0, -1)},"entry":[`);
  out.text(entry(patient(ex), refs.patient));
  out.text(`,${entry(ecgDevice(ex), refs.ecgDevice)},${entry(softwareDevice(ex), refs.software)}`);
  if (layout !== undefined) yield* segments(out, ex, layout, refs);
  // The rest is text: `textBytes` below copies it into pieces after what `out` still holds.
  if (out.length > 0) yield out.view();
  yield* numeric(ex, refs);
  yield ']}\n';
}

/** The FHIR Bundle of one recording (one JSON entry). */
export function fhirEntry(ex: RecordingExport, name = 'recording.fhir.json'): ExportEntry {
  return { name, compress: true, data: () => textBytes(bundleText(ex, ex.layout)) };
}
