import { Fragment, useEffect, useState } from 'react';
import type { Patient, RecordingState } from '../api-types.js';
import {
  clockText,
  endReasonText,
  isOpen,
  pauseReasonText,
  pauseResumeText,
  summaryFacts,
} from '../format/recording.js';
import { useCall, useGatewayEvent, type CallState } from '../use-gateway.js';
import { ErrorNote } from './ErrorNote.js';
import { PatientPicker } from './PatientPicker.js';
import { RecordingReports } from './RecordingReports.js';

interface Props {
  patient: Patient | null;
  onPatient: (patient: Patient | null) => void;
}

/** How often the chunks-sealed count is refreshed while recording, ms (sealing emits no event). */
const REFRESH_MS = 2000;

/**
 * Patient, operator, start/stop and staff markers for the recording in progress; a recording the
 * gateway's restart interrupted (continue or stop it), capture paused for storage, and the
 * summary once it has ended.
 */
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

  const capturing = recording?.state === 'recording' && recording.suspended === null;
  useEffect(() => {
    if (!capturing) return;
    const id = window.setInterval(() => {
      void runCurrent('recording.current', {}).then((r) => r !== null && setRecording(r));
    }, REFRESH_MS);
    return () => window.clearInterval(id);
  }, [capturing, runCurrent]);

  const open = isOpen(recording);
  const [missing, setMissing] = useState<string | null>(null);
  const act = async (call: 'recording.stop' | 'recording.continue'): Promise<void> => {
    const r = await control.run(call, {});
    if (r !== null) setRecording(r);
  };
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
  const addMark = async (): Promise<void> => {
    const e = await mark.run('recording.markEvent', { note: note.trim() });
    if (e !== null) {
      setLastMark(`Marked at ${clockText(e.tMs)}: ${e.note ?? ''}`);
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
          autoComplete="name"
        />
      </div>
      <div className="row">
        <button
          type="button"
          className="primary big"
          disabled={control.pending || open}
          onClick={() => void start()}
        >
          Start recording
        </button>
        {recording?.state !== 'interrupted' && (
          <button
            type="button"
            className="danger big"
            disabled={control.pending || !open}
            onClick={() => void act('recording.stop')}
          >
            Stop recording
          </button>
        )}
      </div>
      {missing !== null && (
        <p className="note note-error" role="alert">
          {missing}
        </p>
      )}
      <ErrorNote error={control.error} what="Recording" />
      <ErrorNote error={current.error} what="Recording status" />
      <RecordingStatus recording={recording} control={control} onAct={(call) => void act(call)} />
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
        <button type="submit" disabled={mark.pending || note.trim() === '' || !capturing}>
          Mark event
        </button>
      </form>
      {!capturing && <p className="hint">Events can be marked while recording.</p>}
      <ErrorNote error={mark.error} what="Marking the event" />
      {lastMark !== null && <p className="hint">{lastMark}</p>}
    </section>
  );
}

interface StatusProps {
  recording: RecordingState | null;
  control: CallState;
  onAct: (call: 'recording.stop' | 'recording.continue') => void;
}

/** What the recording is doing now, in plain words, and its summary once ended. */
function RecordingStatus({ recording: r, control, onAct }: StatusProps) {
  if (r === null)
    return (
      <p className="state" role="status">
        Not recording.
      </p>
    );
  const who = `Started ${clockText(r.startedAtMs)} by ${r.operator.name}${r.simulated ? ' — SIMULATED' : ''}.`;
  if (r.state === 'interrupted')
    return (
      <div className="note note-warning" role="alert">
        <p>
          <strong>Recording {r.studyCode} was interrupted: the gateway restarted while recording.</strong>
        </p>
        <p>
          {who} Everything stored before the restart is kept. Continue the recording (the time the gateway was
          down is recorded as a gap), or stop it (it ends as “gateway restarted”).
        </p>
        <div className="row">
          <button
            type="button"
            className="primary big"
            disabled={control.pending}
            onClick={() => onAct('recording.continue')}
          >
            Continue recording
          </button>
          <button
            type="button"
            className="danger big"
            disabled={control.pending}
            onClick={() => onAct('recording.stop')}
          >
            Stop recording
          </button>
        </div>
      </div>
    );
  if (r.state === 'recording' && r.suspended !== null)
    return (
      <div className="note note-warning" role="alert">
        <p>
          <strong>
            Recording {r.studyCode} is paused: {pauseReasonText(r.suspended)}.
          </strong>
        </p>
        <p>
          Nothing recorded so far is lost. Recording resumes by itself {pauseResumeText(r.suspended)}; the
          paused time is recorded as a gap. You can still stop the recording.
        </p>
      </div>
    );
  if (r.state === 'recording')
    return (
      <div className="state state-streaming" role="status">
        <p className="state-line">
          <strong>Recording {r.studyCode}</strong> — {who}
        </p>
        <p className="state-line">
          Chunks sealed so far: <strong>{r.chunksSealed ?? 0}</strong> (safe on this gateway, queued for
          upload)
        </p>
      </div>
    );
  return (
    <>
      <p className="state" role="status">
        Recording {r.studyCode} ended at {clockText(r.endedAtMs ?? r.startedAtMs)}:{' '}
        {endReasonText(r.endReason)}.
      </p>
      {r.voidReason !== null && (
        <p className="note note-warning">
          <strong>Voided:</strong> {r.voidReason} (kept, but excluded from exports)
        </p>
      )}
      {r.summary !== null && (
        <>
          <h3 id="rec-summary-heading">Summary of {r.studyCode}</h3>
          <dl className="facts summary" aria-labelledby="rec-summary-heading">
            {summaryFacts(r.summary, r.endReason).map((f) => (
              <Fragment key={f.term}>
                <dt>{f.term}</dt>
                <dd>{f.value}</dd>
              </Fragment>
            ))}
          </dl>
        </>
      )}
      <RecordingReports recording={r} />
    </>
  );
}
