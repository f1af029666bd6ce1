import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPrepared, type WireValue } from '../../../server/store/postgres-wire.js';
import { startPostgres, testPool, type RunningPostgres } from './embedded-pg.js';

let postgres: RunningPostgres;
let pool: pg.Pool;

beforeAll(async () => {
  postgres = await startPostgres();
  // One connection: every run below reuses it, so what one leaves behind the next one meets.
  pool = testPool(await postgres.createDatabase('wire'), 1);
});

afterAll(async () => {
  await pool.end();
  await postgres.stop();
});

const md5 = (bytes: Uint8Array): string => createHash('md5').update(bytes).digest('hex');

const ECHO =
  'select $1::text, $2::integer, $3::text is null, md5($4::bytea), length($4::bytea), md5($5::bytea), length($5::bytea)';

describe('runPrepared (our own Bind on a pg connection)', () => {
  it('passes text, numbers, null and blobs small and large byte for byte', async () => {
    const small = randomBytes(100);
    // Past the size sent inside the Bind message: written to the socket as it is.
    const large = new Uint8Array(randomBytes(300_000));
    for (let i = 0; i < 3; i++) {
      const rows = await runPrepared(pool, 'echo', ECHO, ['é "quoted" \\ ü', -42 + i, null, small, large]);
      expect(rows).toEqual([
        ['é "quoted" \\ ü', String(-42 + i), 't', md5(small), '100', md5(large), '300000'],
      ]);
    }
  });

  it('passes a blob that is a view into a larger buffer as only its own bytes', async () => {
    const backing = randomBytes(20_000);
    const view = backing.subarray(3_000, 13_000);
    const rows = await runPrepared(pool, 'echo', ECHO, ['', 0, 'x', view.subarray(0, 10), view]);
    expect(rows[0]).toEqual(['', '0', 'f', md5(view.subarray(0, 10)), '10', md5(view), '10000']);
  });

  it('answers every row of a result as text, null as null', async () => {
    const rows = await runPrepared(
      pool,
      'series',
      'select n, case when n % 2 = 0 then null else n * 10 end from generate_series(1, $1::integer) as n',
      [4],
    );
    expect(rows).toEqual([
      ['1', '10'],
      ['2', null],
      ['3', '30'],
      ['4', null],
    ]);
  });

  it("rejects with the database's error and leaves the connection usable", async () => {
    const text = 'select 100 / $1::integer';
    await expect(runPrepared(pool, 'divide', text, [0])).rejects.toMatchObject({ code: '22012' });
    expect(await runPrepared(pool, 'divide', text, [4])).toEqual([['25']]);
    const client = await pool.connect();
    try {
      expect((await client.query<{ n: number }>('select 7 as n')).rows).toEqual([{ n: 7 }]);
    } finally {
      client.release();
    }
  });

  it('refuses a parameter it cannot send, sending nothing of it, and the connection stays usable', async () => {
    const notAValue = { toString: () => '1' } as unknown as WireValue;
    await expect(runPrepared(pool, 'plus-one', 'select $1::integer + 1', [notAValue])).rejects.toThrow(
      /parameter 1 of plus-one/,
    );
    expect(await runPrepared(pool, 'plus-one', 'select $1::integer + 1', [41])).toEqual([['42']]);
  });

  it('prepares again a statement that failed to prepare, and reports its own error each time', async () => {
    for (let i = 0; i < 2; i++)
      await expect(runPrepared(pool, 'broken', 'selec $1::integer', [1])).rejects.toMatchObject({
        code: '42601',
      });
    expect(await runPrepared(pool, 'fixed', 'select $1::integer + 1', [1])).toEqual([['2']]);
  });
});
