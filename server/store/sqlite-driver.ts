/**
 * A kysely SQLite dialect whose driver (a) hands the single better-sqlite3 connection out in
 * strict arrival order and (b) caches prepared statements.
 *
 * Why not kysely's own driver: its connection mutex wakes every waiter on release and lets a
 * newcomer take the connection first, so under many concurrent uploads some requests starved
 * for seconds (the ingest benchmark's p99 on SQLite was ~10× its p50, against ~3× on
 * PostgreSQL); and it prepares every statement on every call. The SQL is still produced by
 * kysely's SQLite compiler, so both stores keep one query layer.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, SqliteDialect, type DatabaseConnection, type Driver, type QueryResult } from 'kysely';
import type { WalSync } from './wal-sync.js';

/** Statements kept prepared; batch inserts of varying size produce distinct SQL, hence a bound. */
const STATEMENT_CACHE_SIZE = 256;

/**
 * Whether writes to the database file fail: set when a statement fails with SQLITE_FULL (a full
 * disk) or an I/O error (SQLITE_IOERR_*, e.g. a file-size limit), cleared when a write commits
 * again. Readiness reports it (the database still answers `select 1`).
 */
export class SqliteWriteHealth {
  fullSinceMs: number | null = null;
  /** The SQLite code of the failure. */
  code: string | null = null;
  /** Set for good when a sync of the WAL failed (wal-sync.ts): nothing is acknowledged until a restart. */
  syncFailure: string | null = null;
}

/** The one connection's synchronous side, for work that needs no query building. */
export type SqliteSync = Pick<CachedSqliteConnection, 'runSync' | 'allSync' | 'inTransaction'>;

class CachedSqliteConnection implements DatabaseConnection {
  private readonly statements = new Map<string, BetterSqlite3.Statement>();

  constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly health: SqliteWriteHealth,
    /** Makes committed writes durable (see wal-sync.ts); none: commits are synced by SQLite. */
    private readonly durable: (() => Promise<void>) | undefined,
    /** Told of each commit made through kysely and about how many bytes it wrote (checkpoint pacing). */
    private readonly committed: (bytes: number) => void,
  ) {}

  /** About the bytes the statements of the open transaction wrote (their parameters). */
  private uncommittedBytes = 0;

  private statement(sql: string): BetterSqlite3.Statement {
    let stmt = this.statements.get(sql);
    if (stmt === undefined) {
      stmt = this.db.prepare(sql);
      if (this.statements.size >= STATEMENT_CACHE_SIZE)
        this.statements.delete(this.statements.keys().next().value!);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  /**
   * Runs one statement synchronously (prepared once, kept in the cache), noting a full disk or an
   * I/O error in the write health and clearing it when a write reaches the database.
   */
  runSync(
    text: string,
    parameters: readonly unknown[],
  ): { changes: number; lastInsertRowid: number | bigint } {
    try {
      const result = this.statement(text).run(parameters);
      // A write that reached the database outside a transaction (or a commit): there is room again.
      if (!this.db.inTransaction && !/^\s*rollback/i.test(text)) this.health.fullSinceMs = null;
      return result;
    } catch (error) {
      this.noteFailure(error);
      throw error instanceof Error ? error : new Error(String(error));
    }
  }

  /** A reading statement, synchronously (see {@link runSync}). */
  allSync<R>(text: string, parameters: readonly unknown[]): R[] {
    try {
      return this.statement(text).all(parameters) as R[];
    } catch (error) {
      this.noteFailure(error);
      throw error instanceof Error ? error : new Error(String(error));
    }
  }

  private noteFailure(error: unknown): void {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && (code === 'SQLITE_FULL' || code.startsWith('SQLITE_IOERR'))) {
      this.health.fullSinceMs ??= Date.now();
      this.health.code = code;
    }
  }

  /** Whether a transaction is open on the connection. */
  get inTransaction(): boolean {
    return this.db.inTransaction;
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const parameters = compiledQuery.parameters as unknown[];
    if (this.statement(compiledQuery.sql).reader)
      return { rows: this.allSync<R>(compiledQuery.sql, parameters) };
    const { changes, lastInsertRowid } = this.runSync(compiledQuery.sql, parameters);
    this.uncommittedBytes += parameterBytes(parameters);
    // A write that committed (outside a transaction, or the commit itself) is answered only once
    // it is on disk; a rollback wrote nothing.
    if (this.durable && !this.db.inTransaction) {
      const bytes = this.uncommittedBytes;
      this.uncommittedBytes = 0;
      if (!/^\s*rollback/i.test(compiledQuery.sql)) {
        this.committed(bytes);
        await this.durable();
      }
    }
    return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
  }

  /** Not used by the store (exports page with a keyset instead of streaming). */
  streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not supported by this SQLite driver; page with a keyset instead');
  }
}

