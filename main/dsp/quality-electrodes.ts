/**
 * From lead statuses to the electrodes to check. Limb leads: I = LA − RA, II = LL − RA;
 * the precordial leads V1–V6 are each measured against Wilson's central terminal
 * (RA + LA + LL)/3. A loose limb electrode spoils the two limb leads that use it (and all
 * V leads, through the central terminal); a loose chest electrode spoils its own V lead.
 */
import type { Electrode } from '../../preload/schemas.js';
import { ACQUIRED_LEADS, type AcquiredLead } from './leads.js';
import { LeadQuality } from './quality.js';

/**
 * Electrodes to check, given one status code per acquired lead (ACQUIRED_LEADS order:
 * I, II, V1–V6). A lead is "bad" when flat or saturated (the signatures of a detached
 * electrode); noise alone does not point at one electrode.
 */
export function suspectElectrodes(status: ArrayLike<number>): Electrode[] {
  const bad = (lead: AcquiredLead): boolean => {
    const code = status[ACQUIRED_LEADS.indexOf(lead)];
    return code === LeadQuality.flat || code === LeadQuality.saturated;
  };
  const out: Electrode[] = [];
  const i = bad('I');
  const ii = bad('II');
  if (i && ii) out.push('RA');
  else if (i) out.push('LA');
  else if (ii) out.push('LL');
  const chest = (['V1', 'V2', 'V3', 'V4', 'V5', 'V6'] as const).filter(bad);
  // all six chest leads bad with good limb leads: the central terminal is fine, so each V is off
  for (const v of chest) out.push(v);
  return out;
}

/**
 * The acquired leads (ACQUIRED_LEADS order) that electrodes reported off spoil: a limb electrode
 * the limb leads built on it and every V lead (through the central terminal), a chest electrode
 * its own V lead.
 */
export function leadsSpoiledBy(off: readonly Electrode[]): boolean[] {
  const limbOff = off.includes('RA') || off.includes('LA') || off.includes('LL');
  return ACQUIRED_LEADS.map((lead) => {
    if (lead === 'I') return off.includes('RA') || off.includes('LA');
    if (lead === 'II') return off.includes('RA') || off.includes('LL');
    return limbOff || off.includes(lead);
  });
}
