/** Staff accounts: list, create, disable. */
import { useState } from 'react';
import { StaffRoleSchema, type StaffRole } from '../../../../server-contract/api/index.js';
import { errorMessage } from '../api.js';
import { ConfirmButton, LoadState } from '../components/common.js';
import { formatDateTime } from '../format.js';
import { useSession } from '../session-context.js';
import { useLoad } from '../use-load.js';

export function StaffAccounts() {
  const session = useSession();
  const list = useLoad(
    () => session.run((authToken) => session.client['users.list']({ authToken, query: { limit: 500 } })),
    [],
  );
  return (
    <section aria-labelledby="users-title">
      <h2 id="users-title">Staff accounts</h2>
      <LoadState loading={list.loading} error={list.error} />
      {list.data !== undefined && (
        <table>
          <caption className="visually-hidden">Staff accounts</caption>
          <thead>
            <tr>
              <th scope="col">Username</th>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Created</th>
              <th scope="col">Account</th>
            </tr>
          </thead>
          <tbody>
            {list.data.body.items.map((u) => (
              <tr key={u.id}>
                <th scope="row">{u.username}</th>
                <td>{u.displayName}</td>
                <td>{u.role}</td>
                <td>{formatDateTime(u.createdAtMs)}</td>
                <td>
                  {u.disabled ? (
                    <span className="tag tag-bad">disabled</span>
                  ) : u.id === session.user.id ? (
                    'you'
                  ) : (
                    <ConfirmButton
                      label="Disable…"
                      title={`Disable ${u.username}?`}
                      confirmLabel="Disable account"
                      danger
                      onConfirm={async () => {
                        await session.run((authToken) =>
                          session.client['users.disable']({ authToken, params: { userId: u.id } }),
                        );
                        list.reload();
                      }}
                    >
                      <p>They are signed out everywhere and can no longer sign in.</p>
                    </ConfirmButton>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <CreateAccount onCreated={list.reload} />
    </section>
  );
}

function CreateAccount({ onCreated }: { onCreated: () => void }) {
  const session = useSession();
  const [form, setForm] = useState({
    username: '',
    displayName: '',
    role: 'clinician' as StaffRole,
    password: '',
  });
  const [state, setState] = useState<{ error?: string; done?: string }>({});
  const create = async () => {
    try {
      const { body } = await session.run((authToken) =>
        session.client['users.create']({ authToken, body: form }),
      );
      setState({ done: `Created ${body.username} (${body.role}).` });
      setForm({ username: '', displayName: '', role: 'clinician', password: '' });
      onCreated();
    } catch (e) {
      setState({ error: errorMessage(e) });
    }
  };
  return (
    <form
      className="stacked-form"
      aria-labelledby="new-user-title"
      onSubmit={(e) => {
        e.preventDefault();
        void create();
      }}
    >
      <h3 id="new-user-title">New account</h3>
      <label className="field">
        Username
        <input
          value={form.username}
          onChange={(e) => setForm({ ...form, username: e.target.value })}
          required
        />
      </label>
      <label className="field">
        Name
        <input
          value={form.displayName}
          onChange={(e) => setForm({ ...form, displayName: e.target.value })}
          required
        />
      </label>
      <label className="field">
        Role
        <select
          value={form.role}
          onChange={(e) => setForm({ ...form, role: StaffRoleSchema.parse(e.target.value) })}
        >
          {StaffRoleSchema.options.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        Password (at least 12 characters)
        <input
          type="password"
          autoComplete="new-password"
          minLength={12}
          value={form.password}
          onChange={(e) => setForm({ ...form, password: e.target.value })}
          required
        />
      </label>
      <button type="submit" className="primary">
        Create account
      </button>
      {state.done !== undefined && <p role="status">{state.done}</p>}
      {state.error !== undefined && (
        <p className="error" role="alert">
          {state.error}
        </p>
      )}
    </form>
  );
}
