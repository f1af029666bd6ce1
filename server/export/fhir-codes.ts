/**
 * The codes of the FHIR export. MDC (ISO/IEEE 11073-10101) lead codes under
 * `urn:oid:2.16.840.1.113883.6.24`, as in FHIR R4's `Observation/ekg` example; LOINC codes for the
 * numeric results (US Core clinical-test and vital-signs value sets); units in UCUM. Sources:
 * `../shared/research/domain-notes.md` §5.1.
 */
import type { Observation } from '@medplum/fhirtypes';
import type { LeadName } from '../../server-contract/api/index.js';
import type { MeasurementRow } from '../store/store.js';

/** The MDC code system's URI in FHIR (never `http://loinc.org` for MDC codes). */
export const MDC_SYSTEM = 'urn:oid:2.16.840.1.113883.6.24';
export const LOINC_SYSTEM = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';

/** Length of one ECG Observation (the R4 example also splits leads into short pieces). */
export const ECG_SEGMENT_SECONDS = 10;

export const MDC_ECG_ELEC_POTL = { code: '131328', display: 'MDC_ECG_ELEC_POTL' };

export const MDC_LEAD_CODES: Record<LeadName, { code: string; display: string }> = {
  I: { code: '131329', display: 'MDC_ECG_ELEC_POTL_I' },
  II: { code: '131330', display: 'MDC_ECG_ELEC_POTL_II' },
  V1: { code: '131331', display: 'MDC_ECG_ELEC_POTL_V1' },
  V2: { code: '131332', display: 'MDC_ECG_ELEC_POTL_V2' },
  V3: { code: '131333', display: 'MDC_ECG_ELEC_POTL_V3' },
  V4: { code: '131334', display: 'MDC_ECG_ELEC_POTL_V4' },
  V5: { code: '131335', display: 'MDC_ECG_ELEC_POTL_V5' },
  V6: { code: '131336', display: 'MDC_ECG_ELEC_POTL_V6' },
  III: { code: '131389', display: 'MDC_ECG_ELEC_POTL_III' },
  aVR: { code: '131390', display: 'MDC_ECG_ELEC_POTL_AVR' },
  aVL: { code: '131391', display: 'MDC_ECG_ELEC_POTL_AVL' },
  aVF: { code: '131392', display: 'MDC_ECG_ELEC_POTL_AVF' },
};

interface NumericCode {
  field: string;
  loinc: string;
  display: string;
  unit: 'ms' | '/min';
  method?: string;
}

/** Measurement fields (contract `MeasurementRecordSchema`) and their LOINC codes. */
export const NUMERIC_CODES: readonly NumericCode[] = [
  { field: 'heartRateBpm', loinc: '8867-4', display: 'Heart rate', unit: '/min' },
  { field: 'prMs', loinc: '8625-6', display: 'P-R interval', unit: 'ms' },
  { field: 'qrsMs', loinc: '8633-0', display: 'QRS duration', unit: 'ms' },
  { field: 'qtMs', loinc: '8634-8', display: 'Q-T interval', unit: 'ms' },
  { field: 'qtcBazettMs', loinc: '8636-3', display: 'Q-T interval corrected', unit: 'ms', method: 'Bazett' },
  {
    field: 'qtcFridericiaMs',
    loinc: '8636-3',
    display: 'Q-T interval corrected',
    unit: 'ms',
    method: 'Fridericia',
  },
  {
    field: 'qtcFraminghamMs',
    loinc: '8636-3',
    display: 'Q-T interval corrected',
    unit: 'ms',
    method: 'Framingham',
  },
  { field: 'qtcHodgesMs', loinc: '8636-3', display: 'Q-T interval corrected', unit: 'ms', method: 'Hodges' },
  {
    field: 'sdnnMs',
    loinc: '80404-7',
    display: 'R-R interval.standard deviation (Heart rate variability)',
    unit: 'ms',
  },
];

/** One Observation per non-null numeric value of a measurement snapshot. */
export function measurementObservations(row: MeasurementRow, subject: string, device: string): Observation[] {
  const out: Observation[] = [];
  const windowMs = typeof row.data.windowMs === 'number' ? row.data.windowMs : 0;
  for (const c of NUMERIC_CODES) {
    const value = row.data[c.field];
    if (typeof value !== 'number' || !Number.isFinite(value)) continue;
    out.push({
      resourceType: 'Observation',
      status: 'final',
      category: [
        {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/observation-category',
              code: c.field === 'heartRateBpm' ? 'vital-signs' : 'procedure',
            },
          ],
        },
      ],
      code: { coding: [{ system: LOINC_SYSTEM, code: c.loinc, display: c.display }] },
      subject: { reference: subject },
      effectivePeriod: {
        start: new Date(row.tMs - windowMs).toISOString(),
        end: new Date(row.tMs).toISOString(),
      },
      device: { reference: device },
      valueQuantity: { value, unit: c.unit === 'ms' ? 'ms' : 'beats/minute', system: UCUM, code: c.unit },
      ...(c.method === undefined ? {} : { method: { text: `QTc by the ${c.method} formula` } }),
      note: [{ text: 'Computed by PulseWatch, not a diagnosis.' }],
    });
  }
  return out;
}
