import { Fragment, useEffect, useState } from 'react';
import type { Ecg12Status, Patient, RecordingState } from '../api-types.js';
import {
  clockText,
  endReasonText,
  isOpen,
  pauseReasonText,
  pauseResumeText,
  summaryFacts,
} from '../format/recording.js';
import type { DeskSession } from '../use-desk.js';
import { useCall, useGatewayEvent, type CallState } from '../use-gateway.js';
import { EcgUnitControl } from './EcgUnitControl.js';
import { ErrorNote } from './ErrorNote.js';
import { OperatorPanel } from './OperatorPanel.js';
import { PatientPicker } from './PatientPicker.js';
import { RecordingReports } from './RecordingReports.js';
import { Toolbar } from './Toolbar.js';

interface Props {
  session: DeskSession;
  onSession: (session: DeskSession) => void;
  patient: Patient | null;
  onPatient: (patient: Patient | null) => void;
  /** The ECG unit, for the connect control (null before the gateway answered). */
  unit: Ecg12Status | null;
  /** Watches streaming for the chosen patient. */
  patientWatches: number;
}

/** How often the chunks-sealed count is refreshed while recording, ms (sealing emits no event). */
const REFRESH_MS = 2000;

/**
 * The desk's job, top to bottom: who records, for which patient, with which devices; start and
 * stop; markers; then what the recording is doing, or its summary once ended. Each control is
 * enabled only when it can work, and the next step is said in words.
 */
export function RecordingPanel({ session, onSession, patient, onPatient, unit, patientWatches }: Props) {
  const [recording, setRecording] = useState<RecordingState | null>(null);
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
  const unitLive = unit !== null && unit.state === 'streaming';
  const next = nextStep(session, patient, unitLive || patientWatches > 0, open);
  const act = async (call: 'recording.stop' | 'recording.continue'): Promise<void> => {
    const r = await control.run(call, {});
    if (r !== null) setRecording(r);
  };
  const start = async (): Promise<void> => {
    if (patient === null) return;
    const r = await control.run('recording.start', { patientId: patient.id });
    if (r !== null) setRecording(r);
  };
  const addMark = async (): Promise<void> => {
    const text = note.trim();
    const e = await mark.run('recording.markEvent', text === '' ? {} : { note: text });
    if (e !== null) {
      setLastMark(`Marked at ${clockText(e.tMs)}${e.note === undefined ? '' : `: ${e.note}`}`);
      setNote('');
    }
  };

  return (
    <section className="panel desk" aria-labelledby="rec-heading" id="desk">
      <h2 id="rec-heading">Recording</h2>
      <OperatorPanel session={session} onSession={onSession} recording={open} />
      <PatientPicker selected={patient} onSelect={onPatient} locked={open} />
      <EcgUnitControl unit={unit} recording={open} />
      <Toolbar label="Recording controls" className="row">
        <button
          type="button"
          className="primary big"
          disabled={control.pending || next !== null}
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
        <button
          type="button"
          className="big"
          disabled={mark.pending || !capturing}
          onClick={() => void addMark()}
        >
          Mark event
        </button>
      </Toolbar>
      <p className={next === null || open ? 'next-step ready' : 'next-step'} aria-live="polite">
        {open
          ? capturing
            ? 'Recording. Mark events as they happen; a note is optional.'
            : 'Recording is paused or interrupted: see below.'
          : (next ?? `Ready to record ${patient?.studyCode ?? ''}.`)}
      </p>
      <div className="row">
        <label htmlFor="rec-note">Event note (optional)</label>
        <input
          id="rec-note"
          value={note}
          onChange={(e) => setNote(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && capturing) {
              e.preventDefault();
              void addMark();
            }
          }}
          placeholder="e.g. patient coughed"
          maxLength={500}
          disabled={!capturing}
        />
      </div>
      <ErrorNote error={mark.error} what="Marking the event" />
      {lastMark !== null && <p className="hint">{lastMark}</p>}
      <ErrorNote error={control.error} what="Recording" />
      <ErrorNote error={current.error} what="Recording status" />
      <RecordingStatus recording={recording} control={control} onAct={(call) => void act(call)} />
    </section>
  );
}

/** What is still missing before a recording can start, in words; null when ready. */
function nextStep(
  session: DeskSession,
  patient: Patient | null,
  deviceLive: boolean,
  open: boolean,
): string | null {
  if (open) return 'A recording is already running.';
  if (session.operator === null) return 'Next: sign in (choose your name).';
  if (patient === null) return 'Next: find or register the patient.';
  if (!deviceLive) return 'Next: connect the ECG unit or pair the patient’s watch.';
  return null;
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