/** About what a write statement's parameters add to the database, bytes. */
function parameterBytes(parameters: readonly unknown[]): number {
  let bytes = 0;
  for (const p of parameters)
    bytes += p instanceof Uint8Array ? p.byteLength : typeof p === 'string' ? p.length : 8;
  return bytes;
}

/** FIFO lock over the one connection. */
class FairMutex {
  private locked = false;
  private readonly queue: (() => void)[] = [];

  lock(): Promise<void> {
    if (!this.locked) {
      this.locked = true;
      return Promise.resolve();
    }
    return new Promise((resolveLock) => this.queue.push(resolveLock));
  }

  unlock(): void {
    const next = this.queue.shift();
    if (next) next();
    else this.locked = false;
  }
}

class FairSqliteDriver implements Driver {
  readonly mutex = new FairMutex();
  readonly connection: CachedSqliteConnection;

  constructor(
    private readonly db: BetterSqlite3.Database,
    health: SqliteWriteHealth,
    durable: (() => Promise<void>) | undefined,
    private readonly closing: { before: () => Promise<void>; after: () => void },
    committed: (bytes: number) => void,
  ) {
    this.connection = new CachedSqliteConnection(db, health, durable, committed);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.mutex.lock();
    return this.connection;
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    // SQLite has already rolled back after some errors (SQLITE_FULL, SQLITE_IOERR): a second
    // rollback would fail with "no transaction is active" and hide the error that matters.
    if (!this.db.inTransaction) return;
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  releaseConnection(): Promise<void> {
    this.mutex.unlock();
    return Promise.resolve();
  }

  async destroy(): Promise<void> {
    await this.closing.before();
    this.db.close();
    this.closing.after();
  }
}

/** kysely's SQLite dialect (compiler, adapter, introspector) with the fair, caching driver. */
export class FairSqliteDialect extends SqliteDialect {
  /** Set while the disk is full (see {@link SqliteWriteHealth}). */
  readonly health = new SqliteWriteHealth();

  private driver: FairSqliteDriver | undefined;

  /**
   * @param walSync with `synchronous = NORMAL`: the WAL sync every committed write waits for
   *   before it is answered (see wal-sync.ts); without it SQLite syncs each commit itself.
   */
  constructor(
    private readonly database: BetterSqlite3.Database,
    private readonly walSync?: WalSync,
    /** Runs before the connection closes (the store's background checkpointer stops). */
    private readonly beforeClose: () => Promise<void> = () => Promise.resolve(),
    /** Told of each commit made through kysely (chunk groups tell the checkpointer themselves). */
    private readonly committed: (bytes: number) => void = () => {},
  ) {
    super({ database });
  }

  override createDriver(): Driver {
    const walSync = this.walSync;
    this.driver = new FairSqliteDriver(
      this.database,
      this.health,
      walSync && (() => walSync.sync()),
      // The WAL's descriptor is closed after the connection (whose close checkpoints the WAL).
      { before: this.beforeClose, after: () => walSync?.close() },
      this.committed,
    );
    return this.driver;
  }

  /** Resolves once every write committed so far is on disk (at once without a WAL sync). */
  durable(): Promise<void> {
    return this.walSync ? this.walSync.sync() : Promise.resolve();
  }

  /**
   * Runs `work` synchronously on the one connection, in its turn (the same FIFO as kysely's
   * queries), with no query building and no awaits between statements: the hot write path.
   */
  async exclusive<T>(work: (connection: SqliteSync) => T): Promise<T> {
    const driver = this.driver;
    if (driver === undefined)
      throw new Error('the SQLite dialect has no driver yet (open the database first)');
    await driver.mutex.lock();
    try {
      return work(driver.connection);
    } finally {
      driver.mutex.unlock();
    }
  }
}
