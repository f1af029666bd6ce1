import type { LeadName } from '../api-types.js';
import { GAINS_MM_PER_MV, SWEEP_SPEEDS_MM_PER_S } from '../ecg/ecg-scale.js';

interface Props {
  sweepMmPerS: number;
  gainMmPerMv: number;
  expanded: LeadName | null;
  leads: readonly LeadName[];
  onChange: (patch: { sweepSpeedMmPerS?: 12.5 | 25 | 50; gainMmPerMv?: 5 | 10 | 20 }) => void;
  onExpand: (lead: LeadName | null) => void;
}

/** Sweep speed, gain and lead expansion: every control of the live view, by keyboard too. */
export function EcgToolbar({ sweepMmPerS, gainMmPerMv, expanded, leads, onChange, onExpand }: Props) {
  return (
    <div className="ecg-toolbar">
      <fieldset className="segmented">
        <legend>Sweep</legend>
        {SWEEP_SPEEDS_MM_PER_S.map((speed) => (
          <button
            key={speed}
            type="button"
            aria-pressed={speed === sweepMmPerS}
            onClick={() => onChange({ sweepSpeedMmPerS: speed })}
          >
            {speed} mm/s
          </button>
        ))}
      </fieldset>
      <fieldset className="segmented">
        <legend>Gain</legend>
        {GAINS_MM_PER_MV.map((gain) => (
          <button
            key={gain}
            type="button"
            aria-pressed={gain === gainMmPerMv}
            onClick={() => onChange({ gainMmPerMv: gain })}
          >
            {gain} mm/mV
          </button>
        ))}
      </fieldset>
      <fieldset className="segmented leads">
        <legend>Expand a lead</legend>
        <button type="button" aria-pressed={expanded === null} onClick={() => onExpand(null)}>
          All 12
        </button>
        {leads.map((lead) => (
          <button
            key={lead}
            type="button"
            aria-pressed={expanded === lead}
            aria-label={`Expand lead ${lead}`}
            onClick={() => onExpand(lead)}
          >
            {lead}
          </button>
        ))}
      </fieldset>
    </div>
  );
}
