/** The signed-in session, for every screen below the shell. */
import { createContext, useContext } from 'react';
import type { StaffRole } from '../../../server-contract/api/index.js';
import type { Session } from './session.js';

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (session === null) throw new Error('useSession outside a signed-in shell');
  return session;
}

/** What each staff role may see and do in the viewer (the server enforces the same). */
export function can(role: StaffRole) {
  return {
    /** Patients' names, phone numbers and addresses. */
    seeIdentity: role !== 'researcher',
    /** Reassign and void recordings. */
    correct: role === 'admin' || role === 'clinician',
    erase: role === 'admin',
    exportData: role === 'admin' || role === 'researcher',
    it: role === 'admin',
  };
}
