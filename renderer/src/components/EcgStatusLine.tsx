import { LIMITED_PRECISION_BELOW_HZ } from '../ecg/page/index.js';

/** What the live view is showing, in words (also announced to screen readers, politely). */
export interface EcgLiveStatus {
  state: 'waiting' | 'live' | 'stopped';
  rateHz: number | null;
  serial: string | null;
  silenceS: number;
}

export function EcgStatusLine({ status }: { status: EcgLiveStatus }) {
  const text =
    status.state === 'waiting'
      ? 'No ECG received yet'
      : status.state === 'live'
        ? `Live from ${status.serial ?? 'unit'} at ${status.rateHz ?? '?'} Hz`
        : `Signal stopped ${status.silenceS} s ago (${status.serial ?? 'unit'})`;
  const lowRate = status.rateHz !== null && status.rateHz < LIMITED_PRECISION_BELOW_HZ;
  return (
    <p className={`ecg-status ecg-status-${status.state}`} role="status" aria-live="polite">
      <span className="dot" aria-hidden="true" />
      {text}
      {lowRate && (
        <span className="ecg-status-note">
          {' '}
          — {status.rateHz} samples/s: beat marks and interval measurements are less precise
        </span>
      )}
    </p>
  );
}
