/**
 * The desk session, one row in the gateway database: who is signed in, which patient is chosen
 * and whether the screen is locked. Kept by the gateway (not the browser) so a reload, a second
 * tab or a restart finds the same operator and patient — the wrong-patient safeguard depends on
 * the selection never silently resetting.
 */
import type { GatewayDatabase } from '../queue/database.js';

export interface DeskSessionRow {
  operatorId: string | null;
  patientId: string | null;
  locked: boolean;
}

interface RawSession {
  operator_id: string | null;
  patient_id: string | null;
  locked: number;
}

export class DeskSessionStore {
  constructor(private readonly db: GatewayDatabase) {}

  get(): DeskSessionRow {
    const raw = this.db
      .prepare('SELECT operator_id, patient_id, locked FROM desk_session WHERE id = 1')
      .get() as RawSession | undefined;
    if (raw === undefined) return { operatorId: null, patientId: null, locked: false };
    return { operatorId: raw.operator_id, patientId: raw.patient_id, locked: raw.locked === 1 };
  }

  /** Applies `patch` and returns the new session. */
  update(patch: Partial<DeskSessionRow>): DeskSessionRow {
    const next = { ...this.get(), ...patch };
    this.db
      .prepare(
        `INSERT INTO desk_session (id, operator_id, patient_id, locked) VALUES (1, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET operator_id = excluded.operator_id,
           patient_id = excluded.patient_id, locked = excluded.locked`,
      )
      .run(next.operatorId, next.patientId, next.locked ? 1 : 0);
    return next;
  }
}
