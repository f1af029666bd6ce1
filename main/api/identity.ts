/** The gateway's own id: a UUID v7 generated once per installation and kept in the data folder. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { UuidV7Schema } from '../../server-contract/api/common.js';

export function loadOrCreateGatewayId(dataDir: string): string {
  const file = join(dataDir, 'gateway-id');
  if (existsSync(file)) {
    const parsed = UuidV7Schema.safeParse(readFileSync(file, 'utf8').trim());
    if (parsed.success) return parsed.data;
    throw new Error(
      `${file} does not hold a UUID v7; restore it from a backup or delete it to enroll as a new gateway`,
    );
  }
  mkdirSync(dataDir, { recursive: true });
  const id = uuidv7();
  writeFileSync(file, `${id}\n`, { mode: 0o600, flag: 'wx' });
  return id;
}
