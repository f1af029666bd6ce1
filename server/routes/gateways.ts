/** Gateway enrollment, credentials, heartbeats, and the list IT watches. */
import { notFound } from '../errors.js';
import type { Handlers } from '../http/router.js';
import type { Services } from '../services.js';
import type { GatewayRecord } from '../store/store.js';
import { decodeCursor, encodeCursor, mustBePrincipal } from './shared.js';

function gatewayDto(g: GatewayRecord) {
  return {
    id: g.id,
    name: g.name,
    platform: g.platform,
    appVersion: g.appVersion,
    enrolledAtMs: g.enrolledAtMs,
    lastSeenAtMs: g.lastSeenAtMs,
    backlogChunks: g.backlogChunks,
    backlogBytes: g.backlogBytes,
    oldestPendingAtMs: g.oldestPendingAtMs,
    revoked: g.revokedAtMs !== null,
  };
}

export function gatewayHandlers(
  s: Services,
): Pick<
  Handlers,
  | 'enrollment.createCode'
  | 'gateways.enroll'
  | 'gateways.token'
  | 'gateways.heartbeat'
  | 'gateways.list'
  | 'gateways.revoke'
> {
  return {
    'enrollment.createCode': async ({ body }, ctx) => ({
      status: 201,
      body: await s.auth.createEnrollmentCode(
        mustBePrincipal(ctx.principal),
        body.label,
        body.validForS,
        body.gatewayId,
      ),
    }),
    'gateways.enroll': async ({ body }, ctx) => {
      const clientSecret = await s.auth.enroll(body, ctx.ip);
      return { status: 201, body: { gatewayId: body.gatewayId, clientSecret } };
    },
    'gateways.token': async ({ body }) => ({
      status: 200,
      body: await s.auth.gatewayToken(body.gatewayId, body.clientSecret),
    }),
    'gateways.heartbeat': async ({ body }, ctx) => {
      const gateway = mustBePrincipal(ctx.principal);
      const nowMs = s.now();
      await s.store.recordGatewayContact(gateway.id, nowMs, body);
      return { status: 200, body: { serverTimeMs: nowMs } };
    },
    'gateways.list': async ({ query }) => {
      const after = decodeCursor(query.cursor);
      const all = (await s.store.listGateways())
        .sort((a, b) => (a.id < b.id ? -1 : 1))
        .filter((g) => after === undefined || g.id > after);
      const items = all.slice(0, query.limit);
      const next = all.length > query.limit ? items[items.length - 1]!.id : null;
      return { status: 200, body: { items: items.map(gatewayDto), nextCursor: encodeCursor(next) } };
    },
    'gateways.revoke': async ({ params }, ctx) => {
      const actor = mustBePrincipal(ctx.principal);
      if (!(await s.store.getGateway(params.gatewayId))) throw notFound('gateway');
      await s.store.revokeGateway(params.gatewayId, s.now());
      await s.audit.record(actor, 'gateways.revoke', params.gatewayId, {});
      return { status: 200, body: gatewayDto((await s.store.getGateway(params.gatewayId))!) };
    },
  };
}
