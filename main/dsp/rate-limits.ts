/**
 * Lowest sampling rates at which each global interval stays within the tolerances commonly quoted
 * from IEC 60601-2-25 (mean difference ±10 ms with SD ≤ 15 ms for PR and QRS, ±25 / 30 ms for QT;
 * `../shared/data/README.md`), measured end to end against LUDB's cardiologists' delineation
 * (`npm run bench -- intervals`, records 1–100, 92 non-paced; figures of 2026-12-04):
 *
 * | rate | PR mean / SD | QRS mean / SD | QT mean / SD (ms) |
 * |---|---|---|---|
 * | 500 Hz | 1.5 / 9.9 | −3.4 / 14.0 | −1.5 / 25.9 |
 * | 128 Hz | 0.8 / 9.5 | −2.1 / 14.5 | −0.5 / 26.5 |
 * | 80 Hz | −2.4 / 10.5 | 4.1 / **20.8** | 3.2 / **30.0** |
 *
 * At 80 Hz (12.5 ms per sample) the QRS duration scatters beyond its tolerance and QT sits on the
 * limit, so both (and QTc) are to be withheld below {@link MIN_RATE_HZ}'s figure with the reason
 * "sample rate too low for this measurement"; PR holds. The live pipeline at 80 Hz gives the same
 * values as the benchmark's 80-Hz pass (test/unit/dsp/pipeline-80hz.test.ts), so the limits apply to
 * both. The frontal QRS axis (net areas, not edges) holds at every rate and is not withheld: against
 * the delineation axis, median |difference| 1.4° and 95 % of records within 10° at 500 Hz, 1.6° and
 * 95 % at 128 Hz, 1.7° and 93 % at 80 Hz (same benchmark, figures of 2026-12-07).
 */

/** Interval names of a recording's measurements. */
export type IntervalName = 'prMs' | 'qrsMs' | 'qtMs';

/** Lowest rate (Hz) at which each interval met its tolerance in the benchmark. */
export const MIN_RATE_HZ: Readonly<Record<IntervalName, number>> = { prMs: 80, qrsMs: 128, qtMs: 128 };

/** The intervals to withhold at `sampleRateHz` ("sample rate too low for this measurement"). */
export function intervalsTooCoarseAt(sampleRateHz: number): IntervalName[] {
  return (Object.keys(MIN_RATE_HZ) as IntervalName[]).filter((name) => sampleRateHz < MIN_RATE_HZ[name]);
}
