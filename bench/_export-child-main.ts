/**
 * Entry of one export server child of the export benchmark (bundled to plain JavaScript by
 * `bench/export.ts`, as production runs compiled code, or run through tsx with `--from-source`).
 */
import { CHILD_ENV, runChild, type ChildJob } from './_export-child.js';

const job = process.env[CHILD_ENV];
if (job === undefined) throw new Error(`${CHILD_ENV} is not set: this file is started by bench/export.ts`);
await runChild(JSON.parse(job) as ChildJob);
