/** Watches seen during a scan, as the pairing list shows them. */
import type { FoundWatch } from '../api-types.js';

/**
 * Merges sightings by address (the latest sighting wins: RSSI changes as people move) and sorts
 * nearest first (strongest RSSI), address as the tie-break so the list does not jump about.
 */
export function mergeFound(list: readonly FoundWatch[], seen: readonly FoundWatch[]): FoundWatch[] {
  const byAddress = new Map(list.map((w) => [w.address, w]));
  for (const w of seen) byAddress.set(w.address, w);
  return [...byAddress.values()].sort((a, b) => b.rssiDbm - a.rssiDbm || a.address.localeCompare(b.address));
}
