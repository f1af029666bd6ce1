/** Patients, newest first, and a search by study code. */
import { useState } from 'react';
import type { Patient } from '../../../../server-contract/api/index.js';
import { LoadState } from '../components/common.js';
import { formatDateTime } from '../format.js';
import { href, navigate } from '../router.js';
import { can, useSession } from '../session-context.js';
import { useLoad } from '../use-load.js';

export function PatientsPage({ query }: { query: URLSearchParams }) {
  const session = useSession();
  const studyCode = query.get('code') ?? '';
  const cursor = query.get('cursor') ?? undefined;
  const [text, setText] = useState(studyCode);
  const page = useLoad(
    () =>
      session.run((authToken) =>
        session.client['patients.list']({
          authToken,
          query: { limit: 50, ...(studyCode === '' ? {} : { studyCode }), ...(cursor ? { cursor } : {}) },
        }),
      ),
    [studyCode, cursor],
  );
  const showIdentity = can(session.user.role).seeIdentity;
  return (
    <>
      <h1>Patients</h1>
      <form
        role="search"
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          navigate(href('patients', text.trim() === '' ? {} : { code: text.trim() }));
        }}
      >
        <label className="field">
          Study code
          <input value={text} onChange={(e) => setText(e.target.value)} placeholder="e.g. P001" />
        </label>
        <button type="submit" className="primary">
          Search
        </button>
        {studyCode !== '' && <a href={href('patients')}>Show all patients</a>}
      </form>
      <LoadState loading={page.loading} error={page.error} />
      {page.data && (
        <PatientTable patients={page.data.body.items} showIdentity={showIdentity} empty={studyCode} />
      )}
      {page.data?.body.nextCursor != null && (
        <p>
          <a href={href('patients', { code: studyCode || undefined, cursor: page.data.body.nextCursor })}>
            Older patients
          </a>
        </p>
      )}
    </>
  );
}

function PatientTable(props: { patients: Patient[]; showIdentity: boolean; empty: string }) {
  if (props.patients.length === 0)
    return <p>{props.empty === '' ? 'No patients yet.' : `No patient has the study code ${props.empty}.`}</p>;
  return (
    <table>
      <caption className="visually-hidden">Patients</caption>
      <thead>
        <tr>
          <th scope="col">Study code</th>
          {props.showIdentity && <th scope="col">Name</th>}
          <th scope="col">Age</th>
          <th scope="col">Sex</th>
          <th scope="col">Study group</th>
          <th scope="col">Recordings</th>
          <th scope="col">Created</th>
        </tr>
      </thead>
      <tbody>
        {props.patients.map((p) => (
          <tr key={p.id}>
            <th scope="row">
              <a href={href('patients', p.id)}>{p.studyCode}</a>
            </th>
            {props.showIdentity && <td>{p.identity?.name ?? '—'}</td>}
            <td>{p.ageYears ?? '—'}</td>
            <td>{p.sex ?? '—'}</td>
            <td>{p.studyGroup ?? '—'}</td>
            <td>{p.recordingCount}</td>
            <td>{formatDateTime(p.createdAtMs)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
