/**
 * The 12 standard leads from the 8 acquired channels (I, II, V1–V6), by Einthoven's and
 * Goldberger's relations: III = II − I, aVR = −(I + II)/2, aVL = I − II/2, aVF = II − I/2.
 */
import {
  ACQUIRED_LEADS as ACQUIRED_LEAD_NAMES,
  STANDARD_LEAD_NAMES,
} from '../../server-contract/api/streams.js';
import type { Samples } from './filters.js';

/** Channel order of the acquired frame (the unit's wire order). */
export const ACQUIRED_LEADS = ACQUIRED_LEAD_NAMES;
/** Order of the derived 12-lead frame (the contract's lead order). */
export const STANDARD_LEADS = STANDARD_LEAD_NAMES;

export type AcquiredLead = (typeof ACQUIRED_LEADS)[number];
export type StandardLead = (typeof STANDARD_LEADS)[number];

/** Wrong number of channels for lead derivation (stable `code`). */
export class LeadDerivationError extends Error {
  readonly code = 'LEAD_COUNT';
  constructor(message: string) {
    super(message);
    this.name = 'LeadDerivationError';
  }
}

/** Index of a lead in the 12-lead frame. */
export function standardLeadIndex(lead: StandardLead): number {
  return STANDARD_LEADS.indexOf(lead);
}

/**
 * Writes the 12 leads for one acquired frame (8 values, ACQUIRED_LEADS order) into `out`
 * (12 values, STANDARD_LEADS order), in the input's units.
 */
export function deriveFrame(acquired: Samples, out: Float64Array | Float32Array): void {
  const i = acquired[0]!;
  const ii = acquired[1]!;
  out[0] = i;
  out[1] = ii;
  out[2] = ii - i;
  out[3] = -(i + ii) / 2;
  out[4] = i - ii / 2;
  out[5] = ii - i / 2;
  for (let v = 0; v < 6; v++) out[6 + v] = acquired[2 + v]!;
}

/** Derives whole leads: 8 arrays in (same length) → 12 Float64Arrays out. */
export function deriveLeads(acquired: readonly Samples[]): Float64Array[] {
  if (acquired.length !== ACQUIRED_LEADS.length) {
    throw new LeadDerivationError(
      `expected ${ACQUIRED_LEADS.length} acquired channels, got ${acquired.length}`,
    );
  }
  const length = acquired[0]!.length;
  const out = STANDARD_LEADS.map(() => new Float64Array(length));
  const frame = new Float64Array(ACQUIRED_LEADS.length);
  const derived = new Float64Array(STANDARD_LEADS.length);
  for (let n = 0; n < length; n++) {
    for (let c = 0; c < frame.length; c++) frame[c] = acquired[c]![n]!;
    deriveFrame(frame, derived);
    for (let l = 0; l < derived.length; l++) out[l]![n] = derived[l]!;
  }
  return out;
}
