/**
 * The clinic's earlier recording format (../shared/requirements.md, "The current desktop
 * monitor"), rebuilt from what the server received so its size can be compared with ours: every
 * 5 s one JSON snapshot of all 12 leads, 400 samples each at 80 Hz, plus metrics and arrhythmia
 * events, e.g. `{"timestamp": "...", "metrics": {"heart_rate": 75, "pr_interval": 160, ...},
 * "ecg_snapshot": {"I": [0.123, 0.145, ...], ...}, "events": {"arrhythmias": ["PVC"]}}`.
 *
 * How it is made here: the 8 acquired channels (500 Hz counts) are resampled to 80 Hz with the
 * project's band-limited resampler (main/dsp/resample.ts: the clinic's unit sampled at 80 Hz),
 * the 12 leads derived (main/dsp/leads.ts), values written in mV with 3 decimals as the example
 * shows, in the layout Python's `json.dumps` writes (`", "` and `": "` separators, floats with a
 * decimal point); metrics from the latest measurement record at the window's end, arrhythmias
 * from the PVC/PAC events inside the window. Each entry is serialised for real and its UTF-8
 * bytes counted (entries are not kept).
 */
import type { RecordsChunk, SampledChunk } from '../server-contract/codec/index.js';
import { deriveFrame, STANDARD_LEADS } from '../main/dsp/leads.js';
import { resample } from '../main/dsp/resample.js';

export const SNAPSHOT_SECONDS = 5;
export const SNAPSHOT_RATE_HZ = 80;

/** What the clinic's format would have taken for the same recording. */
export interface ClinicJsonSize {
  entries: number;
  bytes: number;
  meanEntryBytes: number;
  /** One entry, for the reader to see (the first). */
  example: string;
}

/** A float as Python's `repr` writes it after `round(x, 3)` (always with a decimal point). */
export function pyFloat3(value: number): string {
  const rounded = Math.round(value * 1000) / 1000;
  if (rounded === 0) return Object.is(rounded, -0) ? '-0.0' : '0.0';
  const text = String(rounded);
  return Number.isInteger(rounded) ? `${text}.0` : text;
}

/** Python `json.dumps` layout for what these entries hold (strings, numbers, lists, dicts). */
export function pyJson(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return String(value);
  if (value instanceof Float64Array) return `[${Array.from(value, pyFloat3).join(', ')}]`;
  if (Array.isArray(value)) return `[${value.map(pyJson).join(', ')}]`;
  if (typeof value === 'object') {
    const parts = Object.entries(value as Record<string, unknown>).map(
      ([k, v]) => `${JSON.stringify(k)}: ${pyJson(v)}`,
    );
    return `{${parts.join(', ')}}`;
  }
  throw new Error(`cannot write ${typeof value} as JSON`);
}

/** The 8 channels of contiguous ECG chunks as one array each (throws on a hole: this run has none). */
function concatEcg(ecg: SampledChunk[]): { channels: Int32Array[]; anchorMs: number; rateHz: number } {
  const sorted = [...ecg].sort((a, b) => a.header.firstSampleIndex - b.header.firstSampleIndex);
  const first = sorted[0];
  if (first === undefined) throw new Error('no ECG chunks');
  const total = sorted.reduce((n, c) => n + c.header.sampleCount, 0);
  const channels = first.samples.map(() => new Int32Array(total));
  let at = 0;
  for (const chunk of sorted) {
    if (chunk.header.firstSampleIndex !== at || chunk.header.gaps.length > 0)
      throw new Error(`ECG chunk ${chunk.header.chunkIndex} does not follow on at set ${at}`);
    chunk.samples.forEach((s, c) => channels[c]!.set(s, at));
    at += chunk.header.sampleCount;
  }
  return { channels, anchorMs: first.header.anchorMs, rateHz: first.header.sampleRateHz };
}

type Measurement = Record<string, unknown> & { tMs: number };

function metricsAt(measurements: Measurement[], endMs: number): Record<string, number | null> {
  let latest: Measurement | undefined;
  for (const m of measurements) if (m.tMs <= endMs) latest = m;
  const num = (key: string): number | null => {
    const v = latest?.[key];
    return typeof v === 'number' ? Math.round(v * 10) / 10 : null;
  };
  const st = latest?.stUv as Record<string, number> | undefined;
  return {
    heart_rate: num('heartRateBpm'),
    pr_interval: num('prMs'),
    qrs_duration: num('qrsMs'),
    qt_interval: num('qtMs'),
    qtc: num('qtcBazettMs'),
    qrs_axis: num('qrsAxisDeg'),
    st_level: st?.II === undefined ? null : Math.round(st.II) / 1000,
    rr_interval: num('rrMs'),
    hrv_sdnn: num('sdnnMs'),
    hrv_rmssd: num('rmssdMs'),
  };
}

/** Sizes the clinic's JSON snapshots of the ECG, measurements and events the server holds. */
export function clinicJsonSize(
  ecg: SampledChunk[],
  measurementChunks: RecordsChunk[],
  eventChunks: RecordsChunk[],
): ClinicJsonSize {
  const { channels, anchorMs, rateHz } = concatEcg(ecg);
  const lsbNv = ecg[0]!.header.channels[0]!.scale.perCount;
  const at80 = channels.map((c) => resample(c, rateHz, SNAPSHOT_RATE_HZ));
  const measurements = measurementChunks.flatMap((c) => c.records as Measurement[]);
  measurements.sort((a, b) => a.tMs - b.tMs);
  const events = eventChunks.flatMap((c) => c.records as { tMs: number; kind: string }[]);
  const perEntry = SNAPSHOT_SECONDS * SNAPSHOT_RATE_HZ;
  const entries = Math.floor(at80[0]!.length / perEntry);
  const acquired = new Float64Array(8);
  const derived = new Float64Array(12);
  const mvPerCount = lsbNv / 1e6;
  let bytes = 0;
  let example = '';
  for (let e = 0; e < entries; e++) {
    const leads = STANDARD_LEADS.map(() => new Float64Array(perEntry));
    for (let k = 0; k < perEntry; k++) {
      for (let c = 0; c < 8; c++) acquired[c] = at80[c]![e * perEntry + k]! * mvPerCount;
      deriveFrame(acquired, derived);
      for (let l = 0; l < 12; l++) leads[l]![k] = derived[l]!;
    }
    const startMs = anchorMs + e * SNAPSHOT_SECONDS * 1000;
    const endMs = startMs + SNAPSHOT_SECONDS * 1000;
    const arrhythmias = events
      .filter((ev) => ev.tMs >= startMs && ev.tMs < endMs && (ev.kind === 'pvc' || ev.kind === 'pac'))
      .map((ev) => ev.kind.toUpperCase());
    const entry = pyJson({
      timestamp: new Date(startMs).toISOString(),
      metrics: metricsAt(measurements, endMs),
      ecg_snapshot: Object.fromEntries(STANDARD_LEADS.map((name, l) => [name, leads[l]!])),
      events: { arrhythmias },
    });
    bytes += Buffer.byteLength(entry, 'utf8');
    if (e === 0) example = entry;
  }
  return { entries, bytes, meanEntryBytes: entries === 0 ? 0 : bytes / entries, example };
}
