import { afterAll, beforeAll } from 'vitest';
import { openPostgresStore } from '../../../server/store/postgres.js';
import type { KyselyStore } from '../../../server/store/kysely-store.js';
import { startPostgres, type RunningPostgres } from './embedded-pg.js';
import { storeSuite } from './store-suite.js';

let pg: RunningPostgres;
let store: KyselyStore;

beforeAll(async () => {
  pg = await startPostgres();
  store = await openPostgresStore(await pg.createDatabase('store_suite'));
});

afterAll(async () => {
  await store.close();
  await pg.stop();
});

storeSuite('postgres', () => store);
