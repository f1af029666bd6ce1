/**
 * A small per-process cache of computed trends: a 24-hour trend merges ~4 500 per-minute partials
 * (one JSON row per minute and source), and every clinician who opens the recording asks for the
 * same one. An entry is keyed by recording, range and bucket, and holds the version of the
 * recording's partials it was computed from (`Store.trendVersion`); a request first reads the
 * current version (one indexed aggregate) and uses the entry only when it is equal, so a replica
 * never serves a trend older than what the database holds, whichever replica stored the chunk.
 */
import type { Trend } from '../../server-contract/api/index.js';
import type { TrendVersion } from '../store/store.js';

/** Trends kept (each a few hundred kB as objects: a day at 1 min is 2 × 1440 points). */
export const TREND_CACHE_ENTRIES = 16;

/** The computed part of a trend: what the partials give, apart from the recording's own fields. */
export type TrendBuckets = Pick<Trend, 'ecg' | 'watch'>;

interface Entry {
  version: TrendVersion;
  buckets: TrendBuckets;
}

export interface TrendKey {
  recordingId: string;
  fromMs: number;
  toMs: number;
  bucketMs: number;
}

const keyOf = (k: TrendKey) => `${k.recordingId}|${k.fromMs}|${k.toMs}|${k.bucketMs}`;
const same = (a: TrendVersion, b: TrendVersion) => a.rows === b.rows && a.chunkIndexSum === b.chunkIndexSum;

/** Least-recently-used trends by key, each valid for one version of its recording's partials. */
export class TrendCache {
  private readonly entries = new Map<string, Entry>();
  hits = 0;
  misses = 0;

  constructor(private readonly maxEntries = TREND_CACHE_ENTRIES) {}

  /** The cached buckets for `key` at `version`, or those `compute` makes (then kept). */
  async get(
    key: TrendKey,
    version: TrendVersion,
    compute: () => Promise<TrendBuckets>,
  ): Promise<TrendBuckets> {
    const k = keyOf(key);
    const hit = this.entries.get(k);
    if (hit !== undefined && same(hit.version, version)) {
      this.hits++;
      this.entries.delete(k);
      this.entries.set(k, hit);
      return hit.buckets;
    }
    this.misses++;
    const buckets = await compute();
    this.entries.delete(k);
    this.entries.set(k, { version, buckets });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return buckets;
  }
}
