import { ELECTRODES, type Electrode } from '../api-types.js';

/** Electrode positions on a small torso sketch (viewBox units; a static diagram, not signal). */
const POSITIONS: Record<Electrode, [number, number]> = {
  RA: [22, 30],
  LA: [98, 30],
  LL: [88, 128],
  V1: [54, 62],
  V2: [66, 62],
  V3: [72, 72],
  V4: [78, 80],
  V5: [88, 80],
  V6: [97, 80],
};

/**
 * Lead-off per electrode: a torso diagram with each electrode green (on) or red with a cross
 * (off), plus the same information as text chips (colour is never the only cue).
 */
export function ElectrodeMap({ leadOff, known }: { leadOff: readonly Electrode[]; known: boolean }) {
  const off = new Set(leadOff);
  return (
    <div className="electrode-map">
      <svg viewBox="0 0 120 150" width="150" height="188" aria-hidden="true" focusable="false">
        <path d="M30 18 Q60 8 90 18 L104 40 L96 140 L24 140 L16 40 Z" className="torso" />
        {ELECTRODES.map((e) => {
          const [x, y] = POSITIONS[e];
          const isOff = off.has(e);
          return (
            <g key={e} className={!known ? 'electrode unknown' : isOff ? 'electrode off' : 'electrode on'}>
              <circle cx={x} cy={y} r={6} />
              {isOff && (
                <path d={`M${x - 4} ${y - 4} L${x + 4} ${y + 4} M${x + 4} ${y - 4} L${x - 4} ${y + 4}`} />
              )}
            </g>
          );
        })}
      </svg>
      <ul className="chips" aria-label="Electrodes">
        {ELECTRODES.map((e) => (
          <li key={e} className={!known ? 'chip' : off.has(e) ? 'chip chip-bad' : 'chip chip-good'}>
            {e} {!known ? '?' : off.has(e) ? 'OFF' : 'on'}
          </li>
        ))}
      </ul>
    </div>
  );
}
