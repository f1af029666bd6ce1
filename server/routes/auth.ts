/** Staff sign-in, token refresh and staff accounts. */
import { StoreConflictError, type UserRecord } from '../store/store.js';
import { HttpError } from '../errors.js';
import type { Handlers } from '../http/router.js';
import type { Services } from '../services.js';
import { decodeCursor, encodeCursor, mustBePrincipal } from './shared.js';

function userDto(u: UserRecord) {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    createdAtMs: u.createdAtMs,
    disabled: u.disabled,
  };
}

export function authHandlers(
  s: Services,
): Pick<
  Handlers,
  'auth.login' | 'auth.refresh' | 'auth.logout' | 'users.list' | 'users.create' | 'users.disable'
> {
  return {
    'auth.login': async ({ body }, ctx) => {
      const { user, tokens } = await s.auth.login(body.username, body.password, ctx.ip);
      return { status: 200, body: { user: userDto(user), tokens } };
    },
    'auth.refresh': async ({ body }) => ({ status: 200, body: await s.auth.refresh(body.refreshToken) }),
    'auth.logout': async ({ body }) => {
      await s.auth.logout(body.refreshToken);
      return { status: 200, body: { ok: true } };
    },
    'users.list': async ({ query }) => {
      const after = decodeCursor(query.cursor);
      const all = (await s.store.listUsers())
        .sort((a, b) => (a.id < b.id ? -1 : 1))
        .filter((u) => after === undefined || u.id > after);
      const items = all.slice(0, query.limit);
      const next = all.length > query.limit ? items[items.length - 1]!.id : null;
      return { status: 200, body: { items: items.map(userDto), nextCursor: encodeCursor(next) } };
    },
    'users.create': async ({ body }, ctx) => {
      const actor = mustBePrincipal(ctx.principal);
      try {
        const user = await s.auth.createUser(body);
        await s.audit.record(actor, 'users.create', user.id, { role: user.role });
        return { status: 201, body: userDto(user) };
      } catch (err) {
        if (err instanceof StoreConflictError) throw new HttpError(409, 'conflict', err.message);
        throw err;
      }
    },
    'users.disable': async ({ params }, ctx) => ({
      status: 200,
      body: userDto(await s.auth.disableUser(mustBePrincipal(ctx.principal), params.userId)),
    }),
  };
}
