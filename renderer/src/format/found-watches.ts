/** Watches seen during a scan, as the pairing list shows them. */
import type { FoundWatch } from '../api-types.js';

/**
 * Merges sightings by address (the latest sighting wins: RSSI changes as people move). While
 * `scanning`, a watch keeps its place and new ones join at the end, so the row staff are about to
 * press does not move; once the scan ends the list is sorted nearest first (strongest RSSI),
 * address as the tie-break.
 */
export function mergeFound(
  list: readonly FoundWatch[],
  seen: readonly FoundWatch[],
  scanning = false,
): FoundWatch[] {
  const byAddress = new Map(list.map((w) => [w.address, w]));
  for (const w of seen) byAddress.set(w.address, w);
  const merged = [...byAddress.values()];
  return scanning
    ? merged
    : merged.sort((a, b) => b.rssiDbm - a.rssiDbm || a.address.localeCompare(b.address));
}
