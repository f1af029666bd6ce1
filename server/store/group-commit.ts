/**
 * Group commit: writes submitted in the same turn of the event loop, or while the previous group
 * was being written, are written together in one transaction. Each caller still gets its own
 * outcome, and only after the transaction holding its write has committed, so an acknowledgement
 * keeps meaning "durably stored"; what the group saves is the per-transaction cost (on SQLite with
 * `synchronous = FULL`, one WAL sync per group instead of one per write).
 *
 * The writer isolates the items of a group from each other (a savepoint each): one item that
 * fails is reported to its caller alone and the others commit.
 *
 * Under load, a group may also wait a little for writes known to be on their way (`pending`: on
 * the server, chunks being decoded), at most `windowMs`: with `synchronous = FULL` each commit
 * costs a WAL sync, and a group of several chunks shares it. When nothing is on its way, a group
 * is written at once, so a lone upload never waits.
 *
 * With a durability barrier (`durable`), writing a group and making it durable overlap: a group's
 * callers are answered once the barrier after its write resolves, while the next group is written.
 */
import { setTimeout as sleep } from 'node:timers/promises';

/** One item's result inside a group: its value, or the error that stopped it alone. */
export type ItemResult<O> = { ok: true; value: O } | { ok: false; error: unknown };

interface Pending<I, O> {
  input: I;
  resolve: (value: O) => void;
  reject: (error: unknown) => void;
}

export interface GroupCommitOptions {
  /** Most items in one transaction (bounds how long one transaction holds the writer). */
  maxGroup?: number;
  /** Longest a group waits for items on their way (ms); 0: never waits. */
  windowMs?: number;
  /**
   * The durability barrier: resolves once what has been written so far is on disk. A group's
   * items are answered only after it; the next group is written meanwhile (the barrier of several
   * groups can be one sync). None: a group is durable when `writeGroup` resolves.
   */
  durable?: () => Promise<void>;
  /** Awaited before each group is written (e.g. while the store makes room); none by default. */
  beforeGroup?: () => Promise<void>;
}

export class GroupCommit<I, O> {
  private queue: Pending<I, O>[] = [];
  private draining = false;
  /** Items on their way (set by the owner; none by default). */
  private pending: () => number = () => 0;
  /** Wakes a group that is waiting for items on their way. */
  private wake: (() => void) | undefined;
  private readonly maxGroup: number;
  private readonly windowMs: number;
  private readonly durable: (() => Promise<void>) | undefined;
  private readonly beforeGroup: (() => Promise<void>) | undefined;

  /**
   * @param writeGroup writes the inputs in one transaction and returns one result per input, in
   *   order; if it throws (the transaction failed as a whole), every item of the group fails.
   */
  constructor(
    private readonly writeGroup: (inputs: I[]) => Promise<ItemResult<O>[]>,
    options: GroupCommitOptions = {},
  ) {
    this.maxGroup = options.maxGroup ?? 64;
    this.windowMs = options.windowMs ?? 0;
    this.durable = options.durable;
    this.beforeGroup = options.beforeGroup;
  }

  /** How many items are on their way and worth waiting for (see the class comment). */
  expect(pending: () => number): void {
    this.pending = pending;
  }

  submit(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      if (this.wake && this.complete()) this.wake();
      if (!this.draining) {
        this.draining = true;
        // Let the rest of this turn's arrivals join the group before writing it.
        setImmediate(() => void this.drain());
      }
    });
  }

  /** Nothing more is on its way, or the group is full: no reason to wait for more. */
  private complete(): boolean {
    return this.pending() === 0 || this.queue.length >= this.maxGroup;
  }

  /** Waits (at most windowMs) while more items are on their way and the group is not full. */
  private async gather(): Promise<void> {
    if (this.windowMs <= 0 || this.complete()) return;
    const abort = new AbortController();
    const woken = new Promise<void>((resolve) => (this.wake = resolve));
    await Promise.race([woken, sleep(this.windowMs, undefined, { signal: abort.signal }).catch(() => {})]);
    abort.abort();
    this.wake = undefined;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      if (this.beforeGroup) await this.beforeGroup().catch(() => {});
      await this.gather();
      const group = this.queue.splice(0, this.maxGroup);
      let results: ItemResult<O>[];
      try {
        results = await this.writeGroup(group.map((p) => p.input));
      } catch (err) {
        for (const p of group) p.reject(err);
        continue;
      }
      if (this.durable === undefined) settle(group, results);
      else
        this.durable().then(
          () => settle(group, results),
          (err: unknown) => {
            for (const p of group) p.reject(err);
          },
        );
    }
    this.draining = false;
  }
}

/** Answers each item of a written (and durable) group with its own result. */
function settle<I, O>(group: Pending<I, O>[], results: ItemResult<O>[]): void {
  group.forEach((p, i) => {
    const r = results[i];
    if (r === undefined) p.reject(new Error('group commit: the writer returned too few results'));
    else if (r.ok) p.resolve(r.value);
    else p.reject(r.error);
  });
}
