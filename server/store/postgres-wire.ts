/**
 * A named prepared statement written to the wire by us, through `pg`'s Submittable interface (the
 * one pg-cursor uses), for the chunk write: per chunk `pg`'s own path copies the ~100-kB blob
 * into a fresh Bind buffer, asks the database to describe the result and builds a Result with
 * typed rows from that description. Here the blob goes to the socket as it is (one corked
 * writev with the Bind's other bytes), no Describe is sent, and each row comes back as its
 * columns' text (or null), for the caller to read.
 */
import type pg from 'pg';

/** A parameter: text (numbers as their decimal text), bytes (sent in binary), or SQL null. */
export type WireValue = string | number | Uint8Array | null;

/** The parts of `pg`'s connection a Submittable uses (pg/lib/connection.js). */
interface WireConnection {
  stream: { writable: boolean; cork(): void; uncork(): void; write(chunk: Uint8Array): boolean };
  parsedStatements: Record<string, string | undefined>;
  submittedNamedStatements: Record<string, string | undefined>;
  parse(query: { text: string; name: string; types: number[] }): void;
  execute(portal: Record<string, never>): void;
  sync(): void;
  sendCopyFail(message: string): void;
}

/** Blobs at least this long go to the socket as they are, not copied into the Bind message. */
const INLINE_BYTES_MAX = 4096;

/** Bind: portal '' and statement name, parameter formats, the values, one result format (text). */
function bindPieces(name: string, values: readonly WireValue[]): Uint8Array[] {
  // Numbers as their text; each text's UTF-8 length, measured once.
  const texts: (string | undefined)[] = [];
  const lengths: number[] = [];
  let inline = 1 + 4 + 1 + Buffer.byteLength(name) + 1 + 2 + 2 * values.length + 2 + 2 + 2;
  for (const v of values) {
    if (v !== null && typeof v !== 'number' && typeof v !== 'string' && !(v instanceof Uint8Array))
      throw new TypeError(`parameter ${texts.length + 1} of ${name}: not text, a number, bytes or null`);
    const text = typeof v === 'number' ? String(v) : typeof v === 'string' ? v : undefined;
    const length = v instanceof Uint8Array ? v.byteLength : text === undefined ? 0 : Buffer.byteLength(text);
    texts.push(text);
    lengths.push(length);
    inline += 4 + (text === undefined && length >= INLINE_BYTES_MAX ? 0 : length);
  }
  const head = Buffer.allocUnsafe(inline);
  const pieces: Uint8Array[] = [];
  let total = inline - 1;
  head[0] = 0x42; // 'B'
  let at = 5;
  head[at++] = 0; // unnamed portal
  at += head.write(name, at);
  head[at++] = 0;
  at = head.writeInt16BE(values.length, at);
  for (const v of values) at = head.writeInt16BE(v instanceof Uint8Array ? 1 : 0, at);
  at = head.writeInt16BE(values.length, at);
  let pieceStart = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const text = texts[i];
    const length = lengths[i]!;
    if (v === null) {
      at = head.writeInt32BE(-1, at);
    } else if (text !== undefined) {
      at = head.writeInt32BE(length, at);
      at += head.write(text, at, length);
    } else if (v instanceof Uint8Array) {
      at = head.writeInt32BE(length, at);
      if (length < INLINE_BYTES_MAX) {
        head.set(v, at);
        at += length;
      } else {
        pieces.push(head.subarray(pieceStart, at), v);
        pieceStart = at;
        total += length;
      }
    }
  }
  at = head.writeInt16BE(1, at);
  at = head.writeInt16BE(0, at);
  pieces.push(head.subarray(pieceStart, at));
  head.writeInt32BE(total, 1);
  return pieces;
}

/**
 * One run of a named statement (a Submittable: pass it to `pool.query` with a callback, see
 * {@link runPrepared}). `pg` tracks which statements a connection has parsed by `name` and `text`.
 */
class PreparedRun {
  readonly rows: (string | null)[][] = [];
  callback: ((error: Error | null, result?: PreparedRun) => void) | undefined;
  /** Set when the Bind could not be made; reported once the database answers the Sync. */
  private failure: Error | undefined;

  constructor(
    readonly name: string,
    readonly text: string,
    private readonly values: readonly WireValue[],
  ) {}

  submit(connection: WireConnection): void {
    const parsed =
      connection.parsedStatements[this.name] !== undefined ||
      connection.submittedNamedStatements[this.name] !== undefined;
    let pieces: Uint8Array[];
    try {
      pieces = bindPieces(this.name, this.values);
    } catch (error) {
      // Nothing of this run is sent but Sync: the database answers ReadyForQuery, the connection
      // stays in step, and the run fails then with this error.
      this.failure = error as Error;
      if (connection.stream.writable) connection.sync();
      return;
    }
    connection.stream.cork();
    try {
      if (!parsed) {
        connection.parse({ text: this.text, name: this.name, types: [] });
        connection.submittedNamedStatements[this.name] = this.text;
      }
      // As pg's own sends: nothing on a closed socket (its close fails the query through the client).
      if (connection.stream.writable) for (const piece of pieces) connection.stream.write(piece);
      connection.execute({});
      connection.sync();
    } finally {
      connection.stream.uncork();
    }
  }

  handleRowDescription(): void {}

  handleDataRow(message: { fields: (string | null)[] }): void {
    this.rows.push(message.fields);
  }

  handleCommandComplete(): void {}

  handleEmptyQuery(): void {}

  handlePortalSuspended(): void {}

  handleCopyInResponse(connection: WireConnection): void {
    connection.sendCopyFail('not a COPY statement');
  }

  handleCopyData(): void {}

  handleError(error: Error): void {
    const callback = this.callback;
    this.callback = undefined;
    callback?.(error);
  }

  handleReadyForQuery(): void {
    const callback = this.callback;
    this.callback = undefined;
    if (this.failure) callback?.(this.failure);
    else callback?.(null, this);
  }
}

/**
 * Runs the statement `text` prepared under `name` on a pooled connection and resolves with its
 * rows, each as its columns' text in order (null for SQL null).
 */
export function runPrepared(
  pool: pg.Pool,
  name: string,
  text: string,
  values: readonly WireValue[],
): Promise<(string | null)[][]> {
  const run = new PreparedRun(name, text, values);
  return new Promise((resolve, reject) => {
    // pg-pool hands a Submittable its completion callback and releases the client when it is called.
    const query = pool.query.bind(pool) as unknown as (
      q: PreparedRun,
      callback: (error: Error | undefined, result?: PreparedRun) => void,
    ) => void;
    query(run, (error) => (error ? reject(error) : resolve(run.rows)));
  });
}
