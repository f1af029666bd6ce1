/** What the route handlers share: the store, auth, audit, cipher, metrics and the clock. */
import type { AuthService } from './auth/auth-service.js';
import type { FieldCipher } from './crypto/field-cipher.js';
import type { ExportProgressRegistry } from './export/progress.js';
import type { DecodePool } from './ingest/decode-pool.js';
import type { Audit } from './ops/audit.js';
import type { InFlight } from './ops/in-flight.js';
import type { Metrics } from './ops/metrics.js';
import type { Store } from './store/store.js';

export interface Services {
  store: Store;
  auth: AuthService;
  audit: Audit;
  cipher: FieldCipher;
  metrics: Metrics;
  /** Worker threads that decode chunks; undefined = decode on the event loop. */
  decoder?: DecodePool | undefined;
  inFlight: InFlight;
  /** Progress of exports, kept in the database so any replica can answer a poll. */
  exportProgress: ExportProgressRegistry;
  now: () => number;
  /** Server version reported by /health. */
  version: string;
  startedAtMs: number;
}
