import { useEffect, useState } from 'react';
import type { Patient, RecordingState } from '../api-types.js';
import { useCall, useGatewayEvent } from '../use-gateway.js';
import { ErrorNote } from './ErrorNote.js';
import { PatientPicker } from './PatientPicker.js';

interface Props {
  patient: Patient | null;
  onPatient: (patient: Patient | null) => void;
}

/** Patient, operator, start/stop and staff markers for the recording in progress. */
export function RecordingPanel({ patient, onPatient }: Props) {
  const [recording, setRecording] = useState<RecordingState | null>(null);
  const [operator, setOperator] = useState('');
  const [note, setNote] = useState('');
  const [lastMark, setLastMark] = useState<string | null>(null);
  const current = useCall();
  const control = useCall();
  const mark = useCall();
  const { run: runCurrent } = current;

  useEffect(() => {
    void runCurrent('recording.current', {}).then((r) => setRecording(r));
  }, [runCurrent]);
  useGatewayEvent('recording.changed', setRecording);

  const active = recording !== null && recording.endedAtMs === null;
  const [missing, setMissing] = useState<string | null>(null);
  const start = async (): Promise<void> => {
    setMissing(
      patient === null
        ? 'Choose or create a patient first.'
        : operator.trim() === ''
          ? 'Enter the operator’s name first.'
          : null,
    );
    if (patient === null || operator.trim() === '') return;
    const r = await control.run('recording.start', { patientId: patient.id, operatorName: operator.trim() });
    if (r !== null) setRecording(r);
  };
  const stop = async (): Promise<void> => {
    const r = await control.run('recording.stop', {});
    if (r !== null) setRecording(r);
  };
  const addMark = async (): Promise<void> => {
    const e = await mark.run('recording.markEvent', { note: note.trim() });
    if (e !== null) {
      setLastMark(`Marked at ${new Date(e.tMs).toLocaleTimeString('en-GB')}: ${e.note ?? ''}`);
      setNote('');
    }
  };

  return (
    <section className="panel" aria-labelledby="rec-heading">
      <h2 id="rec-heading">Recording</h2>
      <PatientPicker selected={patient} onSelect={onPatient} />
      <div className="row">
        <label htmlFor="rec-operator">Operator</label>
        <input
          id="rec-operator"
          value={operator}
          onChange={(e) => setOperator(e.target.value)}
          placeholder="Your name"
        />
      </div>
      <div className="row">
        <button
          type="button"
          className="primary big"
          disabled={control.pending || active}
          onClick={() => void start()}
        >
          Start recording
        </button>
        <button
          type="button"
          className="danger big"
          disabled={control.pending || !active}
          onClick={() => void stop()}
        >
          Stop recording
        </button>
      </div>
      {missing !== null && (
        <p className="note note-error" role="alert">
          {missing}
        </p>
      )}
      <ErrorNote error={control.error} what="Recording" />
      <ErrorNote error={current.error} what="Recording status" />
      <p className={active ? 'state state-streaming' : 'state'} role="status">
        {recording === null
          ? 'Not recording.'
          : active
            ? `Recording ${recording.studyCode} since ${new Date(recording.startedAtMs).toLocaleTimeString('en-GB')} (operator ${recording.operator.name})${recording.simulated ? ' — SIMULATED' : ''}`
            : `Last recording ${recording.studyCode} ended ${new Date(recording.endedAtMs ?? 0).toLocaleTimeString('en-GB')}`}
      </p>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          void addMark();
        }}
      >
        <label htmlFor="rec-note">Event note</label>
        <input
          id="rec-note"
          value={note}
          onChange={(e) => setNote(e.target.value)}
          placeholder="e.g. patient coughed"
          maxLength={500}
        />
        <button type="submit" disabled={mark.pending || note.trim() === ''}>
          Mark event
        </button>
      </form>
      <ErrorNote error={mark.error} what="Marking the event" />
      {lastMark !== null && <p className="hint">{lastMark}</p>}
    </section>
  );
}
