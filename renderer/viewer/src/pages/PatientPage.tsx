/**
 * One patient: details (identifying ones only for admins and clinicians), the recordings with
 * their summary, and the audited corrections: reassign and void a recording (clinicians and
 * admins), erase the patient (admins), each behind a confirmation.
 */
import { useState } from 'react';
import type { Patient, Recording } from '../../../../server-contract/api/index.js';
import { ConfirmButton, LoadState, SimulatedBanner, SimulatedTag } from '../components/common.js';
import { formatDateTime, formatDuration, orDash } from '../format.js';
import { href, navigate } from '../router.js';
import { can, useSession } from '../session-context.js';
import { useLoad } from '../use-load.js';

export function PatientPage({ patientId }: { patientId: string }) {
  const session = useSession();
  const rights = can(session.user.role);
  const loaded = useLoad(
    () =>
      session.run(async (authToken) => {
        const [patient, recordings] = await Promise.all([
          session.client['patients.get']({ authToken, params: { patientId } }),
          session.client['recordings.list']({ authToken, query: { patientId, limit: 500 } }),
        ]);
        return { patient: patient.body, recordings: recordings.body.items };
      }),
    [patientId],
  );
  if (!loaded.data) return <LoadState loading={loaded.loading} error={loaded.error} />;
  const { patient, recordings } = loaded.data;
  const erase = async (reason: string) => {
    await session.run((authToken) =>
      session.client['patients.erase']({ authToken, params: { patientId }, body: { reason } }),
    );
    navigate(href('patients'));
  };
  return (
    <>
      <p className="crumbs">
        <a href={href('patients')}>Patients</a> / {patient.studyCode}
      </p>
      <h1>Patient {patient.studyCode}</h1>
      <SimulatedBanner simulated={recordings.some((r) => r.simulated)} />
      <PatientFacts patient={patient} showIdentity={rights.seeIdentity} />
      <h2>Recordings</h2>
      <RecordingTable recordings={recordings} canCorrect={rights.correct} onChanged={loaded.reload} />
      {rights.erase && (
        <section aria-labelledby="erase-title" className="danger-zone">
          <h2 id="erase-title">Erasure</h2>
          <p>Erasing removes this patient&rsquo;s details and recordings from the server for good.</p>
          <ConfirmButton
            label="Erase patient…"
            title={`Erase patient ${patient.studyCode}?`}
            confirmLabel="Erase for good"
            danger
            reason
            onConfirm={erase}
          >
            <p>This cannot be undone. {recordings.length} recording(s) will be erased.</p>
          </ConfirmButton>
        </section>
      )}
    </>
  );
}

function PatientFacts({ patient, showIdentity }: { patient: Patient; showIdentity: boolean }) {
  return (
    <dl className="facts">
      <dt>Study code</dt>
      <dd>{patient.studyCode}</dd>
      {showIdentity && (
        <>
          <dt>Name</dt>
          <dd>{patient.identity?.name ?? '—'}</dd>
          <dt>Phone</dt>
          <dd>{patient.identity?.phone ?? '—'}</dd>
        </>
      )}
      <dt>Age</dt>
      <dd>{patient.ageYears ?? '—'}</dd>
      <dt>Sex</dt>
      <dd>{patient.sex ?? '—'}</dd>
      <dt>Study group</dt>
      <dd>{patient.studyGroup ?? '—'}</dd>
    </dl>
  );
}

function RecordingTable(props: { recordings: Recording[]; canCorrect: boolean; onChanged: () => void }) {
  if (props.recordings.length === 0) return <p>No recordings.</p>;
  return (
    <div className="table-scroll">
      <table>
        <caption className="visually-hidden">Recordings of this patient</caption>
        <thead>
          <tr>
            <th scope="col">Started</th>
            <th scope="col">Duration</th>
            <th scope="col">Beats</th>
            <th scope="col">Mean HR</th>
            <th scope="col">PVC / PAC</th>
            <th scope="col">Signal quality</th>
            <th scope="col">Gaps</th>
            <th scope="col">Gateway / operator</th>
            <th scope="col">Status</th>
            {props.canCorrect && <th scope="col">Corrections</th>}
          </tr>
        </thead>
        <tbody>
          {props.recordings.map((r) => (
            <RecordingRow
              key={r.id}
              recording={r}
              canCorrect={props.canCorrect}
              onChanged={props.onChanged}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function RecordingRow(props: { recording: Recording; canCorrect: boolean; onChanged: () => void }) {
  const r = props.recording;
  const s = r.summary;
  return (
    <tr className={r.status === 'voided' ? 'voided' : undefined}>
      <th scope="row">
        <a href={href('recordings', r.id)}>{formatDateTime(r.startedAtMs)}</a>{' '}
        <SimulatedTag simulated={r.simulated} />
      </th>
      <td>
        {s ? formatDuration(s.durationMs) : r.endedAtMs ? formatDuration(r.endedAtMs - r.startedAtMs) : '—'}
      </td>
      <td>{orDash(s?.beats)}</td>
      <td>{orDash(s?.meanHeartRateBpm, 'bpm')}</td>
      <td>
        {orDash(s?.pvcCount)} / {orDash(s?.pacCount)}
      </td>
      <td>{orDash(s?.signalQualityPct, '%')}</td>
      <td>{s ? `${s.gapCount} (${formatDuration(s.gapMs)})` : '—'}</td>
      <td>
        <span title={r.gatewayId}>gateway …{r.gatewayId.slice(-6)}</span> / {r.operator.name}
      </td>
      <td>
        {r.status}
        {r.voidReason !== null && <span className="muted"> — {r.voidReason}</span>}
      </td>
      {props.canCorrect && (
        <td className="actions">
          <ReassignButton recording={r} onDone={props.onChanged} />
          {r.status !== 'voided' && <VoidButton recording={r} onDone={props.onChanged} />}
        </td>
      )}
    </tr>
  );
}

function VoidButton({ recording, onDone }: { recording: Recording; onDone: () => void }) {
  const session = useSession();
  return (
    <ConfirmButton
      label="Void…"
      title="Void this recording?"
      confirmLabel="Void recording"
      danger
      reason
      onConfirm={async (reason) => {
        await session.run((authToken) =>
          session.client['recordings.void']({
            authToken,
            params: { recordingId: recording.id },
            body: { reason },
          }),
        );
        onDone();
      }}
    >
      <p>
        The recording of {formatDateTime(recording.startedAtMs)} stays on the server but is left out of
        exports and marked voided everywhere.
      </p>
    </ConfirmButton>
  );
}

function ReassignButton({ recording, onDone }: { recording: Recording; onDone: () => void }) {
  const session = useSession();
  const [code, setCode] = useState('');
  return (
    <ConfirmButton
      label="Reassign…"
      title="Move this recording to another patient?"
      confirmLabel="Reassign"
      reason
      onConfirm={async (reason) => {
        const target = await session.run((authToken) =>
          session.client['patients.list']({ authToken, query: { studyCode: code.trim(), limit: 1 } }),
        );
        const patient = target.body.items[0];
        if (patient === undefined) throw new Error(`No patient has the study code ${code.trim()}.`);
        await session.run((authToken) =>
          session.client['recordings.reassign']({
            authToken,
            params: { recordingId: recording.id },
            body: { patientId: patient.id, reason },
          }),
        );
        onDone();
      }}
    >
      <label className="field">
        Study code of the right patient
        <input value={code} onChange={(e) => setCode(e.target.value)} required />
      </label>
    </ConfirmButton>
  );
}
