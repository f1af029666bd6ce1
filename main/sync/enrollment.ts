/**
 * Enrollment: the gateway exchanges the one-time code an admin issued (`enrollment.createCode`)
 * for its credentials (`gateways.enroll`). The server URL and the code come from the gateway API,
 * so the UI can offer it; the gateway's id, name, platform and version come from its identity.
 */
import { ApiError } from '../../server-contract/api/client.js';
import type { Credentials } from './credentials.js';
import { SyncError, TransportError, messageOf } from './errors.js';
import { parseServerUrl } from './http-transport.js';
import { connect, type ConnectionSettings } from './session.js';

/** Who this gateway is (from its identity file and build). */
export interface GatewayIdentity {
  /** UUID v7 generated at install. */
  id: string;
  /** Shown to IT in the server's gateway list, e.g. "Desk 1". */
  name: string;
  platform: string;
  appVersion: string;
}

/** An enrollment failure in plain words. */
function enrollError(error: unknown, serverUrl: string): SyncError {
  if (error instanceof TransportError)
    return new SyncError('enroll_failed', `cannot reach ${serverUrl}: ${error.message}`, { cause: error });
  if (error instanceof ApiError) {
    const said = error.body?.error.message ?? `HTTP ${error.status}`;
    if (error.status === 401)
      return new SyncError(
        'unauthorized',
        'the enrollment code is wrong, expired or already used — ask IT for a new one',
        { cause: error },
      );
    if (error.status === 429)
      return new SyncError('enroll_failed', 'too many enrollment attempts — wait a minute and try again', {
        cause: error,
      });
    const issues = error.body?.error.issues?.map((i) => `${i.path}: ${i.message}`).join('; ');
    return new SyncError('enroll_failed', `the server refused the enrollment: ${issues || said}`, {
      cause: error,
    });
  }
  return new SyncError('enroll_failed', `enrollment failed: ${messageOf(error)}`, { cause: error });
}

/**
 * Enrolls with `serverUrl` using `code`; resolves with the credentials to store. Throws
 * `SyncError`: `bad_config` (URL, CA bundle, proxy), `unauthorized` (wrong, expired or used code),
 * `enroll_failed` (unreachable, refused, revoked id).
 */
export async function enrollGateway(
  serverUrl: string,
  code: string,
  gateway: GatewayIdentity,
  settings: ConnectionSettings,
  nowMs: number,
): Promise<Credentials> {
  const url = parseServerUrl(serverUrl.trim()).toString().replace(/\/+$/, '');
  const { transport, client } = connect(url, settings);
  try {
    const answer = await client['gateways.enroll']({
      body: {
        code,
        gatewayId: gateway.id,
        name: gateway.name,
        platform: gateway.platform.slice(0, 64),
        appVersion: gateway.appVersion.slice(0, 32),
      },
    });
    return {
      serverUrl: url,
      gatewayId: gateway.id,
      gatewayName: gateway.name,
      clientSecret: answer.body.clientSecret,
      enrolledAtMs: Math.round(nowMs),
    };
  } catch (error) {
    throw enrollError(error, url);
  } finally {
    transport.close();
  }
}
