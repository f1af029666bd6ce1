/** Enrolled gateways: last contact, reported backlog and oldest pending item; revoke. */
import type { Gateway } from '../../../../server-contract/api/index.js';
import { ConfirmButton, LoadState } from '../components/common.js';
import { formatBytes, formatDateTime, formatDuration } from '../format.js';
import { useSession } from '../session-context.js';
import { useLoad } from '../use-load.js';

/** `12 min ago` style, from now. */
function ago(ms: number | null, nowMs: number): string {
  if (ms === null) return 'never';
  return `${formatDuration(Math.max(0, nowMs - ms))} ago`;
}

export function Gateways() {
  const session = useSession();
  const list = useLoad(
    () => session.run((authToken) => session.client['gateways.list']({ authToken, query: { limit: 500 } })),
    [],
  );
  const nowMs = Date.now();
  return (
    <section aria-labelledby="gateways-title">
      <h2 id="gateways-title">Gateways</h2>
      <LoadState loading={list.loading} error={list.error} />
      {list.data?.body.items.length === 0 && (
        <p>No gateway is enrolled yet. Issue an enrollment code first.</p>
      )}
      {list.data !== undefined && list.data.body.items.length > 0 && (
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">Enrolled gateways</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Version / platform</th>
                <th scope="col">Last contact</th>
                <th scope="col">Backlog</th>
                <th scope="col">Oldest pending item</th>
                <th scope="col">Enrolled</th>
                <th scope="col">Access</th>
              </tr>
            </thead>
            <tbody>
              {list.data.body.items.map((g) => (
                <GatewayRow key={g.id} gateway={g} nowMs={nowMs} onChanged={list.reload} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function GatewayRow({
  gateway: g,
  nowMs,
  onChanged,
}: {
  gateway: Gateway;
  nowMs: number;
  onChanged: () => void;
}) {
  const session = useSession();
  return (
    <tr>
      <th scope="row">
        {g.name} <span className="muted">…{g.id.slice(-6)}</span>
      </th>
      <td>
        {g.appVersion} / {g.platform}
      </td>
      <td>
        {ago(g.lastSeenAtMs, nowMs)}
        {g.lastSeenAtMs !== null && <div className="muted">{formatDateTime(g.lastSeenAtMs)}</div>}
      </td>
      <td>
        {g.backlogChunks === null ? '—' : `${g.backlogChunks} chunks, ${formatBytes(g.backlogBytes ?? 0)}`}
      </td>
      <td>{g.oldestPendingAtMs === null ? 'none' : ago(g.oldestPendingAtMs, nowMs)}</td>
      <td>{formatDateTime(g.enrolledAtMs)}</td>
      <td>
        {g.revoked ? (
          <span className="tag tag-bad">revoked</span>
        ) : (
          <ConfirmButton
            label="Revoke…"
            title={`Revoke gateway ${g.name}?`}
            confirmLabel="Revoke"
            danger
            onConfirm={async () => {
              await session.run((authToken) =>
                session.client['gateways.revoke']({ authToken, params: { gatewayId: g.id } }),
              );
              onChanged();
            }}
          >
            <p>It can no longer upload until it is enrolled again with a new code.</p>
          </ConfirmButton>
        )}
      </td>
    </tr>
  );
}
