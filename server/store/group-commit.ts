/**
 * Group commit: writes submitted in the same turn of the event loop, or while the previous group
 * was being written, are written together in one transaction. Each caller still gets its own
 * outcome, and only after the transaction holding its write has committed, so an acknowledgement
 * keeps meaning "durably stored"; what the group saves is the per-transaction cost (on SQLite with
 * `synchronous = FULL`, one WAL sync per group instead of one per write).
 *
 * The writer isolates the items of a group from each other (a savepoint each): one item that
 * fails is reported to its caller alone and the others commit.
 */

/** One item's result inside a group: its value, or the error that stopped it alone. */
export type ItemResult<O> = { ok: true; value: O } | { ok: false; error: unknown };

interface Pending<I, O> {
  input: I;
  resolve: (value: O) => void;
  reject: (error: unknown) => void;
}

export class GroupCommit<I, O> {
  private queue: Pending<I, O>[] = [];
  private draining = false;

  /**
   * @param writeGroup writes the inputs in one transaction and returns one result per input, in
   *   order; if it throws (the transaction failed as a whole), every item of the group fails.
   * @param maxGroup most items in one transaction (bounds how long one transaction holds the writer).
   */
  constructor(
    private readonly writeGroup: (inputs: I[]) => Promise<ItemResult<O>[]>,
    private readonly maxGroup = 64,
  ) {}

  submit(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      if (!this.draining) {
        this.draining = true;
        // Let the rest of this turn's arrivals join the group before writing it.
        setImmediate(() => void this.drain());
      }
    });
  }

  /** Items waiting for a transaction (for tests and metrics). */
  get waiting(): number {
    return this.queue.length;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const group = this.queue.splice(0, this.maxGroup);
      try {
        const results = await this.writeGroup(group.map((p) => p.input));
        group.forEach((p, i) => {
          const r = results[i];
          if (r === undefined) p.reject(new Error('group commit: the writer returned too few results'));
          else if (r.ok) p.resolve(r.value);
          else p.reject(r.error);
        });
      } catch (err) {
        for (const p of group) p.reject(err);
      }
    }
    this.draining = false;
  }
}
