/**
 * Migration 10 on PostgreSQL: turns the chunk and row tables of an existing database into tables
 * partitioned by recording month (see partitions.ts), keeping every row: each table is renamed
 * aside, its partitioned successor made with the same columns, keys, time index and foreign key,
 * the month partitions from the oldest recording to a few months ahead made, the rows copied
 * over and the old table dropped, all in the migration's one transaction. SQLite: nothing to do
 * (retention deletes rows there).
 */
import { sql, type Kysely } from 'kysely';
import type { Dialect } from './migrations.js';
import { ensurePartitions, isPartitioned, PARTITIONED, uuidV7Ms } from './partitions.js';
import type { Database } from './schema.js';

async function setAside(db: Kysely<Database>, table: string): Promise<string> {
  const old = `${table}_unpartitioned`;
  const indexes = await sql<{ name: string }>`
    select indexname as name from pg_indexes where schemaname = current_schema() and tablename = ${table}`.execute(
    db,
  );
  for (const { name } of indexes.rows)
    await sql`alter index ${sql.table(name)} rename to ${sql.table(`${name}_old`)}`.execute(db);
  await sql`alter table ${sql.table(table)} rename to ${sql.table(old)}`.execute(db);
  return old;
}

/** The old table's columns as DDL, the key column in the "C" collation. */
async function columnsOf(db: Kysely<Database>, old: string) {
  const r = await sql<{ name: string; type: string; nullable: string; dflt: string | null }>`
    select column_name as name, data_type as type, is_nullable as nullable, column_default as dflt
    from information_schema.columns where table_schema = current_schema() and table_name = ${old}
    order by ordinal_position`.execute(db);
  return sql.join(
    r.rows.map((c) => {
      const collate = c.name === 'recording_id' ? sql` collate "C"` : sql``;
      const notNull = c.nullable === 'NO' ? sql` not null` : sql``;
      const dflt = c.dflt === null ? sql`` : sql` default ${sql.raw(c.dflt)}`;
      return sql`${sql.ref(c.name)} ${sql.raw(c.type)}${collate}${notNull}${dflt}`;
    }),
  );
}

async function createPartitioned(db: Kysely<Database>, spec: (typeof PARTITIONED)[number], old: string) {
  const t = sql.table(spec.table);
  await sql`create table ${t} (${await columnsOf(db, old)}) partition by range (recording_id)`.execute(db);
  await sql`alter table ${t} add constraint ${sql.table(`${spec.table}_pk`)} primary key (${sql.raw(spec.key)})`.execute(
    db,
  );
  await sql`create index ${sql.table(`${spec.table}_time`)} on ${t} (${sql.raw(spec.time)})`.execute(db);
  await sql`alter table ${t} add foreign key (recording_id) references recordings (id)`.execute(db);
  await sql`create table ${sql.table(`${spec.table}_default`)} partition of ${t} default`.execute(db);
}

/** The migration's `up`. */
export async function partitionByRecordingMonth(db: Kysely<Database>, dialect: Dialect): Promise<void> {
  if (dialect !== 'postgres') return;
  const asideTables: [string, string][] = [];
  for (const spec of PARTITIONED) {
    if (await isPartitioned(db, spec.table)) continue;
    const old = await setAside(db, spec.table);
    await createPartitioned(db, spec, old);
    asideTables.push([spec.table, old]);
  }
  const oldest = await db
    .selectFrom('recordings')
    .select((eb) => eb.fn.min('id').as('id'))
    .executeTakeFirst();
  const nowMs = Date.now();
  await ensurePartitions(db, oldest?.id ? uuidV7Ms(oldest.id) : nowMs, nowMs);
  for (const [table, old] of asideTables) {
    await sql`insert into ${sql.table(table)} select * from ${sql.table(old)}`.execute(db);
    await sql`drop table ${sql.table(old)}`.execute(db);
  }
}
