/**
 * The desk session as the gateway API sees it: operators signing in (with their PIN where the
 * clinic set one), the chosen patient and the screen lock, kept in the gateway database and
 * announced as `desk.changed` so every tab and a reload show the same desk.
 */
import type { z } from 'zod';
import { GatewayApiError } from '../../preload/define.js';
import type { DeskSessionSchema } from '../../preload/schemas.js';
import type { DeskSessionStore } from '../recorder/desk-session.js';
import type { OperatorInfo, OperatorsStore } from '../recorder/operators-store.js';
import type { PatientsStore } from '../recorder/patients-store.js';
import type { GatewayEventBus } from './event-bus.js';

type DeskSession = z.infer<typeof DeskSessionSchema>;

export class DeskService {
  constructor(
    private readonly events: GatewayEventBus,
    private readonly store: DeskSessionStore,
    private readonly operators: OperatorsStore,
    private readonly patients: PatientsStore,
  ) {}

  /** The session; an operator or patient removed from the database reads as none. */
  get(): DeskSession {
    const row = this.store.get();
    return {
      operator: row.operatorId === null ? null : this.operatorOrNull(row.operatorId),
      patientId: row.patientId !== null && this.patientExists(row.patientId) ? row.patientId : null,
      locked: row.locked,
    };
  }

  /** The signed-in operator, or an error saying what to do (nobody signed in, screen locked). */
  activeOperator(): OperatorInfo {
    const session = this.get();
    if (session.locked) throw new GatewayApiError('locked', 'The screen is locked: unlock it first.');
    if (session.operator === null)
      throw new GatewayApiError('no_operator', 'Sign in (choose your name) before recording.');
    return session.operator;
  }

  async signIn(operatorId: string, pin: string | undefined): Promise<DeskSession> {
    await this.operators.checkPin(operatorId, pin);
    return this.change({ operatorId, locked: false });
  }

  signOut(): DeskSession {
    this.assertUnlocked();
    return this.change({ operatorId: null, locked: false });
  }

  selectPatient(patientId: string | null): DeskSession {
    if (patientId !== null) this.patients.get(patientId);
    this.assertUnlocked();
    return this.change({ patientId });
  }

  lock(): DeskSession {
    if (this.store.get().operatorId === null) return this.get();
    return this.change({ locked: true });
  }

  /** Unlocks with the signed-in operator's PIN (an operator without a PIN needs none). */
  async unlock(pin: string | undefined): Promise<DeskSession> {
    const { operatorId } = this.store.get();
    if (operatorId === null) return this.change({ locked: false });
    await this.operators.checkPin(operatorId, pin);
    return this.change({ locked: false });
  }

  /**
   * The signed-in operator changes their own name or PIN (`pin` null removes it), confirming with
   * their current PIN when they have one: an unlocked desk left alone cannot be taken over.
   */
  async updateOperator(change: {
    currentPin?: string;
    name?: string;
    pin?: string | null;
  }): Promise<DeskSession> {
    const operator = this.activeOperator();
    await this.operators.checkPin(operator.id, change.currentPin);
    await this.operators.update(operator.id, {
      ...(change.name === undefined ? {} : { name: change.name }),
      ...(change.pin === undefined ? {} : { pin: change.pin }),
    });
    return this.change({});
  }

  /**
   * The signed-in operator leaves this desk for good (confirmed with their PIN when they have
   * one): retired, signed out; refused while they are recording.
   */
  async retireOperator(currentPin: string | undefined, recording: boolean): Promise<DeskSession> {
    const operator = this.activeOperator();
    if (recording)
      throw new GatewayApiError(
        'recording_open',
        'Stop the recording before removing your name from this desk.',
      );
    await this.operators.checkPin(operator.id, currentPin);
    this.operators.retire(operator.id);
    return this.change({ operatorId: null, locked: false });
  }

  private assertUnlocked(): void {
    if (this.store.get().locked)
      throw new GatewayApiError('locked', 'The screen is locked: unlock it first.');
  }

  private change(patch: Parameters<DeskSessionStore['update']>[0]): DeskSession {
    this.store.update(patch);
    const session = this.get();
    this.events.emit('desk.changed', session);
    return session;
  }

  private operatorOrNull(id: string): OperatorInfo | null {
    try {
      return this.operators.get(id);
    } catch {
      return null;
    }
  }

  private patientExists(id: string): boolean {
    try {
      this.patients.get(id);
      return true;
    } catch {
      return false;
    }
  }
}
