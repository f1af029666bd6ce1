/**
 * The audit log: logins, enrollments, corrections, erasures and exports, with who did it.
 * Entries name ids, never patient details. A failure to write one is logged and re-thrown:
 * an action that cannot be audited does not happen silently.
 */
import { v7 as uuidv7 } from 'uuid';
import type { Principal } from '../auth/tokens.js';
import type { Store } from '../store/store.js';

export class Audit {
  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {}

  async record(
    actor: Principal | null,
    action: string,
    target: string | null,
    detail: Record<string, unknown>,
  ): Promise<void> {
    await this.store.appendAudit({
      id: uuidv7(),
      atMs: this.now(),
      actorKind: actor === null ? 'system' : actor.kind,
      actorId: actor?.id ?? null,
      action,
      target,
      detail,
    });
  }
}
