import type { Settings } from '../api-types.js';
import type { ShownError } from '../errors.js';
import { ErrorNote } from './ErrorNote.js';

type Patch = Partial<Omit<Settings, 'serverUrl' | 'operator'>>;

interface Props {
  settings: Settings | null;
  error: ShownError | null;
  pending: boolean;
  onChange: (patch: Patch) => void;
}

const RATES = [80, 250, 500, 1000] as const;

/** Gateway settings (settings.get / settings.update); each change is sent at once. */
export function SettingsPanel({ settings, error, pending, onChange }: Props) {
  return (
    <section className="panel" aria-labelledby="settings-heading">
      <h2 id="settings-heading">Settings</h2>
      <ErrorNote error={error} what="Settings" />
      {settings === null ? (
        <p className="hint">Loading settings…</p>
      ) : (
        <form className="settings" onSubmit={(e) => e.preventDefault()} aria-busy={pending}>
          <label htmlFor="set-mains">Mains frequency</label>
          <select
            id="set-mains"
            value={settings.mainsHz}
            onChange={(e) => onChange({ mainsHz: e.target.value === '60' ? 60 : 50 })}
          >
            <option value="50">50 Hz</option>
            <option value="60">60 Hz</option>
          </select>
          <label htmlFor="set-rate">ECG sample rate</label>
          <select
            id="set-rate"
            value={settings.ecgSampleRateHz}
            onChange={(e) => onChange({ ecgSampleRateHz: pick(RATES, Number(e.target.value), 500) })}
          >
            {RATES.map((r) => (
              <option key={r} value={r}>
                {r} Hz
              </option>
            ))}
          </select>
          <label htmlFor="set-sweep">Sweep speed</label>
          <select
            id="set-sweep"
            value={settings.sweepSpeedMmPerS}
            onChange={(e) =>
              onChange({ sweepSpeedMmPerS: pick([12.5, 25, 50] as const, Number(e.target.value), 25) })
            }
          >
            <option value="12.5">12.5 mm/s</option>
            <option value="25">25 mm/s</option>
            <option value="50">50 mm/s</option>
          </select>
          <label htmlFor="set-gain">Gain</label>
          <select
            id="set-gain"
            value={settings.gainMmPerMv}
            onChange={(e) =>
              onChange({ gainMmPerMv: pick([5, 10, 20] as const, Number(e.target.value), 10) })
            }
          >
            <option value="5">5 mm/mV</option>
            <option value="10">10 mm/mV</option>
            <option value="20">20 mm/mV</option>
          </select>
          <label htmlFor="set-chunk">ECG chunk length (s)</label>
          <input
            id="set-chunk"
            type="number"
            min={5}
            max={3600}
            step={1}
            defaultValue={settings.ecgChunkSeconds}
            key={`chunk-${settings.ecgChunkSeconds}`}
            onBlur={(e) =>
              commitInt(e.target.value, settings.ecgChunkSeconds, (v) => onChange({ ecgChunkSeconds: v }))
            }
          />
          <label htmlFor="set-accel">Watch accelerometer rate (Hz)</label>
          <input
            id="set-accel"
            type="number"
            min={1}
            max={100}
            step={0.5}
            defaultValue={settings.watchAccelHz}
            key={`accel-${settings.watchAccelHz}`}
            onBlur={(e) =>
              commitNumber(e.target.value, settings.watchAccelHz, (v) => onChange({ watchAccelHz: v }))
            }
          />
          <label htmlFor="set-ppg">Watch PPG stream</label>
          <input
            id="set-ppg"
            type="checkbox"
            checked={settings.watchPpg}
            onChange={(e) => onChange({ watchPpg: e.target.checked })}
          />
        </form>
      )}
    </section>
  );
}

function pick<T extends number>(allowed: readonly T[], value: number, fallback: T): T {
  return allowed.find((a) => a === value) ?? fallback;
}

function commitInt(text: string, current: number, send: (v: number) => void): void {
  const v = Number(text);
  if (Number.isInteger(v) && v !== current) send(v);
}

function commitNumber(text: string, current: number, send: (v: number) => void): void {
  const v = Number(text);
  if (Number.isFinite(v) && v !== current) send(v);
}
