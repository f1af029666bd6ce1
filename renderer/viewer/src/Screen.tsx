/** Which screen the URL hash names. */
import type { ReactNode } from 'react';
import { ItPage } from './it/ItPage.js';
import { PatientPage } from './pages/PatientPage.js';
import { PatientsPage } from './pages/PatientsPage.js';
import { RecordingPage } from './pages/RecordingPage.js';
import type { Route } from './router.js';
import { can, useSession } from './session-context.js';

export function Screen({ route }: { route: Route }): ReactNode {
  const session = useSession();
  const [section = 'patients', id, tab] = route.segments;
  if (section === 'patients' && id === undefined) return <PatientsPage query={route.query} />;
  if (section === 'patients' && id !== undefined) return <PatientPage patientId={id} />;
  if (section === 'recordings' && id !== undefined)
    return <RecordingPage recordingId={id} tab={tab ?? 'summary'} query={route.query} />;
  if (section === 'it') {
    if (!can(session.user.role).it)
      return (
        <>
          <h1>IT</h1>
          <p role="alert" className="error">
            The IT pages are for administrators; your role is {session.user.role}.
          </p>
        </>
      );
    return <ItPage tab={id ?? 'gateways'} />;
  }
  return (
    <>
      <h1>Not found</h1>
      <p>There is no screen at this address.</p>
    </>
  );
}
