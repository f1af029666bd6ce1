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
  return (
    <p className={`ecg-status ecg-status-${status.state}`} role="status" aria-live="polite">
      <span className="dot" aria-hidden="true" />
      {text}
    </p>
  );
}
