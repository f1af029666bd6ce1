/** The audit log: logins, enrollments, corrections, erasures, exports; paged. */
import { useState } from 'react';
import { LoadState } from '../components/common.js';
import { formatDateTime } from '../format.js';
import { useSession } from '../session-context.js';
import { useLoad } from '../use-load.js';

export function AuditLog() {
  const session = useSession();
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const page = useLoad(
    () =>
      session.run((authToken) =>
        session.client['audit.list']({ authToken, query: { limit: 100, ...(cursor ? { cursor } : {}) } }),
      ),
    [cursor],
  );
  // staff ids in the log read as usernames (the accounts list is the admin's too)
  const users = useLoad(
    () => session.run((authToken) => session.client['users.list']({ authToken, query: { limit: 500 } })),
    [],
  );
  const names = new Map(users.data?.body.items.map((u) => [`user:${u.id}`, u.username]) ?? []);
  const next = page.data?.body.nextCursor ?? null;
  return (
    <section aria-labelledby="audit-title">
      <h2 id="audit-title">Audit log</h2>
      <LoadState loading={page.loading} error={page.error} />
      {page.data !== undefined && (
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">Audit entries</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                <th scope="col">Target</th>
                <th scope="col">Detail</th>
              </tr>
            </thead>
            <tbody>
              {page.data.body.items.map((e) => (
                <tr key={e.id}>
                  <th scope="row">{formatDateTime(e.atMs)}</th>
                  <td title={e.actor}>{names.get(e.actor) ?? e.actor}</td>
                  <td>{e.action}</td>
                  <td className="wrap">{e.target ?? '—'}</td>
                  <td className="wrap detail">{e.detail ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="buttons">
        <button
          type="button"
          disabled={cursors.length === 1}
          onClick={() => setCursors(cursors.slice(0, -1))}
        >
          Newer
        </button>
        <button
          type="button"
          disabled={next === null}
          onClick={() => next !== null && setCursors([...cursors, next])}
        >
          Older
        </button>
      </div>
    </section>
  );
}
