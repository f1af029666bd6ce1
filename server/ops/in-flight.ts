/**
 * Counts requests in progress so shutdown can stop accepting new ones, let the in-flight
 * uploads finish, and only then close the database.
 */
export class InFlight {
  private count = 0;
  private draining = false;
  private waiters: (() => void)[] = [];

  get active(): number {
    return this.count;
  }

  get isDraining(): boolean {
    return this.draining;
  }

  begin(): void {
    this.count++;
  }

  end(): void {
    this.count--;
    if (this.count === 0) for (const wake of this.waiters.splice(0)) wake();
  }

  /** Marks the server draining (readiness answers 503) without waiting for anything. */
  beginDraining(): void {
    this.draining = true;
  }

  /** Marks the server draining and resolves when no request is in flight or `timeoutMs` passed; returns the count left. */
  async drain(timeoutMs: number): Promise<number> {
    this.draining = true;
    if (this.count === 0) return 0;
    await new Promise<void>((resolveDrain) => {
      const timer = setTimeout(resolveDrain, timeoutMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolveDrain();
      });
    });
    return this.count;
  }
}
