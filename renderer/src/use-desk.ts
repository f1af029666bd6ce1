/**
 * The desk session as the UI sees it: who is signed in, the chosen patient (with its details) and
 * the lock, all kept by the gateway (`session.*`) so a reload or another tab shows the same desk.
 * Locks the screen after the configured minutes without a key press, click or touch.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CallOutput, GatewayApi } from '../../preload/index-types.js';
import type { Patient } from './api-types.js';
import { gateway } from './gateway.js';
import { useGatewayEvent } from './use-gateway.js';

export type DeskSession = CallOutput<GatewayApi, 'desk.get'>;

export interface Desk {
  /** Null until the gateway answered. */
  session: DeskSession | null;
  /** The chosen patient's record (null when none is chosen). */
  patient: Patient | null;
  setSession: (session: DeskSession) => void;
  selectPatient: (patient: Patient | null) => Promise<void>;
}

export function useDesk(): Desk {
  const [session, setSessionState] = useState<DeskSession | null>(null);
  const [patient, setPatient] = useState<Patient | null>(null);
  const patientId = session?.patientId ?? null;

  const setSession = useCallback((next: DeskSession) => setSessionState(next), []);
  useEffect(() => {
    void gateway()
      .invoke('desk.get', {})
      .then(setSessionState)
      .catch(() => undefined);
  }, []);
  useGatewayEvent('desk.changed', setSessionState);

  useEffect(() => {
    if (patientId === null) {
      setPatient(null);
      return;
    }
    if (patient?.id === patientId) return;
    void gateway()
      .invoke('patients.get', { id: patientId })
      .then(setPatient)
      .catch(() => setPatient(null));
  }, [patientId, patient?.id]);

  const selectPatient = useCallback(async (next: Patient | null): Promise<void> => {
    if (next !== null) setPatient(next);
    setSessionState(await gateway().invoke('desk.selectPatient', { patientId: next?.id ?? null }));
  }, []);

  return { session, patient, setSession, selectPatient };
}

/** Input that counts as someone at the desk. */
const ACTIVITY_EVENTS = ['keydown', 'pointerdown', 'wheel', 'touchstart'] as const;

/** Locks the desk after `minutes` without input while an operator is signed in (0 = never). */
export function useInactivityLock(minutes: number, active: boolean): void {
  const last = useRef(Date.now());
  useEffect(() => {
    if (!active || minutes <= 0) return;
    last.current = Date.now();
    const note = (): void => {
      last.current = Date.now();
    };
    for (const name of ACTIVITY_EVENTS) window.addEventListener(name, note, { passive: true });
    const id = window.setInterval(() => {
      if (Date.now() - last.current >= minutes * 60_000)
        void gateway()
          .invoke('desk.lock', {})
          .catch(() => undefined);
    }, 5000);
    return () => {
      for (const name of ACTIVITY_EVENTS) window.removeEventListener(name, note);
      window.clearInterval(id);
    };
  }, [minutes, active]);
}
