import type { Ecg12Status } from '../api-types.js';
import { useCall } from '../use-gateway.js';
import { ErrorNote } from './ErrorNote.js';

/** Sample rates at or below this limit the precision of intervals (QRS, PR, QT), Hz. */
export const LOW_RATE_HZ = 100;

/**
 * The ECG unit in one line for the desk: its state in words and the one button that applies
 * (connect, or disconnect when not recording), and while it streams "Relearn beats" (beat
 * detection and classification learn the patient afresh, as on bedside monitors; the gateway
 * does it by itself when the electrodes come back after being off). Ports, counters and lead
 * quality are in the device details.
 */
export function EcgUnitControl({ unit, recording }: { unit: Ecg12Status | null; recording: boolean }) {
  const call = useCall();
  const relearn = useCall();
  const open = unit !== null && unit.state !== 'disconnected';
  const live = unit?.state === 'streaming';
  return (
    <div className="unit-control">
      <p className={`unit-line state-${unit?.state ?? 'disconnected'}`}>
        ECG unit:{' '}
        <strong>
          {unit === null || unit.state === 'disconnected'
            ? 'not connected'
            : live
              ? `streaming${unit.sampleRateHz === null ? '' : ` at ${unit.sampleRateHz} Hz`}`
              : unit.state.replace('_', ' ')}
        </strong>
        {unit !== null && unit.state !== 'disconnected' && !live && unit.message !== '' && (
          <> — {unit.message}</>
        )}
      </p>
      {unit === null ? (
        // until the unit's state is known neither action is offered: a "Connect" shown for a
        // moment would turn into "Disconnect" under the pointer once the state arrives
        <button key="checking" type="button" disabled>
          Checking the ECG unit…
        </button>
      ) : open ? (
        <button
          key="disconnect"
          type="button"
          disabled={call.pending || recording}
          title={recording ? 'Stop the recording first' : undefined}
          onClick={() => void call.run('devices.disconnectEcg12', {})}
        >
          Disconnect ECG unit
        </button>
      ) : (
        <button
          key="connect"
          type="button"
          className="primary"
          disabled={call.pending}
          onClick={() => void call.run('devices.connectEcg12', {})}
        >
          {call.pending ? 'Connecting…' : 'Connect ECG unit'}
        </button>
      )}
      {live && (
        <button
          type="button"
          disabled={relearn.pending}
          title="Beat detection and classification learn the patient afresh: after moving electrodes, or when beats are missed or misclassified. Beats show again after about 4 s."
          onClick={() => void relearn.run('devices.relearnEcg', {})}
        >
          Relearn beats
        </button>
      )}
      {live && unit.sampleRateHz !== null && unit.sampleRateHz <= LOW_RATE_HZ && (
        <p className="note note-warning">
          At {unit.sampleRateHz} Hz interval measurements (PR, QRS, QT) are coarse — one sample is{' '}
          {Math.round(1000 / unit.sampleRateHz)} ms — and narrow beats may be missed. Use 250 Hz or more for
          measurements.
        </p>
      )}
      <ErrorNote error={call.error} what="ECG unit" />
      <ErrorNote error={relearn.error} what="Relearning beats" />
    </div>
  );
}
