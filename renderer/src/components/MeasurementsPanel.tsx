import { useEffect, useState } from 'react';
import { LEADS, type EventRecord, type MeasurementRecord } from '../api-types.js';
import { rhythmReason } from '../format/events.js';
import {
  displayValue,
  outOfRange,
  reasonText,
  signed,
  staleSeconds,
  STANDARD_GAIN_MM_PER_MV,
  stMillimetres,
  windowText,
  type MeasurementKey,
  type Sex,
} from '../format/measurements.js';
import { useGatewayEvent } from '../use-gateway.js';
import { LOW_RATE_HZ } from './EcgUnitControl.js';

interface Row {
  key: MeasurementKey;
  label: string;
  unit: string;
  decimals?: number;
}

const INTERVALS: readonly Row[] = [
  { key: 'rrMs', label: 'RR', unit: 'ms' },
  { key: 'prMs', label: 'PR', unit: 'ms' },
  { key: 'qrsMs', label: 'QRS', unit: 'ms' },
  { key: 'qtMs', label: 'QT', unit: 'ms' },
  { key: 'qtcBazettMs', label: 'QTc Bazett', unit: 'ms' },
  { key: 'qtcFridericiaMs', label: 'QTc Fridericia', unit: 'ms' },
  { key: 'qrsAxisDeg', label: 'QRS axis', unit: '°' },
];

const HRV: readonly Row[] = [
  { key: 'sdnnMs', label: 'SDNN', unit: 'ms' },
  { key: 'rmssdMs', label: 'RMSSD', unit: 'ms' },
  { key: 'pnn50Pct', label: 'pNN50', unit: '%', decimals: 1 },
];

interface Props {
  /** The chosen patient's sex, for the QTc limit (null: not recorded). */
  sex: Sex | null;
  /** The unit's sample rate while streaming (null otherwise). */
  sampleRateHz: number | null;
  /** The rhythm episode going on (`use-event-feed.ts`), so that values withheld for it name it; null: none. */
  rhythm: EventRecord['kind'] | null;
}

/**
 * Measurements from `measurements.updated` (every 2 s): never a stale number without striking it
 * through, values outside common reference ranges marked, and a plain statement of what they are.
 */
export function MeasurementsPanel({ sex, sampleRateHz, rhythm }: Props) {
  const [record, setRecord] = useState<MeasurementRecord | null>(null);
  const [nowMs, setNowMs] = useState(() => Date.now());
  const [receivedAtMs, setReceivedAtMs] = useState<number | null>(null);
  useGatewayEvent('measurements.updated', (r) => {
    setRecord(r);
    setReceivedAtMs(Date.now());
  });
  useEffect(() => {
    const id = window.setInterval(() => setNowMs(Date.now()), 1000);
    return () => window.clearInterval(id);
  }, []);
  const stale = staleSeconds(receivedAtMs, nowMs);
  const episodeReason = rhythm === null ? null : rhythmReason(rhythm);
  const hr = displayValue(record, 'heartRateBpm', 0, episodeReason);
  const windowLabel = record === null ? null : windowText(record.windowMs);
  return (
    <section
      className={stale === null ? 'panel measurements' : 'panel measurements stale'}
      aria-labelledby="meas-heading"
    >
      <h2 id="meas-heading">Measurements</h2>
      <p className="disclaimer">
        <strong>Not a patient monitor.</strong> These measurements are not a diagnosis: a clinician reads the
        ECG.
      </p>
      {stale !== null && (
        <p role="alert" className="note note-error">
          Stale: last update {stale} s ago — values below are not current.
        </p>
      )}
      {sampleRateHz !== null && sampleRateHz <= LOW_RATE_HZ && (
        <p className="note note-warning">
          Measured at {sampleRateHz} Hz: intervals are only to the nearest {Math.round(1000 / sampleRateHz)}{' '}
          ms and some beats may be missed.
        </p>
      )}
      <div className="big-number hr" aria-label="ECG heart rate">
        <span className="value">{hr.text}</span>
        <span className="unit">bpm</span>
        <span className="sub">
          {record === null
            ? 'No measurements yet: they arrive every 2 s while the ECG streams.'
            : (hr.reason ?? `over the ${windowLabel ?? ''}`)}
        </span>
      </div>
      <MeasureTable
        caption="Intervals and axis"
        rows={INTERVALS}
        record={record}
        sex={sex}
        episodeReason={episodeReason}
      />
      <MeasureTable
        caption={`Heart rate variability (${windowLabel ?? 'window'}; short-term, not comparable with 5-min values)`}
        rows={HRV}
        record={record}
        sex={sex}
        episodeReason={episodeReason}
      />
      <StTable record={record} />
      {record !== null && <p className="hint">Updated {new Date(record.tMs).toLocaleTimeString('en-GB')}</p>}
    </section>
  );
}

function MeasureTable({
  caption,
  rows,
  record,
  sex,
  episodeReason,
}: {
  caption: string;
  rows: readonly Row[];
  record: MeasurementRecord | null;
  sex: Sex | null;
  episodeReason: string | null;
}) {
  return (
    <table className="measure">
      <caption>{caption}</caption>
      <tbody>
        {rows.map((row) => {
          const v = displayValue(record, row.key, row.decimals ?? 0, episodeReason);
          const raw = record?.[row.key];
          const flag = typeof raw === 'number' ? outOfRange(row.key, raw, sex) : null;
          return (
            <tr key={row.key} className={flag === null ? undefined : 'out-of-range'}>
              <th scope="row">{row.label}</th>
              <td className="num">
                {v.text}
                {v.reason === null && <span className="unit"> {row.unit}</span>}
              </td>
              <td className="reason">
                {record === null ? '' : (v.reason ?? '')}
                {flag !== null && (
                  <span className="range-flag">
                    <span aria-hidden="true">▲ </span>
                    {flag}
                  </span>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function StTable({ record }: { record: MeasurementRecord | null }) {
  return (
    <table className="measure st">
      <caption>ST at J+60 ms (µV, and mm at the standard {STANDARD_GAIN_MM_PER_MV} mm/mV)</caption>
      <tbody>
        {[LEADS.slice(0, 4), LEADS.slice(4, 8), LEADS.slice(8)].map((group) => (
          <tr key={group[0]}>
            {group.map((lead) => {
              const uv = record?.stUv[lead];
              const reason = record?.withheld[`stUv.${lead}`] ?? record?.withheld.stUv;
              return (
                <td key={lead} className="st-cell">
                  <span className="st-lead">{lead}</span>
                  {uv === undefined ? (
                    <span className="st-value reason">
                      — {reason === undefined ? '' : reasonText(reason)}
                    </span>
                  ) : (
                    <span className="st-value num">
                      {signed(uv)} µV <span className="unit">{signed(stMillimetres(uv), 1)} mm</span>
                    </span>
                  )}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
