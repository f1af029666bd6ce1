/** Health, readiness and liveness. */
import { API_VERSION } from '../../server-contract/api/index.js';
import { HttpError } from '../errors.js';
import type { Handlers } from '../http/router.js';
import type { Services } from '../services.js';

export function opsHandlers(s: Services): Pick<Handlers, 'health.get' | 'health.ready' | 'health.live'> {
  return {
    'health.get': async () => {
      const reachable = await s.store.ping();
      const writable = s.store.writeProblem() === null;
      const body = {
        status: reachable && writable ? ('ok' as const) : ('degraded' as const),
        version: s.version,
        apiVersion: API_VERSION,
        database: s.store.dialect,
        databaseReachable: reachable,
        uptimeS: Math.max(0, (s.now() - s.startedAtMs) / 1000),
      };
      return reachable && writable ? { status: 200, body } : { status: 503, body };
    },
    'health.ready': async () => {
      if (s.inFlight.isDraining)
        throw new HttpError(503, 'unavailable', 'draining for shutdown: send requests to another replica');
      if (!(await s.store.ping())) throw new HttpError(503, 'unavailable', 'database unreachable');
      const problem = s.store.writeProblem();
      if (problem !== null) throw new HttpError(503, 'unavailable', problem);
      return { status: 200, body: { ok: true } };
    },
    'health.live': () => Promise.resolve({ status: 200, body: { ok: true } }),
  };
}
