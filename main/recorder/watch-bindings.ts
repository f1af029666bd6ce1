/**
 * Which patient each paired watch records for, kept in the gateway database so that the binding
 * survives a restart: at start the gateway reconnects the bound watches and their data keeps going
 * to the same patient's recordings.
 */
import type { GatewayDatabase } from '../queue/database.js';

/** A watch bound to a patient by a confirmed pairing. */
export interface WatchBinding {
  address: string;
  patientId: string;
  name: string;
  transport: 'uart' | 'hrs';
  boundAtMs: number;
}

interface RawBinding {
  address: string;
  patient_id: string;
  name: string;
  transport: string;
  bound_at_ms: number;
}

export class WatchBindingsStore {
  constructor(private readonly db: GatewayDatabase) {}

  list(): WatchBinding[] {
    const rows = this.db.prepare('SELECT * FROM watch_bindings ORDER BY bound_at_ms').all() as RawBinding[];
    return rows.map((r) => ({
      address: r.address,
      patientId: r.patient_id,
      name: r.name,
      transport: r.transport === 'hrs' ? 'hrs' : 'uart',
      boundAtMs: r.bound_at_ms,
    }));
  }

  /** Binds (or re-binds) a watch to a patient. */
  bind(binding: WatchBinding): void {
    this.db
      .prepare(
        `INSERT INTO watch_bindings (address, patient_id, name, transport, bound_at_ms) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (address) DO UPDATE SET patient_id = excluded.patient_id, name = excluded.name,
           transport = excluded.transport, bound_at_ms = excluded.bound_at_ms`,
      )
      .run(binding.address, binding.patientId, binding.name, binding.transport, binding.boundAtMs);
  }

  unbind(address: string): void {
    this.db.prepare('DELETE FROM watch_bindings WHERE address = ?').run(address);
  }
}
