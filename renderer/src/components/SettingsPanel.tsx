import { useState } from 'react';
import { SettingsSchema } from '../../../preload/schemas.js';
import type { Settings } from '../api-types.js';
import type { ShownError } from '../errors.js';
import { numberLimits } from '../format/validation.js';
import { ErrorNote } from './ErrorNote.js';

type Patch = Partial<Omit<Settings, 'serverUrl' | 'operator'>>;

interface Props {
  settings: Settings | null;
  error: ShownError | null;
  pending: boolean;
  /** A recording is open: the sample rate cannot change (the unit would reconnect). */
  recording: boolean;
  onChange: (patch: Patch) => void;
}

const RATES = [80, 250, 500, 1000] as const;
/** The accelerometer rates the watch supports, Hz. */
const ACCEL_RATES = [12.5, 25, 50, 100] as const;
/** Limits from the gateway's settings schema (which takes the chunk limit from the server's contract). */
const CHUNK = numberLimits(SettingsSchema.shape.ecgChunkSeconds);
const LOCK = numberLimits(SettingsSchema.shape.lockAfterMinutes);

/** Gateway settings (settings.get / settings.update); each change is sent at once. */
export function SettingsPanel({ settings, error, pending, recording, onChange }: Props) {
  const [problem, setProblem] = useState<string | null>(null);
  const commit = (
    text: string,
    current: number,
    min: number,
    max: number,
    what: string,
    send: (v: number) => void,
  ): void => {
    const v = Number(text);
    if (text.trim() === '' || !Number.isInteger(v) || v < min || v > max) {
      setProblem(`${what}: enter a whole number from ${min} to ${max}.`);
      return;
    }
    setProblem(null);
    if (v !== current) send(v);
  };
  return (
    <section className="panel" aria-labelledby="settings-heading">
      <h2 id="settings-heading">Settings</h2>
      <ErrorNote error={error} what="Settings" />
      {problem !== null && (
        <p className="note note-error" role="alert">
          {problem}
        </p>
      )}
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
            disabled={recording}
            aria-describedby="set-rate-hint"
            onChange={(e) => onChange({ ecgSampleRateHz: pick(RATES, Number(e.target.value), 500) })}
          >
            {RATES.map((r) => (
              <option key={r} value={r}>
                {r} Hz{r <= 100 ? ' (coarse: limited measurement precision)' : ''}
              </option>
            ))}
          </select>
          <span id="set-rate-hint" className="small form-hint">
            {recording
              ? 'Stop the recording to change the sample rate.'
              : 'Changing it reconnects the ECG unit (a few seconds without signal).'}
          </span>
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
            min={CHUNK.min ?? 5}
            max={CHUNK.max ?? 600}
            step={1}
            aria-describedby="set-chunk-hint"
            defaultValue={settings.ecgChunkSeconds}
            key={`chunk-${settings.ecgChunkSeconds}`}
            onBlur={(e) =>
              commit(
                e.target.value,
                settings.ecgChunkSeconds,
                CHUNK.min ?? 5,
                CHUNK.max ?? 600,
                'ECG chunk length',
                (v) => onChange({ ecgChunkSeconds: v }),
              )
            }
          />
          <span id="set-chunk-hint" className="small form-hint">
            {CHUNK.min ?? 5} to {CHUNK.max ?? 600} seconds (the server’s limit)
          </span>
          <label htmlFor="set-accel">Watch accelerometer rate</label>
          <select
            id="set-accel"
            value={pick(ACCEL_RATES, settings.watchAccelHz, 12.5)}
            aria-describedby="set-watch-hint"
            onChange={(e) => onChange({ watchAccelHz: pick(ACCEL_RATES, Number(e.target.value), 12.5) })}
          >
            {ACCEL_RATES.map((r) => (
              <option key={r} value={r}>
                {r} Hz
              </option>
            ))}
          </select>
          <label htmlFor="set-ppg">Watch PPG stream</label>
          <input
            id="set-ppg"
            type="checkbox"
            checked={settings.watchPpg}
            aria-describedby="set-watch-hint"
            onChange={(e) => onChange({ watchPpg: e.target.checked })}
          />
          <span id="set-watch-hint" className="small form-hint">
            Sent to connected watches at once (their stream restarts); higher rates use more battery.
          </span>
          <label htmlFor="set-lock">Lock the screen after (minutes without use)</label>
          <input
            id="set-lock"
            type="number"
            min={LOCK.min ?? 0}
            max={LOCK.max ?? 240}
            step={1}
            aria-describedby="set-lock-hint"
            defaultValue={settings.lockAfterMinutes ?? 5}
            key={`lock-${settings.lockAfterMinutes ?? 5}`}
            onBlur={(e) =>
              commit(
                e.target.value,
                settings.lockAfterMinutes ?? 5,
                LOCK.min ?? 0,
                LOCK.max ?? 240,
                'Lock after',
                (v) => onChange({ lockAfterMinutes: v }),
              )
            }
          />
          <span id="set-lock-hint" className="small form-hint">
            0 = never. Unlocking asks for the operator’s PIN.
          </span>
        </form>
      )}
    </section>
  );
}

function pick<T extends number>(allowed: readonly T[], value: number, fallback: T): T {
  return allowed.find((a) => a === value) ?? fallback;
}
