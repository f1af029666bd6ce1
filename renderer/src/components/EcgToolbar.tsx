import { useRef, type KeyboardEvent } from 'react';
import type { LeadName } from '../api-types.js';

/** A fixed gain in mm/mV, or auto gain. */
export type GainChoice = 5 | 10 | 20 | 'auto';

/** Paper speeds offered: the standard 25 mm/s and 50 mm/s for fast rhythms. */
const SPEEDS = [25, 50] as const;
const GAINS: readonly GainChoice[] = [5, 10, 20, 'auto'];

interface Props {
  sweepMmPerS: number;
  gain: number | 'auto';
  /** The gain auto gain is drawing at now (shown on its button), or null when auto is off. */
  autoGainMmPerMv: number | null;
  expanded: LeadName | null;
  leads: readonly LeadName[];
  onSpeed: (speed: 25 | 50) => void;
  onGain: (gain: GainChoice) => void;
  onExpand: (lead: LeadName | null) => void;
  onCalibrate: () => void;
}

/**
 * Paper speed, gain (fixed or auto), lead expansion and screen calibration. Each group is one Tab
 * stop (roving tabindex): Tab moves between groups, the arrow keys within one.
 */
export function EcgToolbar(p: Props) {
  const speeds = SPEEDS.map((speed) => ({
    key: String(speed),
    label: `${speed} mm/s`,
    pressed: speed === p.sweepMmPerS,
    onClick: () => p.onSpeed(speed),
  }));
  const gains = GAINS.map((gain) => ({
    key: String(gain),
    label:
      gain !== 'auto'
        ? `${gain} mm/mV`
        : p.autoGainMmPerMv === null
          ? 'Auto'
          : `Auto (${p.autoGainMmPerMv} mm/mV)`,
    pressed: gain === p.gain,
    onClick: () => p.onGain(gain),
  }));
  const leads = [
    { key: 'all', label: 'All 12', pressed: p.expanded === null, onClick: () => p.onExpand(null) },
    ...p.leads.map((lead) => ({
      key: lead,
      label: lead,
      ariaLabel: `Expand lead ${lead}`,
      pressed: p.expanded === lead,
      onClick: () => p.onExpand(lead),
    })),
  ];
  return (
    <div className="ecg-toolbar" role="toolbar" aria-label="ECG display">
      <Segmented legend="Speed" items={speeds} />
      <Segmented legend="Gain" items={gains} />
      <Segmented legend="Expand a lead" className="leads" items={leads} />
      <button type="button" className="ecg-calibrate" onClick={p.onCalibrate}>
        Calibrate screen…
      </button>
    </div>
  );
}

interface SegmentItem {
  key: string;
  label: string;
  ariaLabel?: string;
  pressed: boolean;
  onClick: () => void;
}

/**
 * A labelled group of toggle buttons with one Tab stop (the pressed button, else the first);
 * the arrow keys, Home and End move focus inside the group (WAI-ARIA APG toolbar pattern).
 */
function Segmented({
  legend,
  items,
  className,
}: {
  legend: string;
  items: SegmentItem[];
  className?: string;
}) {
  const ref = useRef<HTMLFieldSetElement>(null);
  const stop = Math.max(
    0,
    items.findIndex((item) => item.pressed),
  );
  const onKeyDown = (e: KeyboardEvent<HTMLFieldSetElement>): void => {
    const list = [...(ref.current?.querySelectorAll('button') ?? [])];
    const at = list.findIndex((b) => b === document.activeElement);
    if (at < 0) return;
    const step = ({ ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 } as Record<string, number>)[
      e.key
    ];
    const next =
      e.key === 'Home' ? 0 : e.key === 'End' ? list.length - 1 : step === undefined ? -1 : at + step;
    if (next < 0 || next >= list.length) return;
    e.preventDefault();
    list.forEach((b, k) => (b.tabIndex = k === next ? 0 : -1));
    list[next]?.focus();
  };
  return (
    <fieldset ref={ref} className={`segmented ${className ?? ''}`} onKeyDown={onKeyDown}>
      <legend>{legend}</legend>
      {items.map((item, k) => (
        <button
          key={item.key}
          type="button"
          tabIndex={k === stop ? 0 : -1}
          aria-pressed={item.pressed}
          aria-label={item.ariaLabel}
          onClick={item.onClick}
        >
          {item.label}
        </button>
      ))}
    </fieldset>
  );
}
