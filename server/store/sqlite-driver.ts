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
}

class CachedSqliteConnection implements DatabaseConnection {
  private readonly statements = new Map<string, BetterSqlite3.Statement>();

  constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly health: SqliteWriteHealth,
  ) {}

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

  executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    try {
      const stmt = this.statement(compiledQuery.sql);
      const parameters = compiledQuery.parameters as unknown[];
      if (stmt.reader) return Promise.resolve({ rows: stmt.all(parameters) as R[] });
      const { changes, lastInsertRowid } = stmt.run(parameters);
      // A write that reached the database outside a transaction (or a commit): there is room again.
      if (!this.db.inTransaction && !/^\s*rollback/i.test(compiledQuery.sql)) this.health.fullSinceMs = null;
      return Promise.resolve({
        numAffectedRows: BigInt(changes),
        insertId: BigInt(lastInsertRowid),
        rows: [],
      });
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'string' && (code === 'SQLITE_FULL' || code.startsWith('SQLITE_IOERR'))) {
        this.health.fullSinceMs ??= Date.now();
        this.health.code = code;
      }
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /** Not used by the store (exports page with a keyset instead of streaming). */
  streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not supported by this SQLite driver; page with a keyset instead');
  }
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
  private readonly mutex = new FairMutex();
  private readonly connection: CachedSqliteConnection;

  constructor(
    private readonly db: BetterSqlite3.Database,
    health: SqliteWriteHealth,
  ) {
    this.connection = new CachedSqliteConnection(db, health);
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

  destroy(): Promise<void> {
    this.db.close();
    return Promise.resolve();
  }
}

/** kysely's SQLite dialect (compiler, adapter, introspector) with the fair, caching driver. */
export class FairSqliteDialect extends SqliteDialect {
  /** Set while the disk is full (see {@link SqliteWriteHealth}). */
  readonly health = new SqliteWriteHealth();

  constructor(private readonly database: BetterSqlite3.Database) {
    super({ database });
  }

  override createDriver(): Driver {
    return new FairSqliteDriver(this.database, this.health);
  }
}
