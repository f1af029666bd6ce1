/**
 * The numeric Observations of the FHIR export as text from per-code templates: each code's entry
 * is stringified once with marker values, and a measurement row becomes that text with its id,
 * times and value put in. The same JSON as stringifying each Observation (a test compares them),
 * without an object graph and a JSON.stringify per value: a day has ~300 000 of them, and their
 * garbage, promoted by the young generation's collections, grew the heap by ~100 MB.
 */
import { randomUUID } from 'node:crypto';
import type { BundleEntry, Meta, Observation } from '@medplum/fhirtypes';
import type { MeasurementRow } from '../store/store.js';
import { measurementObservations, NUMERIC_CODES } from './fhir-codes.js';

/** A time no measurement has (year 2999), and the window, to find the dates in the template. */
const MARK_T_MS = Date.UTC(2999, 0, 1, 0, 0, 0, 0);
const MARK_WINDOW_MS = 1;
const MARK_ID = 'ID-MARK-7f3a';
/** Marker values: the n-th code gets (n + 1) × 1e-300, written `1e-300`, `2e-300`, …. */
const markValue = (n: number) => (n + 1) * 1e-300;

interface Template {
  field: string;
  /** Text around the markers: id, start, end, value, in this order. */
  parts: [string, string, string, string, string];
}

function splitOnce(text: string, marker: string): [string, string] {
  const at = text.indexOf(marker);
  if (at < 0 || text.indexOf(marker, at + 1) >= 0)
    throw new Error(`FHIR template: marker ${marker} not found exactly once`);
  return [text.slice(0, at), text.slice(at + marker.length)];
}

/** Builds the templates for one export (its subject, device and meta are fixed). */
export function numericTemplates(subject: string, device: string, meta: Meta | undefined): Template[] {
  const data: Record<string, unknown> = { windowMs: MARK_WINDOW_MS };
  NUMERIC_CODES.forEach((c, n) => (data[c.field] = markValue(n)));
  const row: MeasurementRow = { tMs: MARK_T_MS, data };
  const observations = measurementObservations(row, subject, device);
  const start = JSON.stringify(new Date(MARK_T_MS - MARK_WINDOW_MS).toISOString());
  const end = JSON.stringify(new Date(MARK_T_MS).toISOString());
  return observations.map((o, n) => {
    const e: BundleEntry<Observation> = { fullUrl: `urn:uuid:${MARK_ID}`, resource: { ...o, meta } };
    const text = JSON.stringify(e);
    const [p0, r0] = splitOnce(text, MARK_ID);
    const [p1, r1] = splitOnce(r0, start);
    const [p2, r2] = splitOnce(r1, end);
    const [p3, p4] = splitOnce(r2, JSON.stringify(markValue(n)));
    return { field: NUMERIC_CODES[n]!.field, parts: [p0, p1, p2, p3, p4] };
  });
}

/** The entries of one row (each preceded by a comma), as `measurementObservations` would give them. */
export function numericEntriesText(
  templates: readonly Template[],
  row: MeasurementRow,
  id: () => string = randomUUID,
): string {
  const windowMs = typeof row.data.windowMs === 'number' ? row.data.windowMs : 0;
  let start: string | undefined;
  let end: string | undefined;
  let text = '';
  for (const t of templates) {
    const value = row.data[t.field];
    if (typeof value !== 'number' || !Number.isFinite(value)) continue;
    start ??= JSON.stringify(new Date(row.tMs - windowMs).toISOString());
    end ??= JSON.stringify(new Date(row.tMs).toISOString());
    const p = t.parts;
    text += `,${p[0]}${id()}${p[1]}${start}${p[2]}${end}${p[3]}${String(value)}${p[4]}`;
  }
  return text;
}
