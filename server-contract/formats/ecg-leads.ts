/**
 * The 12 standard leads as exact integers, for the file formats that store integers (WFDB, EDF+,
 * FHIR SampledData). The unit acquires I, II, V1–V6 in counts; the host derives the rest
 * (Einthoven and Goldberger, `specs/ecg12-serial-protocol.md` §3): III = II − I,
 * aVR = −(I + II)/2, aVL = I − II/2, aVF = II − I/2. The augmented leads can be half a count, so
 * they are written in half counts (twice the value, with twice the gain): every exported sample is
 * an integer and reads back exactly.
 */
import { ACQUIRED_LEADS, STANDARD_LEAD_NAMES } from '../api/streams.js';

/** The 12 leads in export order (the contract's display order). */
export const EXPORT_LEADS = STANDARD_LEAD_NAMES;

/**
 * Per exported lead, how many stored integers make one acquired count: 1 for I, II, III, V1–V6,
 * 2 for aVR, aVL, aVF (half counts). A lead's physical unit per stored integer is
 * `lsbNanovolts / EXPORT_LEAD_DIVISORS[lead]`.
 */
export const EXPORT_LEAD_DIVISORS: readonly number[] = EXPORT_LEADS.map((lead) =>
  lead === 'aVR' || lead === 'aVL' || lead === 'aVF' ? 2 : 1,
);

/** The acquired channels are not the unit's 8 in wire order (stable `code`). */
export class LeadLayoutError extends Error {
  readonly code = 'lead_layout';
  constructor(message: string) {
    super(message);
    this.name = 'LeadLayoutError';
  }
}

/** Checks that `names` are the 8 acquired channels in wire order (I, II, V1–V6). */
export function checkAcquiredLeads(names: readonly string[]): void {
  if (names.length !== ACQUIRED_LEADS.length || names.some((n, i) => n !== ACQUIRED_LEADS[i])) {
    throw new LeadLayoutError(
      `ECG channels are ${names.join(', ')}; expected ${ACQUIRED_LEADS.join(', ')} (the unit's wire order)`,
    );
  }
}

/**
 * Derives the 12 export leads for samples `[from, to)` of the 8 acquired channels (counts) into
 * `out` (12 arrays, at least `to − from` long, written from index 0), as integers in the units of
 * {@link EXPORT_LEAD_DIVISORS}.
 */
export function deriveExportLeads(
  acquired: readonly ArrayLike<number>[],
  from: number,
  to: number,
  out: readonly Int32Array[],
): void {
  const [lI, lII, v1, v2, v3, v4, v5, v6] = acquired;
  if (v6 === undefined || lI === undefined || lII === undefined) {
    throw new LeadLayoutError(`need 8 acquired channels, got ${acquired.length}`);
  }
  const vs = [v1!, v2!, v3!, v4!, v5!, v6];
  const [oI, oII, oIII, oAvr, oAvl, oAvf] = out;
  for (let k = from, j = 0; k < to; k++, j++) {
    const i = lI[k]!;
    const ii = lII[k]!;
    oI![j] = i;
    oII![j] = ii;
    oIII![j] = ii - i;
    oAvr![j] = -(i + ii);
    oAvl![j] = 2 * i - ii;
    oAvf![j] = 2 * ii - i;
  }
  for (let v = 0; v < 6; v++) {
    const src = vs[v]!;
    const dst = out[6 + v]!;
    for (let k = from, j = 0; k < to; k++, j++) dst[j] = src[k]!;
  }
}
